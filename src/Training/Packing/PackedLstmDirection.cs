using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// One LSTM reading direction of K trials at once: each trial's weights are a slice along the leading trial axis,
/// and every product is a batched matrix product over that axis, so the trials never mix. Gates in torch's order
/// (input, forget, cell, output), with both of torch's biases kept apart (Adam moves each on its own).
/// </summary>
internal sealed class PackedLstmDirection(Tensor inputWeights, Tensor hiddenWeights, Tensor inputBias, Tensor hiddenBias)
{
    /// <summary>(K, 4H, inputs)</summary>
    public Tensor InputWeights { get; } = inputWeights;

    /// <summary>(K, 4H, H)</summary>
    public Tensor HiddenWeights { get; } = hiddenWeights;

    /// <summary>(K, 1, 4H)</summary>
    public Tensor InputBias { get; } = inputBias;

    /// <summary>(K, 1, 4H)</summary>
    public Tensor HiddenBias { get; } = hiddenBias;

    public IEnumerable<Tensor> Parameters => [InputWeights, HiddenWeights, InputBias, HiddenBias];

    /// <summary>Reads (K, batch, time, inputs) from t = 0 on and returns every step's hidden state, (K, batch, time, H).</summary>
    public Tensor Read(Tensor input)
    {
        var (trials, batch, time) = (input.size(0), input.size(1), input.size(2));
        var hidden = HiddenWeights.size(2);

        // Every timestep's input projection in one product, then only the recurrent product per step.
        var projected = bmm(input.reshape(trials, batch * time, -1), InputWeights.transpose(1, 2))
            .add(InputBias, Scalars.One).add(HiddenBias, Scalars.One).reshape(trials, batch, time, 4 * hidden);
        // The recurrence, every step of every trial, as one operation each way (PackedRecurrence says why).
        return PackedRecurrence.Apply(projected, HiddenWeights);
    }
}
