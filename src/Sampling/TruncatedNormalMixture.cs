namespace SweepCluster.Sampling;

/// <summary>
/// A weighted mixture of normals truncated to [low, high]. With <c>discrete</c> it is a distribution over the whole
/// numbers low..high: each number gets the mass of [k - 1/2, k + 1/2] under kernels truncated to
/// [low - 1/2, high + 1/2], so the end values are as reachable as the inner ones.
/// </summary>
internal sealed class TruncatedNormalMixture : IDimensionEstimator
{
    // A kernel with mass this small inside the bounds cannot occur (sigma is at most the range and mu inside it);
    // the cap only keeps a sampling loop finite whatever the inputs.
    private const int MaxRejections = 1000;

    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _logNormalisers;
    private readonly double _low;
    private readonly double _high;
    private readonly bool _discrete;

    public TruncatedNormalMixture(double[] weights, double[] mus, double[] sigmas, double low, double high, bool discrete)
    {
        if (weights.Length == 0 || weights.Length != mus.Length || mus.Length != sigmas.Length)
        {
            throw new ArgumentException("a mixture needs as many weights, means and bandwidths, at least one");
        }

        var total = weights.Sum();
        _weights = weights.Select(weight => weight / total).ToArray();
        _logWeights = _weights.Select(weight => Math.Log(weight)).ToArray();
        _mus = mus;
        _sigmas = sigmas;
        _low = discrete ? low - 0.5 : low;
        _high = discrete ? high + 0.5 : high;
        _discrete = discrete;
        _logNormalisers = new double[mus.Length];
        for (var k = 0; k < mus.Length; k++)
        {
            _logNormalisers[k] = StandardNormal.LogMass((_low - mus[k]) / sigmas[k], (_high - mus[k]) / sigmas[k]);
        }
    }

    public IReadOnlyList<double> Weights => _weights;

    public IReadOnlyList<double> Mus => _mus;

    public IReadOnlyList<double> Sigmas => _sigmas;

    public double Sample(SamplingRandom random)
    {
        var kernel = PickKernel(random);
        var value = Math.Clamp(_mus[kernel], _low, _high);
        for (var attempt = 0; attempt < MaxRejections; attempt++)
        {
            var draw = _mus[kernel] + (_sigmas[kernel] * random.NextGaussian());
            if (draw >= _low && draw <= _high)
            {
                value = draw;
                break;
            }
        }

        return _discrete ? Math.Clamp(Math.Round(value), _low + 0.5, _high - 0.5) : value;
    }

    public double LogDensity(double value)
    {
        var terms = new double[_mus.Length];
        for (var k = 0; k < _mus.Length; k++)
        {
            var sigma = _sigmas[k];
            var logKernel = _discrete
                ? StandardNormal.LogMass((value - 0.5 - _mus[k]) / sigma, (value + 0.5 - _mus[k]) / sigma)
                : StandardNormal.LogPdf((value - _mus[k]) / sigma) - Math.Log(sigma);
            terms[k] = _logWeights[k] + logKernel - _logNormalisers[k];
        }

        return LogSumExp(terms);
    }

    internal static double LogSumExp(double[] terms)
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

    private int PickKernel(SamplingRandom random)
    {
        var draw = random.NextDouble();
        var cumulative = 0.0;
        for (var k = 0; k < _weights.Length - 1; k++)
        {
            cumulative += _weights[k];
            if (draw < cumulative)
            {
                return k;
            }
        }

        return _weights.Length - 1;
    }
}
