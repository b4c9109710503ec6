namespace SweepCluster.Grains.Sweeps.Stopping;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2018, in its stopping form as Ray Tune runs it): rungs at
/// <c>min_epochs * eta^k</c> epochs below the trial length. A trial reaching a rung is compared with every
/// trial that reached that rung before it: it goes on only if its best loss so far is in the top 1/eta of them
/// (itself included); the first trial at a rung always goes on. Trials never wait for each other.
/// </summary>
public sealed class AshaRule
{
    private readonly Dictionary<int, List<double>> _recorded = [];

    public AshaRule(int minEpochs, int eta, int maxEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(eta, 2);
        Eta = eta;
        var rungs = new List<int>();
        for (long rung = minEpochs; rung < maxEpochs; rung *= eta)
        {
            rungs.Add((int)rung);
        }

        Rungs = rungs;
    }

    public int Eta { get; }

    /// <summary>The epochs at which trials are compared, smallest first.</summary>
    public IReadOnlyList<int> Rungs { get; }

    /// <summary>Records the trial's result at a rung when its curve just reached one, and decides.</summary>
    public StopDecision? Decide(IReadOnlyList<double> curve)
    {
        var epoch = curve.Count;
        if (!Rungs.Contains(epoch))
        {
            return null;
        }

        var best = curve.Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
        if (!_recorded.TryGetValue(epoch, out var rung))
        {
            _recorded[epoch] = rung = [];
        }

        rung.Add(best);
        var keep = Math.Max(1, rung.Count / Eta);
        var rank = rung.Count(other => other < best) + 1;
        return rank <= keep
            ? null
            : new StopDecision("asha", epoch, $"best loss {best:G4} ranks {rank} of {rung.Count} at the {epoch}-epoch rung; only the top {keep} (1/{Eta}) go on");
    }
}
