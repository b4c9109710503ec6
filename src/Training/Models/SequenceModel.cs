using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SweepCluster.Training.Models;

/// <summary>
/// The seed experiments' architecture: an optional front (per-frame CNN or word embedding), a
/// <see cref="RecurrentEncoder"/> and a one-unit dense head. Returns logits — per timestep (batch, time) for
/// taggers, or per sequence (batch) for classifiers; the sigmoid lives in the loss for numerical stability.
/// </summary>
public sealed class SequenceModel : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>? _front;
    private readonly RecurrentEncoder _encoder;
    private readonly Linear _head;

    public SequenceModel(Module<Tensor, Tensor>? front, RecurrentEncoder encoder, bool perTimestep, Random random)
        : base(nameof(SequenceModel))
    {
        _front = front;
        _encoder = encoder;
        PerTimestep = perTimestep;
        _head = Linear(encoder.OutputWidth, 1);
        InitialiseHead(random);
        RegisterComponents();
    }

    /// <summary>
    /// Draws every weight afresh from <paramref name="random"/> in the order a new model draws them (front, encoder,
    /// head), so a reused model starts exactly as a new one built from the same stream (<see cref="ModelPool"/>).
    /// </summary>
    public void Initialise(Random random)
    {
        switch (_front)
        {
            case FrameFeatures frames:
                frames.Initialise(random);
                break;
            case Embedding embedding:
                KerasInit.Embedding(embedding, random);
                break;
        }

        _encoder.Initialise(random);
        InitialiseHead(random);
    }

    private void InitialiseHead(Random random)
    {
        KerasInit.GlorotUniform(_head.weight!, _encoder.OutputWidth, 1, random);
        KerasInit.Zeros(_head.bias!);
    }

    public bool PerTimestep { get; }

    public override Tensor forward(Tensor input)
    {
        var features = _front is null ? input : _front.call(input);
        return _head.call(_encoder.call(features)).squeeze(-1);
    }
}
