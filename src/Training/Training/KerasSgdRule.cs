using SweepCluster.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// SGD as Keras computes it: m = momentum m - lr g; p += m, or with Nesterov p += momentum m - lr g. With momentum 0 it
/// is p -= lr g. Slots: m.
/// </summary>
internal sealed class KerasSgdRule(OptimizerSettings settings, double learningRate) : UpdateRule
{
    private readonly Scalar _momentum = settings.Momentum;
    private readonly Scalar _minusLearningRate = -learningRate;

    public override int Slots => 1;

    public override void Apply(Tensor parameter, Tensor gradient, Tensor[] slots, long step)
    {
        var velocity = slots[0];
        velocity.mul_(_momentum).add_(gradient, _minusLearningRate);
        if (settings.Nesterov)
        {
            parameter.add_(velocity, _momentum).add_(gradient, _minusLearningRate);
        }
        else
        {
            parameter.add_(velocity);
        }
    }

    public override void Dispose()
    {
        _momentum.Dispose();
        _minusLearningRate.Dispose();
    }
}
