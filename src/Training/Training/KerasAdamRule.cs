using SweepCluster.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// The arithmetic of Adam in Keras' formulation, shared by the single-trial and the packed optimizer: epsilon (Keras'
/// 1e-7 unless the trial sets it) added to sqrt(v), the bias correction folded into the step size. Its Scalars are made
/// once: an implicit double -> Scalar conversion per call leaves a native handle to the finalizer, which costs more CPU
/// than the arithmetic of a small model's step.
/// </summary>
internal sealed class KerasAdamRule(AdamSettings settings) : IDisposable
{
    private readonly Scalar _beta1 = settings.Beta1;
    private readonly Scalar _oneMinusBeta1 = 1 - settings.Beta1;
    private readonly Scalar _beta2 = settings.Beta2;
    private readonly Scalar _oneMinusBeta2 = 1 - settings.Beta2;
    private readonly Scalar _epsilon = settings.Epsilon;

    /// <summary>The step size at step <paramref name="step"/> (1-based): the learning rate with the bias correction folded in.</summary>
    public static double StepSize(double learningRate, AdamSettings settings, long step) =>
        learningRate * Math.Sqrt(1 - Math.Pow(settings.Beta2, step)) / (1 - Math.Pow(settings.Beta1, step));

    /// <summary>m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g², in place; returns sqrt(v) + eps, the update's denominator.</summary>
    public Tensor UpdateMoments(Tensor first, Tensor second, Tensor gradient)
    {
        first.mul_(_beta1).add_(gradient, _oneMinusBeta1);
        second.mul_(_beta2).addcmul_(gradient, gradient, _oneMinusBeta2);
        return second.sqrt().add_(_epsilon);
    }

    public void Dispose()
    {
        foreach (var scalar in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }
    }
}
