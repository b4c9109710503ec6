using TorchSharp;
using SweepCluster.Experiments;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SweepCluster.Training.Models;

/// <summary>
/// A stack of LSTM layers read forwards, backwards or both, as Keras' <c>LSTM</c>, <c>LSTM(go_backwards=True)</c>
/// and <c>Bidirectional(LSTM, merge_mode)</c>. Input (batch, time, features).
/// With <c>returnSequences</c> the output is (batch, time, width) with every timestep aligned to the input's
/// order — unlike Keras' <c>go_backwards</c>, which returns the backward reader's outputs reversed, so a
/// per-timestep head there sees step t's output at position T-1-t. Without it the output is (batch, width):
/// the state after each reader has seen the whole sequence (forward: at T-1; backward: at 0).
/// </summary>
public sealed class RecurrentEncoder : Module<Tensor, Tensor>
{
    private static readonly Scalar Half = 0.5;

    private readonly ModuleList<LSTM> _layers;
    private readonly Direction _direction;
    private readonly MergeMode _mergeMode;
    private readonly bool _returnSequences;
    private readonly long _hidden;

    public RecurrentEncoder(long inputFeatures, long hidden, int layers, Direction direction, MergeMode mergeMode, bool returnSequences, Random random)
        : base(nameof(RecurrentEncoder))
    {
        _direction = direction;
        _mergeMode = mergeMode;
        _returnSequences = returnSequences;
        _hidden = hidden;
        _layers = new ModuleList<LSTM>();
        var features = inputFeatures;
        for (var i = 0; i < layers; i++)
        {
            _layers.Add(LSTM(features, hidden, numLayers: 1, batchFirst: true, bidirectional: direction == Direction.Bidirectional));
            features = OutputWidthFor(hidden, direction, mergeMode);
        }

        OutputWidth = features;
        RegisterComponents();
        Initialise(random);
    }

    /// <summary>Draws every weight afresh from <paramref name="random"/> (Keras' LSTM initialisers), layer by layer.</summary>
    public void Initialise(Random random)
    {
        foreach (var lstm in _layers)
        {
            InitialiseLstm(lstm, random);
        }
    }

    /// <summary>Features per output step: 2 x hidden for a concat-merged bidirectional layer, else hidden.</summary>
    public long OutputWidth { get; }

    public static long OutputWidthFor(long hidden, Direction direction, MergeMode mergeMode) =>
        direction == Direction.Bidirectional && mergeMode == MergeMode.Concat ? 2 * hidden : hidden;

    public override Tensor forward(Tensor input)
    {
        var sequence = input;
        for (var i = 0; i < _layers.Count; i++)
        {
            var last = i == _layers.Count - 1;
            sequence = RunLayer(_layers[i], sequence, returnSequences: !last || _returnSequences);
        }

        return sequence;
    }

    private Tensor RunLayer(LSTM lstm, Tensor input, bool returnSequences)
    {
        switch (_direction)
        {
            case Direction.Forward:
            {
                var (output, _, _) = lstm.call(input);
                return returnSequences ? output : output.select(1, -1);
            }

            case Direction.Backward:
            {
                var (reversed, _, _) = lstm.call(input.flip(1));
                return returnSequences ? reversed.flip(1) : reversed.select(1, -1);
            }

            default:
            {
                // torch's bidirectional output already aligns the backward half with input positions.
                var (output, _, _) = lstm.call(input);
                var forwards = output.narrow(-1, 0, _hidden);
                var backwards = output.narrow(-1, _hidden, _hidden);
                if (!returnSequences)
                {
                    forwards = forwards.select(1, -1);
                    backwards = backwards.select(1, 0);
                }

                return Merge(forwards, backwards);
            }
        }
    }

    private Tensor Merge(Tensor forwards, Tensor backwards) => _mergeMode switch
    {
        MergeMode.Concat => cat([forwards, backwards], -1),
        MergeMode.Sum => forwards + backwards,
        MergeMode.Mul => forwards * backwards,
        _ => (forwards + backwards).mul_(Half),
    };

    private static void InitialiseLstm(LSTM lstm, Random random)
    {
        var parameters = lstm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var suffix in new[] { "l0", "l0_reverse" })
        {
            if (parameters.ContainsKey($"weight_ih_{suffix}"))
            {
                KerasInit.LstmDirection(
                    parameters[$"weight_ih_{suffix}"], parameters[$"weight_hh_{suffix}"],
                    parameters[$"bias_ih_{suffix}"], parameters[$"bias_hh_{suffix}"], random);
            }
        }
    }
}
