using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Stopping;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2018, in its stopping form as Ray Tune runs it): rungs at
/// <c>min_epochs * eta^k</c> epochs below the trial length. A trial reaching a rung is compared with every
/// trial that reached that rung before it: it goes on only if its best loss so far is in the top 1/eta of them
/// (itself included); the first trial at a rung always goes on. Trials never wait for each other. "Loss" here is the
/// sweep's <see cref="Metric"/> as a lower-is-better score (the training loss by default).
/// The rule keeps no records of its own: who reached a rung, and with what, is read from the curves, so a sweep
/// that is reactivated elsewhere decides exactly as before.
/// </summary>
public sealed class AshaRule
{
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

    /// <summary>The sweep's objective: the values compared are its scores, and the reasons name it.</summary>
    public SweepMetric Metric { get; init; } = SweepMetric.Default;

    /// <summary>The epochs at which trials are compared, smallest first.</summary>
    public IReadOnlyList<int> Rungs { get; }

    /// <summary>The rungs a trial passed when its known epochs grew from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public IEnumerable<int> RungsBetween(int before, int after) => Rungs.Where(r => r > before && r <= after);

    /// <param name="trial">The trial's curve, known at least up to <paramref name="rung"/>.</param>
    /// <param name="rung">The rung it just reached.</param>
    /// <param name="reached">The curves of the other trials as far as they went (a stopped trial's only up to where it was stopped).</param>
    public StopDecision? Decide(RunningBest trial, int rung, IEnumerable<RunningBest> reached)
    {
        var best = trial.UpTo(rung);
        var others = reached.Where(c => c.Epochs >= rung).Select(c => c.UpTo(rung)).ToList();
        return Decide(best, rung, seen: others.Count + 1, better: others.Count(other => other < best));
    }

    /// <summary>The same decision from counts the sweep keeps sorted (its ledger's rung index).</summary>
    /// <param name="best">The trial's best loss up to <paramref name="rung"/>.</param>
    /// <param name="seen">Trials that reached the rung, this one included.</param>
    /// <param name="better">Those of them with a lower best loss there.</param>
    public StopDecision? Decide(double best, int rung, int seen, int better)
    {
        var keep = Math.Max(1, seen / Eta);
        var rank = better + 1;
        return rank <= keep
            ? null
            : new StopDecision("asha", rung, $"best {Metric.SpecName} {Metric.Value(best):G4} ranks {rank} of {seen} at the {rung}-epoch rung; only the top {keep} (1/{Eta}) go on");
    }
}
