namespace SweepCluster.Sampling;

/// <summary>
/// Fits one dimension's density to observed internal values, as Optuna's univariate TPE does: a kernel on each
/// observation plus a prior kernel (centre of the range, bandwidth the whole range, weight PriorWeight).
/// </summary>
internal static class ParzenEstimator
{
    /// <param name="values">Internal values (see <see cref="Dimension.ToInternal"/>), oldest first.</param>
    /// <param name="weights">One weight per value (older ones count less once there are many).</param>
    public static IDimensionEstimator Fit(Dimension dimension, IReadOnlyList<double> values, IReadOnlyList<double> weights, double priorWeight)
    {
        if (dimension.Kind == DimensionKind.Choices)
        {
            return new CategoricalMixture(dimension.Choices.Count, values.Select(value => (int)value).ToArray(), weights, priorWeight);
        }

        var (low, high) = dimension.InternalBounds;
        var discrete = dimension.Kind == DimensionKind.IntUniform;
        var sigmas = Bandwidths(values, low, high, discrete ? 1 : 0);
        var mus = values.Append(0.5 * (low + high)).ToArray();
        var priorSigma = high - low + (discrete ? 1 : 0);
        return new TruncatedNormalMixture(
            weights.Append(priorWeight).ToArray(), mus, sigmas.Append(priorSigma).ToArray(), low, high, discrete);
    }

    /// <summary>
    /// Each kernel's bandwidth is the larger gap to its neighbours among the sorted values (the prior's centre
    /// included, the bounds as outer neighbours, except that the outermost use their inner gap), clipped to
    /// [range / min(100, kernels + 1), range]: dense regions get narrow kernels, lone points broad ones.
    /// </summary>
    internal static double[] Bandwidths(IReadOnlyList<double> values, double low, double high, double step)
    {
        var range = high - low + step;
        var kernels = values.Count + 1;
        var minSigma = range / Math.Min(100.0, 1.0 + kernels);
        var withPrior = values.Append(0.5 * (low + high)).ToArray();

        // Ties keep their original order (a stable sort), so equal values get the same bandwidths on every run.
        var order = Enumerable.Range(0, withPrior.Length).OrderBy(i => withPrior[i]).ThenBy(i => i).ToArray();
        var points = new double[withPrior.Length + 2];
        points[0] = low - (step / 2);
        points[^1] = high + (step / 2);
        for (var i = 0; i < order.Length; i++)
        {
            points[i + 1] = withPrior[order[i]];
        }

        var sorted = new double[order.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = Math.Max(points[i + 1] - points[i], points[i + 2] - points[i + 1]);
        }

        if (points.Length >= 4)
        {
            sorted[0] = points[2] - points[1];
            sorted[^1] = points[^2] - points[^3];
        }

        var sigmas = new double[values.Count];
        for (var i = 0; i < order.Length; i++)
        {
            if (order[i] < values.Count)
            {
                sigmas[order[i]] = Math.Clamp(sorted[i], minSigma, range);
            }
        }

        return sigmas;
    }
}
