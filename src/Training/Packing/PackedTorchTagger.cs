using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// K packed cumsum taggers as torch operations on tensors with a leading trial axis: what <see cref="PackedStepKernel"/>
/// computes for one trial at a time in C#, here for all trials at once on any device (a GPU above all, where the
/// kernel's loops over host memory cannot run), with autograd for the backward pass. The input projection is one
/// broadcast multiply, each timestep one batched matmul per reader (trial axis as the batch), the head one more.
/// </summary>
/// <remarks>
/// Parameter i is the stack over trials of the single trial's parameter <see cref="PackedSession"/>'s layout names
/// (shape [K, ..its shape]): per reader W_ih, W_hh, b_ih, b_hh, then the head's weight and bias; registered under the
/// layout's names with dots as underscores. A one-way trial reading backwards gets its sequences reversed by the caller
/// (values and labels, so its per-timestep loss is taken in that order, as the kernel does); a bidirectional pack's
/// second reader reads every sequence reversed and its outputs are put back in input order.
/// </remarks>
internal sealed class PackedTorchTagger : nn.Module<Tensor, Tensor>
{
    private readonly Parameter[] _stacked;
    private readonly int _readers;
    private readonly bool _concat;

    /// <summary>Merged bidirectional packs: each trial's (a, m) in a(f + b) + m(f * b), shaped [K, 1, 1, 1].</summary>
    private readonly Tensor _mergeSum;
    private readonly Tensor _mergeProduct;

    public PackedTorchTagger(
        IReadOnlyList<(string Name, long[] Shape)> layout, int trials, bool bidirectional, bool concat,
        IReadOnlyList<(float Sum, float Product)> merges, Device device)
        : base(nameof(PackedTorchTagger))
    {
        (_readers, _concat) = (bidirectional ? 2 : 1, bidirectional && concat);
        _stacked = [.. layout.Select(entry => new Parameter(zeros([trials, .. entry.Shape], ScalarType.Float32, device)))];
        _mergeSum = tensor(merges.Select(m => m.Sum).ToArray(), device: device).view(trials, 1, 1, 1);
        _mergeProduct = tensor(merges.Select(m => m.Product).ToArray(), device: device).view(trials, 1, 1, 1);
        for (var i = 0; i < layout.Count; i++)
        {
            register_parameter(layout[i].Name.Replace('.', '_'), _stacked[i]);
        }

        register_buffer("merge_sum", _mergeSum);
        register_buffer("merge_product", _mergeProduct);
    }

    /// <summary>The stacked parameters, in the layout's order.</summary>
    public IReadOnlyList<Parameter> Stacked => _stacked;

    /// <summary>The logits of every trial's batch: <paramref name="values"/> [K, batch, time] to [K, batch, time].</summary>
    public override Tensor forward(Tensor values) => Logits(_stacked, _mergeSum, _mergeProduct, values);

    /// <summary>Trial <paramref name="trial"/>'s logits alone (values [1, sequences, time]), for scoring its held-out set.</summary>
    public Tensor LogitsOf(int trial, Tensor values) =>
        Logits([.. _stacked.Select(p => p.narrow(0, trial, 1))], _mergeSum.narrow(0, trial, 1), _mergeProduct.narrow(0, trial, 1), values);

    private Tensor Logits(IReadOnlyList<Tensor> stacked, Tensor mergeSum, Tensor mergeProduct, Tensor values)
    {
        var (trials, batch, time) = (values.shape[0], values.shape[1], values.shape[2]);
        var readers = new Tensor[_readers];
        for (var reader = 0; reader < _readers; reader++)
        {
            var (inputWeight, recurrentWeight, inputBias, hiddenBias) = (stacked[4 * reader], stacked[(4 * reader) + 1], stacked[(4 * reader) + 2], stacked[(4 * reader) + 3]);
            var gates = inputWeight.shape[1];
            var input = reader == 1 ? values.flip(2) : values;

            // One input value per timestep: its projection is a broadcast product, both biases added once.
            var projected = (input.unsqueeze(-1) * inputWeight.view(trials, 1, 1, gates)) + (inputBias + hiddenBias).view(trials, 1, 1, gates);
            var recurrent = recurrentWeight.transpose(1, 2); // [K, H, 4H]
            var hidden = zeros([trials, batch, gates / 4], ScalarType.Float32, values.device);
            var cell = zeros([trials, batch, gates / 4], ScalarType.Float32, values.device);
            var outputs = new Tensor[time];
            for (var t = 0; t < time; t++)
            {
                var chunks = (projected.select(2, t) + hidden.bmm(recurrent)).chunk(4, -1); // torch's gate order: i, f, g, o
                cell = (sigmoid(chunks[1]) * cell) + (sigmoid(chunks[0]) * tanh(chunks[2]));
                hidden = sigmoid(chunks[3]) * tanh(cell);
                outputs[t] = hidden;
            }

            var read = stack(outputs, 2); // [K, batch, time, H]
            readers[reader] = reader == 1 ? read.flip(2) : read;
        }

        var features = _readers == 1 ? readers[0]
            : _concat ? cat([readers[0], readers[1]], -1)
            : (mergeSum * (readers[0] + readers[1])) + (mergeProduct * (readers[0] * readers[1]));
        var width = features.shape[3];
        var (headWeight, headBias) = (stacked[4 * _readers], stacked[(4 * _readers) + 1]);
        var logits = features.reshape(trials, batch * time, width).bmm(headWeight.transpose(1, 2)); // [K, batch * time, 1]
        return logits.view(trials, batch, time) + headBias.view(trials, 1, 1);
    }

    /// <summary>Per trial, the mean binary cross-entropy of <paramref name="logits"/> against <paramref name="labels"/> ([K, batch, time] to [K]).</summary>
    public static Tensor MeanLosses(Tensor logits, Tensor labels) =>
        nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None).mean([1, 2]);

    /// <summary>Per trial, the labels its logits predict right ([K, batch, time] to [K]).</summary>
    public static Tensor Hits(Tensor logits, Tensor labels) =>
        logits.gt(0).eq(labels.gt(0.5)).sum([1, 2]);
}
