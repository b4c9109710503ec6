using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// What a training slot runs for one trial. The silo uses <see cref="TorchTrialTrainer"/>, the training core; the
/// grain tests of the stopping rules put scripted curves here to know exactly which trial should stop where.
/// </summary>
public interface ITrialTrainer
{
    TrialResult Train(TrialConfig config, TrainerOptions options, CancellationToken cancellationToken);
}

/// <summary>Trains with TorchSharp (<see cref="Trainer.Run"/>).</summary>
public sealed class TorchTrialTrainer : ITrialTrainer
{
    public TrialResult Train(TrialConfig config, TrainerOptions options, CancellationToken cancellationToken) =>
        Trainer.Run(config, options, cancellationToken);
}
