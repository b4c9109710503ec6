namespace SweepCluster.Sampling;

/// <summary>
/// Normal kernels truncated to [low, high]. With <c>discrete</c> they are distributions over the whole numbers
/// low..high: each number gets the mass of [k - 1/2, k + 1/2] under kernels truncated to [low - 1/2, high + 1/2],
/// so the end values are as reachable as the inner ones.
/// </summary>
internal sealed class TruncatedNormalKernels : IKernelSet
{
    // A kernel with little mass inside the bounds cannot occur (sigma is at most the range and mu inside it); the cap
    // only keeps the rejection loop finite whatever the inputs.
    private const int MaxRejections = 1000;

    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _logNormalisers;
    private readonly double _low;
    private readonly double _high;
    private readonly bool _discrete;

    public TruncatedNormalKernels(double[] mus, double[] sigmas, double low, double high, bool discrete)
    {
        if (mus.Length != sigmas.Length)
        {
            throw new ArgumentException("each kernel needs a mean and a bandwidth");
        }

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

    public int Count => _mus.Length;

    public IReadOnlyList<double> Mus => _mus;

    public IReadOnlyList<double> Sigmas => _sigmas;

    public double Sample(int kernel, SamplingRandom random)
    {
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

    public double LogDensity(int kernel, double value)
    {
        var mu = _mus[kernel];
        var sigma = _sigmas[kernel];
        var logKernel = _discrete
            ? StandardNormal.LogMass((value - 0.5 - mu) / sigma, (value + 0.5 - mu) / sigma)
            : StandardNormal.LogPdf((value - mu) / sigma) - Math.Log(sigma);
        return logKernel - _logNormalisers[kernel];
    }
}
