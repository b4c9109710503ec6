namespace SweepCluster.Sampling.Tests;

/// <summary>Runs a sampler against a synthetic objective, one trial at a time or as a cluster with trials in flight.</summary>
internal static class SearchRun
{
    /// <summary>The best measured value after <paramref name="budget"/> trials, each suggested after the previous finished.</summary>
    public static double Sequential(TpeSampler sampler, SyntheticObjective objective, int budget, ulong noiseSeed)
    {
        var noise = new SamplingRandom(noiseSeed);
        var finished = new List<Observation>();
        for (var i = 0; i < budget; i++)
        {
            var assignment = sampler.Suggest(finished, []);
            finished.Add(new Observation(assignment, objective.Measure(assignment, noise)));
        }

        return finished.Min(observation => observation.Objective);
    }

    /// <summary>
    /// The best measured value after <paramref name="budget"/> trials on <paramref name="slots"/> slots: every slot
    /// starts a trial at once, trials take random durations, and each time one finishes the next is suggested with
    /// the others still pending, as the sweep engine will do.
    /// </summary>
    public static double Cluster(TpeSampler sampler, SyntheticObjective objective, int budget, int slots, ulong noiseSeed)
    {
        var noise = new SamplingRandom(noiseSeed);
        var finished = new List<Observation>();
        var inFlight = new List<(Assignment Assignment, double EndsAt)>();
        var now = 0.0;
        var suggested = 0;
        while (finished.Count < budget)
        {
            while (inFlight.Count < slots && suggested < budget)
            {
                var assignment = sampler.Suggest(finished, inFlight.Select(trial => trial.Assignment).ToArray());
                inFlight.Add((assignment, now + 1 + (2 * noise.NextDouble())));
                suggested++;
            }

            var next = Enumerable.Range(0, inFlight.Count).MinBy(i => inFlight[i].EndsAt);
            var (done, endsAt) = inFlight[next];
            inFlight.RemoveAt(next);
            now = endsAt;
            finished.Add(new Observation(done, objective.Measure(done, noise)));
        }

        return finished.Min(observation => observation.Objective);
    }
}
