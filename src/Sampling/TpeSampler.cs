namespace SweepCluster.Sampling;

/// <summary>
/// A tree-structured Parzen estimator (Bergstra et al. 2011; the behaviour of Optuna's TPESampler): after
/// <see cref="TpeSettings.StartupTrials"/> random suggestions it splits the finished trials into good and bad, fits a
/// density l(x) to the good and g(x) to the bad (jointly over the dimensions that always apply when
/// <see cref="TpeSettings.Multivariate"/>, else per dimension; conditional dimensions always on their own), draws
/// candidates from l and keeps the one with the largest l(x)/g(x). Suggestions still running count as bad (the
/// constant liar), so parallel slots spread out. docs/sampling.md describes it with measurements.
/// </summary>
/// <remarks>
/// <see cref="Suggest"/> is a pure function of the seed, the space and the two lists (their order included): the
/// same inputs give the same assignment on every run, thread and machine of the same platform. The sequence of a
/// sweep's suggestions therefore depends on the order in which trials finish; a sweep that must replay exactly
/// persists the suggestions it made (not only the seed).
/// </remarks>
public sealed class TpeSampler
{
    public TpeSampler(SearchSpace space, TpeSettings settings, int seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Space = space;
        Settings = settings;
        Seed = seed;
    }

    public SearchSpace Space { get; }

    public TpeSettings Settings { get; }

    public int Seed { get; }

    /// <summary>The next assignment to try.</summary>
    /// <param name="finished">Finished trials in the order they finished; values outside the space are ignored per dimension.</param>
    /// <param name="pending">Assignments suggested earlier and not finished yet, oldest first.</param>
    public Assignment Suggest(IReadOnlyList<Observation> finished, IReadOnlyList<Assignment> pending)
    {
        ArgumentNullException.ThrowIfNull(finished);
        ArgumentNullException.ThrowIfNull(pending);
        var random = new SamplingRandom(InputFingerprint.Of(Seed, Space, finished, pending));
        var split = finished.Count + pending.Count < Settings.StartupTrials
            ? null
            : GoodBadSplit.Of(finished, Settings.ConstantLiar ? pending : [], Settings);

        // Dictionary only for lookups by the conditions; the assignment enumerates in ordinal order.
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        if (split is not null && Settings.Multivariate)
        {
            // Never empty: the first dimension cannot have a condition (its parent would have to come before it).
            var joint = Space.Dimensions.Where(dimension => dimension.When is null).ToArray();
            var chosen = SuggestValues(joint, split, random);
            for (var d = 0; d < joint.Length; d++)
            {
                values[joint[d].Name] = chosen[d];
            }
        }

        foreach (var dimension in Space.Dimensions)
        {
            if (!values.ContainsKey(dimension.Name) && SearchSpace.Applies(dimension, values))
            {
                values[dimension.Name] = split is null ? dimension.SampleUniformly(random) : SuggestValues([dimension], split, random)[0];
            }
        }

        return new Assignment(values);
    }

    // Draws candidates from the good trials' density l and keeps the one with the largest l(x)/g(x).
    private ParameterValue[] SuggestValues(IReadOnlyList<Dimension> dimensions, GoodBadSplit split, SamplingRandom random)
    {
        var good = Fit(dimensions, split.Good);
        var bad = Fit(dimensions, split.Bad);
        var best = good.Sample(random);
        var bestScore = good.LogDensity(best) - bad.LogDensity(best);
        for (var i = 1; i < Settings.Candidates; i++)
        {
            var candidate = good.Sample(random);
            var score = good.LogDensity(candidate) - bad.LogDensity(candidate);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return dimensions.Select((dimension, d) => dimension.FromInternal(best[d])).ToArray();
    }

    // Trials without a usable value for every one of the dimensions (one did not apply, or its value is outside the
    // space) are left out, so conditional dimensions and changed spaces do not break the estimator.
    private ParzenMixture Fit(IReadOnlyList<Dimension> dimensions, IReadOnlyList<Assignment> trials)
    {
        var points = new List<double[]>(trials.Count);
        foreach (var trial in trials)
        {
            if (InternalPoint(dimensions, trial) is { } point)
            {
                points.Add(point);
            }
        }

        return ParzenEstimator.Fit(dimensions, points, GoodBadSplit.RecencyWeights(points.Count), Settings.PriorWeight);
    }

    private static double[]? InternalPoint(IReadOnlyList<Dimension> dimensions, Assignment trial)
    {
        var point = new double[dimensions.Count];
        for (var d = 0; d < dimensions.Count; d++)
        {
            if (!trial.TryGetValue(dimensions[d].Name, out var value) || dimensions[d].ToInternal(value) is not { } internalValue)
            {
                return null;
            }

            point[d] = internalValue;
        }

        return point;
    }
}
