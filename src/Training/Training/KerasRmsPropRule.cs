using SweepCluster.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// RMSprop as Keras computes it (uncentred, plain momentum): v = rho v + (1 - rho) g²; b = momentum b + lr g / sqrt(v + eps);
/// p -= b — epsilon (1e-7 by default) inside the square root, unlike Adam's. With momentum 0, b is the plain step.
/// Slots: v, b.
/// </summary>
internal sealed class KerasRmsPropRule(OptimizerSettings settings, double learningRate) : UpdateRule
{
    private readonly Scalar _rho = settings.Rho;
    private readonly Scalar _oneMinusRho = 1 - settings.Rho;
    private readonly Scalar _epsilon = settings.Epsilon;
    private readonly Scalar _momentum = settings.Momentum;
    private readonly Scalar _learningRate = learningRate;

    public override int Slots => 2;

    public override void Apply(Tensor parameter, Tensor gradient, Tensor[] slots, long step)
    {
        var (velocity, buffer) = (slots[0], slots[1]);
        velocity.mul_(_rho).addcmul_(gradient, gradient, _oneMinusRho);
        var denominator = velocity.add(_epsilon).sqrt_(); // freed by the step's dispose scope
        buffer.mul_(_momentum).addcdiv_(gradient, denominator, _learningRate);
        parameter.sub_(buffer);
    }

    public override void Dispose()
    {
        foreach (var scalar in new[] { _rho, _oneMinusRho, _epsilon, _momentum, _learningRate })
        {
            scalar.Dispose();
        }
    }
}
