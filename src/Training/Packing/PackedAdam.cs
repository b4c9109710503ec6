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
        var stepSizes = tensor(_learningRates.Select(lr => (float)-KerasAdamRule.StepSize(lr, _steps)).ToArray());
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is not { } gradient)
            {
                continue;
            }

            var perTrial = stepSizes.reshape([-1, .. Enumerable.Repeat(1L, (int)_parameters[i].dim() - 1)]);
            var denominator = _rule.UpdateMoments(_firstMoments[i], _secondMoments[i], gradient);

            // (step x m) / (sqrt(v) + eps): the order addcdiv evaluates a single trial's update in.
            _parameters[i].addcdiv_(_firstMoments[i].mul(perTrial), denominator);
        }
    }

    public void Dispose()
    {
        _rule.Dispose();

        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
