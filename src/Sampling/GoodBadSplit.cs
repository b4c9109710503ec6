namespace SweepCluster.Sampling;

/// <summary>
/// TPE's split of the history: the best ceil(GoodFraction * n) finished trials (at most MaxGood, finite objectives
/// only) are good; the other finished trials, and with the constant liar every pending one, are bad. Both lists keep
/// arrival order (finished first, then pending), which the recency weights rely on.
/// </summary>
internal sealed record GoodBadSplit(IReadOnlyList<Assignment> Good, IReadOnlyList<Assignment> Bad)
{
    public static GoodBadSplit Of(IReadOnlyList<Observation> finished, IReadOnlyList<Assignment> lies, TpeSettings settings)
    {
        var total = finished.Count + lies.Count;
        var goodCount = Math.Min((int)Math.Ceiling(settings.GoodFraction * total), settings.MaxGood);

        // Rank finite objectives ascending, ties by arrival; non-finite ones (diverged) are never good.
        var ranked = Enumerable.Range(0, finished.Count)
            .Where(i => double.IsFinite(finished[i].Objective))
            .OrderBy(i => finished[i].Objective)
            .ThenBy(i => i)
            .Take(goodCount)
            .ToHashSet();

        var good = new List<Assignment>();
        var bad = new List<Assignment>();
        for (var i = 0; i < finished.Count; i++)
        {
            (ranked.Contains(i) ? good : bad).Add(finished[i].Assignment);
        }

        bad.AddRange(lies);
        return new GoodBadSplit(good, bad);
    }

    /// <summary>
    /// Optuna's weights for n observations in arrival order: all 1 up to 25; beyond, the 25 newest keep 1 and the
    /// older ones ramp linearly from 1/n up to 1, so an early region the search has left fades.
    /// </summary>
    public static double[] RecencyWeights(int count)
    {
        const int Flat = 25;
        var weights = new double[count];
        var ramp = count - Flat;
        for (var i = 0; i < count; i++)
        {
            weights[i] = i >= ramp ? 1.0
                : ramp == 1 ? 1.0 / count
                : (1.0 / count) + (i * (1.0 - (1.0 / count)) / (ramp - 1));
        }

        return weights;
    }
}
