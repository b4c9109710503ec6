namespace SweepCluster.Client.Output;

/// <summary>
/// One configuration's seeds so far, smoothed, over the epochs all of them have (the shortest curve's length): the
/// per-epoch sum (for the mean), and from a second seed on the min and max.
/// </summary>
public sealed class CurveBand(string variant, int index)
{
    public string Variant => variant;

    /// <summary>The configuration's place in queue order.</summary>
    public int Index => index;

    public int Curves { get; private set; }

    public int Length { get; private set; }

    public double[] Sum { get; private set; } = [];

    public double[] Min { get; private set; } = [];

    public double[] Max { get; private set; } = [];

    /// <summary>The mean over seeds at each of the first <see cref="Length"/> epochs.</summary>
    public double[] Mean() => [.. Sum.Take(Length).Select(s => s / Curves)];

    public void Add(double[] smoothed)
    {
        if (Curves++ == 0)
        {
            (Length, Sum) = (smoothed.Length, smoothed);
            return;
        }

        // The band only from a second seed on: a sweep of one seed per configuration keeps one array each.
        if (Curves == 2)
        {
            (Min, Max) = (Sum[..Length], Sum[..Length]);
        }

        Length = Math.Min(Length, smoothed.Length);
        for (var i = 0; i < Length; i++)
        {
            Sum[i] += smoothed[i];
            Min[i] = Math.Min(Min[i], smoothed[i]);
            Max[i] = Math.Max(Max[i], smoothed[i]);
        }
    }
}
