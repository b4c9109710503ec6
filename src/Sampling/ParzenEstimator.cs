namespace SweepCluster.Sampling;

/// <summary>
/// Fits a Parzen mixture to observed points as Optuna's TPE does: a kernel on each observation plus a prior kernel
/// (the centre of each range with the whole range as bandwidth, uniform over choices) of weight PriorWeight.
/// </summary>
internal static class ParzenEstimator
{
    // Optuna's multivariate bandwidth: Scott's rule scaled to the range.
    private const double MultivariateBandwidthScale = 0.2;

    /// <param name="dimensions">The dimensions of the mixture: one for the univariate TPE, several for the multivariate.</param>
    /// <param name="points">Observed internal values (see <see cref="Dimension.ToInternal"/>), one per dimension, oldest first.</param>
    /// <param name="weights">One weight per point (older ones count less once there are many).</param>
    public static ParzenMixture Fit(IReadOnlyList<Dimension> dimensions, IReadOnlyList<double[]> points, IReadOnlyList<double> weights, double priorWeight)
    {
        var kernels = new IKernelSet[dimensions.Count];
        for (var d = 0; d < dimensions.Count; d++)
        {
            var values = points.Select(point => point[d]).ToArray();
            kernels[d] = Kernels(dimensions[d], values, priorWeight, dimensions.Count > 1 ? dimensions.Count : null);
        }

        return new ParzenMixture([.. weights, priorWeight], kernels);
    }

    /// <summary>A one-dimensional mixture (the univariate TPE's estimator).</summary>
    public static ParzenMixture Fit(Dimension dimension, IReadOnlyList<double> values, IReadOnlyList<double> weights, double priorWeight) =>
        Fit([dimension], values.Select(value => new[] { value }).ToArray(), weights, priorWeight);

    private static IKernelSet Kernels(Dimension dimension, double[] values, double priorWeight, int? jointDimensions)
    {
        if (dimension.Kind == DimensionKind.Choices)
        {
            return new CategoricalKernels(dimension.Choices.Count, values.Select(value => (int)value).ToArray(), priorWeight);
        }

        var (low, high) = dimension.InternalBounds;
        var step = dimension.Kind == DimensionKind.IntUniform ? 1 : 0;
        var sigmas = jointDimensions is { } count ? JointBandwidths(values.Length, count, low, high, step) : Bandwidths(values, low, high, step);
        var range = high - low + step;
        return new TruncatedNormalKernels([.. values, 0.5 * (low + high)], [.. sigmas, range], low, high, step == 1);
    }

    /// <summary>
    /// Each kernel's bandwidth is the larger gap to its neighbours among the sorted values (the prior's centre
    /// included, the bounds as outer neighbours, except that the outermost use their inner gap), clipped to
    /// [range / min(100, kernels + 1), range]: dense regions get narrow kernels, lone points broad ones.
    /// </summary>
    internal static double[] Bandwidths(IReadOnlyList<double> values, double low, double high, double step)
    {
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
                sigmas[order[i]] = Clip(sorted[i], values.Count, low, high, step);
            }
        }

        return sigmas;
    }

    /// <summary>The multivariate TPE's bandwidth: one per dimension, shrinking as n^(-1/(d+4)) like Scott's rule.</summary>
    internal static double[] JointBandwidths(int count, int dimensions, double low, double high, double step)
    {
        var sigma = MultivariateBandwidthScale * Math.Pow(Math.Max(count, 1), -1.0 / (dimensions + 4)) * (high - low + step);
        return Enumerable.Repeat(Clip(sigma, count, low, high, step), count).ToArray();
    }

    private static double Clip(double sigma, int count, double low, double high, double step)
    {
        var range = high - low + step;
        return Math.Clamp(sigma, range / Math.Min(100.0, count + 2.0), range);
    }
}
