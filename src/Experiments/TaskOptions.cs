
namespace SweepCluster.Experiments;

/// <summary>
/// Task-specific knobs (<c>task_options</c> in a spec). A null value means "the task's default"; a value set
/// for a task that does not use it is rejected by <see cref="TrialConfig.Validate"/>.
/// </summary>
public sealed record TaskOptions
{
    /// <summary>cumsum: sequence length (the tutorial's <c>n_timesteps</c>).</summary>
    public int? Timesteps { get; init; }

    /// <summary>cumsum: optimizer steps per epoch, each on a fresh batch (the seed loop uses 1).</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>moving-square: frame width/height and number of frames.</summary>
    public int? Size { get; init; }

    /// <summary>moving-square and sentiment: training examples (sentiment: a cap on the source's train split).</summary>
    public int? TrainSize { get; init; }

    /// <summary>All tasks: held-out examples used by evaluation (sentiment: a cap on the test split).</summary>
    public int? TestSize { get; init; }

    /// <summary>sentiment: where the reviews come from.</summary>
    public SentimentSource? Source { get; init; }

    /// <summary>sentiment: the <c>imdb.npz</c> file or the <c>aclImdb</c> folder.</summary>
    public string? Path { get; init; }

    /// <summary>sentiment: vocabulary size including the 3 reserved ids (Keras' <c>num_words</c>).</summary>
    public int? NumWords { get; init; }

    /// <summary>sentiment: reviews are padded/truncated to this many tokens.</summary>
    public int? MaxLen { get; init; }

    /// <summary>sentiment: embedding width.</summary>
    public int? EmbeddingDim { get; init; }

    public static TaskOptions Default { get; } = new();

    // Defaults follow the seed experiments: the BiLSTM tutorial (10 timesteps, one sequence per step), the
    // CNN-LSTM chapter (50x50 video, 5000 training sequences, 100 held out) and the LSTM text article.
    public int TimestepsOrDefault => Timesteps ?? 10;

    public int StepsPerEpochOrDefault => StepsPerEpoch ?? 1;

    public int SizeOrDefault => Size ?? 50;

    public int TrainSizeOrDefault => TrainSize ?? 5000;

    public int TestSizeOrDefault(TaskKind task) => TestSize ?? (task == TaskKind.Sentiment ? 1000 : 100);

    public SentimentSource SourceOrDefault => Source ?? SentimentSource.Generated;

    public int NumWordsOrDefault => NumWords ?? 5000;

    public int MaxLenOrDefault => MaxLen ?? 300;

    public int EmbeddingDimOrDefault => EmbeddingDim ?? 15;

    internal IEnumerable<ConfigError> Validate(TaskKind task)
    {
        var used = task switch
        {
            TaskKind.Cumsum => new[] { nameof(Timesteps), nameof(StepsPerEpoch), nameof(TestSize) },
            TaskKind.MovingSquare => [nameof(Size), nameof(TrainSize), nameof(TestSize)],
            _ => [nameof(Source), nameof(Path), nameof(NumWords), nameof(MaxLen), nameof(EmbeddingDim), nameof(TrainSize), nameof(TestSize)],
        };
        var set = new (string Name, object? Value)[]
        {
            (nameof(Timesteps), Timesteps), (nameof(StepsPerEpoch), StepsPerEpoch), (nameof(Size), Size),
            (nameof(TrainSize), TrainSize), (nameof(TestSize), TestSize), (nameof(Source), Source), (nameof(Path), Path),
            (nameof(NumWords), NumWords), (nameof(MaxLen), MaxLen), (nameof(EmbeddingDim), EmbeddingDim),
        };
        foreach (var (name, value) in set)
        {
            if (value is not null && !used.Contains(name))
            {
                yield return new ConfigError(Field(name), $"does not apply to task {Names.Of(task)} (it uses {string.Join(", ", used.Select(Field))})");
            }
        }

        foreach (var (value, name, bound) in new (int? Value, string Name, Bound Bound)[]
                 {
                     (Timesteps, nameof(Timesteps), Limits.Timesteps), (StepsPerEpoch, nameof(StepsPerEpoch), Limits.StepsPerEpoch),
                     (Size, nameof(Size), Limits.Size), (TrainSize, nameof(TrainSize), Limits.TrainSize), (TestSize, nameof(TestSize), Limits.TestSize),
                     (NumWords, nameof(NumWords), Limits.NumWords), (MaxLen, nameof(MaxLen), Limits.MaxLen), (EmbeddingDim, nameof(EmbeddingDim), Limits.EmbeddingDim),
                 })
        {
            if (value is { } given && bound.Check(Field(name), given) is { } error)
            {
                yield return error with { Message = error.Message + Why(name, given < bound.Min) };
            }
        }

        if (Path is not null && (Path.Length is 0 or > Limits.MaxPathLength || Path.Any(char.IsControl)))
        {
            yield return new ConfigError(Field(nameof(Path)), $"must be a path of 1 to {Limits.MaxPathLength} characters without control characters");
        }

        if (task == TaskKind.Sentiment && SourceOrDefault != SentimentSource.Generated && string.IsNullOrWhiteSpace(Path))
        {
            yield return new ConfigError(Field(nameof(Path)), $"is required for source {SourceName(SourceOrDefault)} (the path to the data)");
        }
    }

    /// <summary>The spec spelling of an option: <c>TrainSize</c> becomes <c>task_options.train_size</c>.</summary>
    public static string Field(string propertyName) =>
        "task_options." + string.Concat(propertyName.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static string SourceName(SentimentSource source) => source switch
    {
        SentimentSource.ImdbNpz => "imdb-npz",
        SentimentSource.AclImdb => "aclimdb",
        _ => "generated",
    };

    public static SentimentSource ParseSource(string value, string field = "task_options.source") => value.Trim().ToLowerInvariant() switch
    {
        "generated" => SentimentSource.Generated,
        "imdb-npz" or "npz" => SentimentSource.ImdbNpz,
        "aclimdb" => SentimentSource.AclImdb,
        _ => throw new ConfigException(field, $"'{value}' is not one of generated, imdb-npz, aclimdb"),
    };

    private static string Why(string name, bool tooSmall) => (name, tooSmall) switch
    {
        (nameof(Size), true) => " (the 2x2 convolution and 2x2 pooling need frames of at least 4x4)",
        (nameof(NumWords), true) => " (ids 0-2 are reserved for padding, start and out-of-vocabulary)",
        _ => "",
    };
}
