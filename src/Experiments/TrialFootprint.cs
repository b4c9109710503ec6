using System.Globalization;

namespace SweepCluster.Experiments;

/// <summary>
/// What one trial needs in memory, estimated from its config alone (no TorchSharp): the model's parameters, their
/// gradients and Adam's two moments, the activations a training step keeps for the backward pass (batch x timesteps),
/// and the task's data. Counted in doubles, so no size a spec can name overflows. Deliberately generous: it is used to
/// refuse trials that cannot fit (the spec's per-trial maximum, a silo's free memory), not to plan tight packing.
/// </summary>
public sealed record TrialFootprint(double Parameters, double ParameterBytes, double ActivationBytes, double DataBytes, string Culprit)
{
    private const double Float = 4;

    public double Bytes => ParameterBytes + ActivationBytes + DataBytes;

    public static TrialFootprint Of(TrialConfig config)
    {
        var options = config.TaskOptions ?? TaskOptions.Default;
        double hidden = config.HiddenOrDefault;
        double batch = config.BatchSizeOrDefault;
        double directions = config.Direction == Direction.Bidirectional ? 2 : 1;
        double layerOutput = config.Direction == Direction.Bidirectional && config.MergeMode == MergeMode.Concat ? 2 * hidden : hidden;

        // The front turns each timestep into features: a value (cumsum), a pooled 2-filter convolution of a frame
        // (moving-square), an embedding row (sentiment).
        var (timesteps, features, frontParameters, frontActivations, data, activationField) = config.Task switch
        {
            TaskKind.MovingSquare => MovingSquare(options),
            TaskKind.Sentiment => Sentiment(options),
            _ => ((double)options.TimestepsOrDefault, 1d, 0d, 1d, 0d, "task_options.timesteps"),
        };

        double lstm = 0;
        var input = features;
        for (var layer = 0; layer < Math.Max(1, config.Layers); layer++)
        {
            // TorchSharp's LSTM: weight_ih (4h x in), weight_hh (4h x h), bias_ih and bias_hh (4h each), per direction.
            lstm += directions * (4 * hidden * (input + hidden) + 8 * hidden);
            input = layerOutput;
        }

        var parameters = frontParameters + lstm + layerOutput + 1;

        // Per step and direction a layer keeps its 4 gates, their activations, the cell, tanh(cell) and the output
        // (~12 h), and the layer's output; the backward pass needs as much again.
        var perStep = frontActivations + Math.Max(1, config.Layers) * (directions * 12 * hidden + layerOutput);
        var activations = 2 * Float * batch * timesteps * perStep;
        var parameterBytes = 4 * Float * parameters; // weights, gradients, Adam's two moments

        var culprit = parameterBytes >= activations && parameterBytes >= data
            ? frontParameters > lstm ? "task_options.embedding_dim" : "hidden"
            : activations >= data ? activationField : "task_options.train_size";
        return new TrialFootprint(parameters, parameterBytes, activations, data, culprit);
    }

    /// <summary>"needs ~X GiB (...), above the 4.0 GiB a trial may take" when over <see cref="Limits.MaxTrialBytes"/>, else null.</summary>
    public string? OverTrialLimit() =>
        Bytes > Limits.MaxTrialBytes ? $"needs ~{Describe()}, above the {GiB(Limits.MaxTrialBytes)} a trial may take" : null;

    /// <summary>What several trials held at once need (a pack's members), named after the first one's culprit.</summary>
    public static TrialFootprint Together(IEnumerable<TrialFootprint> trials) =>
        trials.Aggregate((a, b) => new TrialFootprint(
            a.Parameters + b.Parameters, a.ParameterBytes + b.ParameterBytes, a.ActivationBytes + b.ActivationBytes, a.DataBytes + b.DataBytes, a.Culprit));

    /// <summary>How many trials of this size fit in <paramref name="bytes"/> together (a pack holds all its members at once).</summary>
    public int HowManyFitIn(double bytes) => (int)Math.Clamp(Math.Floor(bytes / Bytes), 0, int.MaxValue);

    /// <summary>Null when the trial fits in <paramref name="availableBytes"/>, else why not: "needs ~X GiB, silo has Y GiB available (...)".</summary>
    public string? Exceeds(double availableBytes) =>
        Bytes <= availableBytes ? null : $"needs ~{GiB(Bytes)}, silo has {GiB(availableBytes)} available ({Breakdown()})";

    public string Describe() => $"{GiB(Bytes)} ({Breakdown()})";

    private string Breakdown() =>
        $"{Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters with gradients and Adam's state {GiB(ParameterBytes)}, " +
        $"activations {GiB(ActivationBytes)}, data {GiB(DataBytes)}";

    public static string GiB(double bytes) => (bytes / (1L << 30)).ToString(bytes < 1L << 30 ? "0.###" : "N1", CultureInfo.InvariantCulture) + " GiB";

    private static (double Timesteps, double Features, double Parameters, double Activations, double Data, string Field) MovingSquare(TaskOptions options)
    {
        double size = options.SizeOrDefault;
        var pooled = Math.Floor((size - 1) / 2);
        var features = 2 * pooled * pooled;

        // Each frame: its pixels, the convolution and its ReLU (2 filters of (size-1)^2), the pooled features and the
        // pooling's indices. The videos themselves are kept compact (a row per column) and drawn per batch.
        var perFrame = size * size + 4 * (size - 1) * (size - 1) + 2 * features;
        var data = ((double)options.TrainSizeOrDefault + options.TestSizeOrDefault(TaskKind.MovingSquare)) * (size + 1) * Float;
        return (size, features, 2 * 2 * 2 + 2, perFrame, data, "task_options.size");
    }

    private static (double Timesteps, double Features, double Parameters, double Activations, double Data, string Field) Sentiment(TaskOptions options)
    {
        double dim = options.EmbeddingDimOrDefault;
        double length = options.MaxLenOrDefault;

        // Reviews are held as padded token ids (8 bytes each) for the train and test splits.
        var data = ((double)options.TrainSizeOrDefault + options.TestSizeOrDefault(TaskKind.Sentiment)) * length * 8;
        return (length, dim, (double)options.NumWordsOrDefault * dim, dim, data, "task_options.max_len");
    }
}
