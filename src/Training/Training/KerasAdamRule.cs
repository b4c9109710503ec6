using SweepCluster.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// Adam as Keras computes it: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²;
/// <c>p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)</c> — epsilon (1e-7 by default) added to sqrt(v), the
/// bias correction folded into the step size. Slots: m, v.
/// </summary>
internal sealed class KerasAdamRule(OptimizerSettings settings, double learningRate) : UpdateRule
{
    private readonly Scalar _beta1 = settings.Beta1;
    private readonly Scalar _oneMinusBeta1 = 1 - settings.Beta1;
    private readonly Scalar _beta2 = settings.Beta2;
    private readonly Scalar _oneMinusBeta2 = 1 - settings.Beta2;
    private readonly Scalar _epsilon = settings.Epsilon;
    private (long Step, Scalar Size)? _stepSize;

    public override int Slots => 2;

    /// <summary>The step size at step <paramref name="step"/> (1-based): the learning rate with the bias correction folded in.</summary>
    public static double StepSize(double learningRate, OptimizerSettings settings, long step) =>
        learningRate * Math.Sqrt(1 - Math.Pow(settings.Beta2, step)) / (1 - Math.Pow(settings.Beta1, step));

    public override void Apply(Tensor parameter, Tensor gradient, Tensor[] slots, long step)
    {
        if (_stepSize?.Step != step)
        {
            _stepSize?.Size.Dispose();
            _stepSize = (step, -StepSize(learningRate, settings, step));
        }

        var (first, second) = (slots[0], slots[1]);
        first.mul_(_beta1).add_(gradient, _oneMinusBeta1);
        second.mul_(_beta2).addcmul_(gradient, gradient, _oneMinusBeta2);
        var denominator = second.sqrt().add_(_epsilon); // freed by the step's dispose scope
        parameter.addcdiv_(first, denominator, _stepSize.Value.Size);
    }

    public override void Dispose()
    {
        _stepSize?.Size.Dispose();
        foreach (var scalar in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }
    }
}
