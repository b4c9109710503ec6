using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// <see cref="Training.AdamOptimizer"/>'s Keras Adam on stacked parameters: element-wise, so K trials stacked along
/// the leading axis are K independent optimizers, each with its own learning rate.
/// </summary>
internal sealed class PackedAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-7;

    private readonly Tensor[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly Tensor _learningRates;
    private readonly Scalar _beta1 = Beta1;
    private readonly Scalar _oneMinusBeta1 = 1 - Beta1;
    private readonly Scalar _beta2 = Beta2;
    private readonly Scalar _oneMinusBeta2 = 1 - Beta2;
    private readonly Scalar _epsilon = Epsilon;
    private long _steps;

    /// <param name="parameters">Each of shape (K, ...).</param>
    /// <param name="learningRates">One per trial.</param>
    public PackedAdam(IReadOnlyList<Tensor> parameters, IReadOnlyList<double> learningRates)
    {
        _parameters = [.. parameters];
        _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _learningRates = tensor(learningRates.ToArray()).DetachFromDisposeScope();
    }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Step()
    {
        _steps++;
        var correction = Math.Sqrt(1 - Math.Pow(Beta2, _steps)) / (1 - Math.Pow(Beta1, _steps));
        using var _ = no_grad();
        using var scope = NewDisposeScope();

        // The same float32 step size a single trial's optimizer computes in double and applies as a Scalar.
        using var stepSizes = _learningRates.mul(-correction).to(ScalarType.Float32);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            var perTrial = stepSizes.reshape([-1, .. Enumerable.Repeat(1L, (int)_parameters[i].dim() - 1)]);
            _firstMoments[i].mul_(_beta1).add_(gradient, _oneMinusBeta1);
            _secondMoments[i].mul_(_beta2).addcmul_(gradient, gradient, _oneMinusBeta2);
            // (step x m) / (sqrt(v) + eps): the order addcdiv evaluates a single trial's update in.
            _parameters[i].addcdiv_(_firstMoments[i].mul(perTrial), _secondMoments[i].sqrt().add_(_epsilon));
        }
    }

    public void Dispose()
    {
        foreach (var scalar in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }

        foreach (var moment in _firstMoments.Concat(_secondMoments).Append(_learningRates))
        {
            moment.Dispose();
        }
    }
}
