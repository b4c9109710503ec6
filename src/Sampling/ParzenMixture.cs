namespace SweepCluster.Sampling;

/// <summary>
/// A weighted mixture of product kernels over one or more dimensions: kernel k draws every dimension from that
/// dimension's kernel k. One dimension is the univariate TPE's estimator; several the multivariate one's.
/// </summary>
internal sealed class ParzenMixture
{
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly IReadOnlyList<IKernelSet> _dimensions;

    public ParzenMixture(double[] weights, IReadOnlyList<IKernelSet> dimensions)
    {
        if (weights.Length == 0 || dimensions.Count == 0 || dimensions.Any(kernels => kernels.Count != weights.Length))
        {
            throw new ArgumentException("a mixture needs at least one kernel and one dimension, with a kernel per weight in each dimension");
        }

        var total = weights.Sum();
        _weights = weights.Select(weight => weight / total).ToArray();
        _logWeights = _weights.Select(weight => Math.Log(weight)).ToArray();
        _dimensions = dimensions;
    }

    public IReadOnlyList<double> Weights => _weights;

    public double[] Sample(SamplingRandom random)
    {
        var kernel = SamplingRandom.PickIndex(_weights, random);
        return _dimensions.Select(kernels => kernels.Sample(kernel, random)).ToArray();
    }

    public double LogDensity(IReadOnlyList<double> point)
    {
        var terms = new double[_weights.Length];
        for (var k = 0; k < terms.Length; k++)
        {
            terms[k] = _logWeights[k];
            for (var d = 0; d < _dimensions.Count; d++)
            {
                terms[k] += _dimensions[d].LogDensity(k, point[d]);
            }
        }

        return LogSumExp(terms);
    }

    private static double LogSumExp(double[] terms)
    {
        var max = terms.Max();
        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var term in terms)
        {
            sum += Math.Exp(term - max);
        }

        return max + Math.Log(sum);
    }
}
