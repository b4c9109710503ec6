using SweepCluster.Experiments;
using SweepCluster.Training.Randomness;
using SweepCluster.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SweepCluster.Training.Models;

/// <summary>
/// Builds a trial's model from its config and the task's input. Pure: every weight comes from the trial
/// seed's model-init stream, so the same config and seed give the same model.
/// </summary>
public static class ModelFactory
{
    /// <summary>A new model; trials take theirs from <see cref="ModelPool"/>, which builds them here.</summary>
    public static SequenceModel Create(TrialConfig config, ILearningTask task, Device device)
    {
        var input = task.Input;
        var random = InitStream(config);
        var (front, features) = CreateFront(config, input, random);
        var encoder = new RecurrentEncoder(
            features, config.HiddenOrDefault, config.Layers, config.Direction, config.MergeMode,
            returnSequences: task.PerTimestep, random);
        var model = new SequenceModel(front, encoder, task.PerTimestep, random);
        return device.type == DeviceType.CPU ? model : model.to(device);
    }

    /// <summary>Draws every weight of <paramref name="model"/> (built for a config of the same shape) as <see cref="Create"/> would for <paramref name="config"/>.</summary>
    public static void Initialise(SequenceModel model, TrialConfig config) => model.Initialise(InitStream(config));

    private static Random InitStream(TrialConfig config) => SeedSequence.For(config.Seed, SeedSequence.Stream.ModelInit);

    private static (Module<Tensor, Tensor>? Front, long Features) CreateFront(TrialConfig config, ModelInput input, Random random)
    {
        switch (input)
        {
            case ModelInput.Frames frames:
            {
                var cnn = new FrameFeatures(frames.Size, random);
                return (cnn, cnn.OutputWidth);
            }

            case ModelInput.Tokens tokens:
            {
                var dim = config.TaskOptions.EmbeddingDimOrDefault;
                var embedding = Embedding(tokens.VocabularySize, dim);
                KerasInit.Embedding(embedding, random);
                return (embedding, dim);
            }

            case ModelInput.Values values:
                return (null, values.Features);

            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "unknown model input");
        }
    }
}
