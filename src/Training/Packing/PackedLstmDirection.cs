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
    public Tensor Read(Tensor input) =>
        // The recurrence, every step of every trial, as one operation (PackedRecurrence says why).
        PackedRecurrence.Apply(Project(input), HiddenWeights);

    /// <summary>
    /// Both directions of bidirectional trials: <paramref name="forwards"/> reads (K, batch, time, inputs) from t = 0 on,
    /// <paramref name="backwards"/> from the last step back; each returns its hidden states in input order. Both
    /// recurrences run as one operation over 2K sequences of weights: each call of a custom autograd function leaves
    /// TorchSharp objects to the finalizer (docs/performance.md, "Garbage collection"), and they are independent anyway.
    /// </summary>
    public static (Tensor Forwards, Tensor Backwards) ReadBoth(PackedLstmDirection forwards, PackedLstmDirection backwards, Tensor input)
    {
        var trials = input.size(0);
        var projected = cat([forwards.Project(input), backwards.Project(input.flip(2))], 0);
        var hidden = PackedRecurrence.Apply(projected, cat([forwards.HiddenWeights, backwards.HiddenWeights], 0));
        return (hidden.narrow(0, 0, trials), hidden.narrow(0, trials, trials).flip(2));
    }

    /// <summary>Every timestep's input projection in one product, biases added: (K, batch, time, 4H).</summary>
    private Tensor Project(Tensor input)
    {
        var (trials, batch, time) = (input.size(0), input.size(1), input.size(2));
        return bmm(input.reshape(trials, batch * time, -1), InputWeights.transpose(1, 2))
            .add(InputBias, Scalars.One).add(HiddenBias, Scalars.One).reshape(trials, batch, time, 4 * HiddenWeights.size(2));
    }
}
