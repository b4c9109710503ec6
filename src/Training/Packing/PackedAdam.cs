using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// <see cref="AdamOptimizer"/>'s Keras Adam on stacked parameters: element-wise, so K trials stacked along
/// the leading axis are K independent optimizers, each with its own learning rate.
/// </summary>
internal sealed class PackedAdam : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double[] _learningRates;

    /// <summary>Each trial's step size, rewritten in place every step; and the shape that lines it up with each parameter.</summary>
    private readonly Tensor _stepSizes;
    private readonly long[][] _perTrialShapes;
    private readonly KerasAdamRule _rule = new();
    private long _steps;

    /// <param name="parameters">Each of shape (K, ...).</param>
    /// <param name="learningRates">One per trial.</param>
    public PackedAdam(IReadOnlyList<Tensor> parameters, IReadOnlyList<double> learningRates)
    {
        _parameters = [.. parameters];
        _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _learningRates = [.. learningRates];
        _stepSizes = zeros(_learningRates.Length).DetachFromDisposeScope();
        _perTrialShapes = [.. _parameters.Select(p => (long[])[-1, .. Enumerable.Repeat(1L, (int)p.dim() - 1)])];
    }

    public long Steps => _steps;

    /// <summary>Trial <paramref name="trial"/>'s first and second moments of parameter <paramref name="index"/>.</summary>
    public (Tensor First, Tensor Second) Moments(int index, int trial) => (_firstMoments[index][trial], _secondMoments[index][trial]);

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
        using var _ = no_grad();
        using var scope = NewDisposeScope();

        // Each trial's step size computed in double, as a single trial's optimizer does, then applied in float32.
        var stepSizes = _stepSizes.Floats();
        for (var k = 0; k < _learningRates.Length; k++)
        {
            stepSizes[k] = (float)-KerasAdamRule.StepSize(_learningRates[k], _steps);
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is not { } gradient)
            {
                continue;
            }

            var perTrial = _stepSizes.reshape(_perTrialShapes[i]);
            var denominator = _rule.UpdateMoments(_firstMoments[i], _secondMoments[i], gradient);

            // (step x m) / (sqrt(v) + eps): the order addcdiv evaluates a single trial's update in.
            _parameters[i].addcdiv_(_firstMoments[i].mul(perTrial), denominator, Scalars.One);
        }
    }

    public void Dispose()
    {
        _rule.Dispose();
        _stepSizes.Dispose();

        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
