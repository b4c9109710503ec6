using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// A learning problem's data, deterministic from the trial seed: the batch for (epoch, step) is the same
/// every time it is asked for, which is what lets a resumed trial continue the uninterrupted curve.
/// </summary>
public interface ILearningTask
{
    ModelInput Input { get; }

    /// <summary>Labels per timestep (a tagger) rather than one per sequence.</summary>
    bool PerTimestep { get; }

    int StepsPerEpoch { get; }

    Batch TrainBatch(int epoch, int step, Device device);

    /// <summary>The held-out set in batches; each batch is created on demand (dispose it with the step's scope).</summary>
    IEnumerable<Batch> TestBatches(Device device);
}
