using SweepCluster.Experiments;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// The arithmetic of one optimizer in Keras' formulation, applied in place to a trial's parameters: what
/// <see cref="TrialOptimizer"/> holds besides the parameters and the per-parameter state (its slots). Scalars are made
/// once per rule: an implicit double -> Scalar conversion per call leaves a native handle to the finalizer, which costs
/// more CPU than the arithmetic of a small model's step.
/// </summary>
internal abstract class UpdateRule : IDisposable
{
    /// <summary>Tensors of state per parameter, each shaped like it (Adam: m and v), saved in checkpoints in this order.</summary>
    public abstract int Slots { get; }

    public static UpdateRule For(OptimizerSettings settings, double learningRate) => settings.Kind switch
    {
        OptimizerKind.Adam => new KerasAdamRule(settings, learningRate),
        OptimizerKind.RmsProp => new KerasRmsPropRule(settings, learningRate),
        OptimizerKind.Sgd => new KerasSgdRule(settings, learningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "not a known optimizer"),
    };

    /// <summary>Step <paramref name="step"/> (1-based) of parameter <paramref name="parameter"/> given its gradient and slots.</summary>
    public abstract void Apply(Tensor parameter, Tensor gradient, Tensor[] slots, long step);

    public abstract void Dispose();
}
