using SweepCluster.Experiments;

namespace SweepCluster.Training.Packing;

/// <summary>
/// One member of a pack as <see cref="PackTrainer"/> sees it: its config, where its checkpoints go, and the signals that
/// end it alone. <paramref name="StoppedEarly"/>: its sweep stopped it (then it is neither checkpointed nor suspended,
/// it ends with the epochs it trained).
/// </summary>
public sealed record PackedTrial(
    TrialConfig Config, string CheckpointKey, int CheckpointEvery, CancellationToken Cancellation, CancellationToken Suspend, Func<bool> StoppedEarly);
