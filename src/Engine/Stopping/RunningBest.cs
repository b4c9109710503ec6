namespace SweepCluster.Engine.Stopping;

/// <summary>
/// A trial's curve as the stopping rules read it: the best (lowest finite) loss up to each epoch, from epoch 1 on.
/// Built once per curve change, so a rule compares a trial with hundreds of others in one look-up each.
/// </summary>
public sealed class RunningBest
{
    private readonly List<double> _best = [];

    /// <param name="losses">The loss of epoch 1, 2, ... in order; NaN or infinite losses never count as best.</param>
    public RunningBest(IEnumerable<double> losses)
    {
        foreach (var loss in losses)
        {
            Append(loss);
        }
    }

    /// <summary>Epochs known, from epoch 1 on.</summary>
    public int Epochs => _best.Count;

    /// <summary>The best loss of epochs 1..<paramref name="epoch"/> (which must be known).</summary>
    public double UpTo(int epoch) => _best[epoch - 1];

    /// <summary>The next epoch's loss: a growing curve extends its running best instead of building it again.</summary>
    public void Append(double loss)
    {
        var soFar = _best.Count == 0 ? double.PositiveInfinity : _best[^1];
        _best.Add(double.IsFinite(loss) && loss < soFar ? loss : soFar);
    }
}
