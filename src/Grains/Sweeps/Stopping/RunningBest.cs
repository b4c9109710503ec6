namespace SweepCluster.Grains.Sweeps.Stopping;

/// <summary>
/// A trial's curve as the stopping rules read it: the best (lowest finite) loss up to each epoch, from epoch 1 on.
/// Built once per curve change, so a rule compares a trial with hundreds of others in one look-up each.
/// </summary>
public sealed class RunningBest
{
    private readonly double[] _best;

    /// <param name="losses">The loss of epoch 1, 2, ... in order; NaN or infinite losses never count as best.</param>
    public RunningBest(IEnumerable<double> losses)
    {
        var best = new List<double>();
        var soFar = double.PositiveInfinity;
        foreach (var loss in losses)
        {
            if (double.IsFinite(loss) && loss < soFar)
            {
                soFar = loss;
            }

            best.Add(soFar);
        }

        _best = [.. best];
    }

    /// <summary>Epochs known, from epoch 1 on.</summary>
    public int Epochs => _best.Length;

    /// <summary>The best loss of epochs 1..<paramref name="epoch"/> (which must be known).</summary>
    public double UpTo(int epoch) => _best[epoch - 1];
}
