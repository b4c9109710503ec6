using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>Inputs and 0/1 targets for one step, already on the trial's device.</summary>
public sealed record Batch(Tensor Inputs, Tensor Targets)
{
    public long Size => Inputs.size(0);
}
