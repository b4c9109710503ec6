using SweepCluster.Experiments;
using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using SweepCluster.Training.Tasks.Sentiment;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

public sealed class ConfigValidationTests
{
    [Theory]
    [InlineData("direction", "sideways")]
    [InlineData("merge_mode", "avg")]
    [InlineData("task", "mnist")]
    [InlineData("device", "tpu")]
    public void UnknownNamesAreRejectedNamingTheFieldAndTheChoices(string field, string value)
    {
        Action parse = field switch
        {
            "direction" => () => Names.ParseDirection(value),
            "merge_mode" => () => Names.ParseMergeMode(value),
            "task" => () => Names.ParseTask(value),
            _ => () => Names.ParseDevice(value),
        };

        var error = Assert.Throws<ConfigException>(parse);

        Assert.Equal(field, Assert.Single(error.Errors).Field);
        Assert.Contains($"'{value}' is not one of", error.Message);
    }

    [Fact]
    public void NamesRoundTripTheSpecSpelling()
    {
        Assert.Equal(TaskKind.MovingSquare, Names.ParseTask("moving-square"));
        Assert.Equal(MergeMode.Ave, Names.ParseMergeMode(Names.Of(MergeMode.Ave)));
        Assert.Equal(Direction.Bidirectional, Names.ParseDirection("Bidirectional"));
    }

    [Fact]
    public void EveryNonPositiveSizeIsReportedByItsField()
    {
        var config = new TrialConfig
        {
            Task = TaskKind.MovingSquare,
            TaskOptions = new TaskOptions { Size = 2, TrainSize = 0, TestSize = -1 },
            Hidden = 0,
            Layers = -2,
            Epochs = 0,
            BatchSize = 0,
            LearningRate = -1,
        };

        var fields = config.Validate().Select(e => e.Field);

        string[] expected = ["batch_size", "epochs", "hidden", "layers", "learning_rate", "task_options.size", "task_options.test_size", "task_options.train_size"];
        Assert.Equal(expected, fields.Order(StringComparer.Ordinal));
        Assert.Throws<ConfigException>(() => TrainingSession.Start(config));
    }

    [Fact]
    public void AnOptionOfAnotherTaskIsRejected()
    {
        var config = new TrialConfig { Task = TaskKind.Cumsum, TaskOptions = new TaskOptions { MaxLen = 100 } };

        var error = Assert.Single(config.Validate());

        Assert.Equal("task_options.max_len", error.Field);
        Assert.Contains("does not apply to task cumsum", error.Message);
    }

    [Fact]
    public void AFileSourceWithoutAPathIsRejected()
    {
        var config = new TrialConfig { Task = TaskKind.Sentiment, TaskOptions = new TaskOptions { Source = SentimentSource.ImdbNpz } };

        Assert.Equal("task_options.path", Assert.Single(config.Validate()).Field);
    }

    [Fact]
    public void AMissingDataFileIsReportedWithItsPathAndFormat()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", "imdb.npz");
        var config = new TrialConfig
        {
            Task = TaskKind.Sentiment,
            TaskOptions = new TaskOptions { Source = SentimentSource.ImdbNpz, Path = path },
        };

        var error = Assert.Throws<DataFileException>(() => TrainingSession.Start(config));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains("x_train.npy", error.Message);
    }

    [Fact]
    public void CudaWithoutACudaDeviceIsAConfigErrorNotACrash()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            return; // Only meaningful where TorchSharp finds no CUDA, which includes every CI machine.
        }

        var error = Assert.Throws<ConfigException>(() => TrainingSession.Start(Configs.Cumsum() with { Device = DeviceKind.Cuda }));

        Assert.Equal("device", Assert.Single(error.Errors).Field);
        Assert.Contains("no CUDA device", error.Message);
    }

    public static TheoryData<string, TrialConfig> Models() => new()
    {
        { "cumsum forward, 2 layers", Configs.Cumsum(Direction.Forward) with { Hidden = 7, Layers = 2 } },
        { "cumsum backward", Configs.Cumsum(Direction.Backward) with { Hidden = 5 } },
        { "cumsum bidirectional concat, 3 layers", Configs.Cumsum(Direction.Bidirectional, MergeMode.Concat) with { Hidden = 6, Layers = 3 } },
        { "cumsum bidirectional sum, 2 layers", Configs.Cumsum(Direction.Bidirectional, MergeMode.Sum) with { Hidden = 6, Layers = 2 } },
        { "moving-square 10x10", Configs.MovingSquare(size: 10, trainSize: 4, testSize: 2) },
        { "moving-square 13x13 bidirectional", Configs.MovingSquare(size: 13, trainSize: 4, testSize: 2) with { Direction = Direction.Bidirectional, MergeMode = MergeMode.Ave } },
        {
            "sentiment", new TrialConfig
            {
                Task = TaskKind.Sentiment, TaskOptions = new TaskOptions { NumWords = 300, MaxLen = 20, EmbeddingDim = 6, TrainSize = 8, TestSize = 4 },
                Hidden = 9, Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat,
            }
        },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void TheMemoryEstimateCountsExactlyTheRealModelsParameters(string name, TrialConfig config)
    {
        using var model = ModelFactory.Create(config, LearningTaskFactory.Create(config), TorchSharp.torch.CPU);

        var real = model.parameters().Sum(p => p.numel());

        Assert.True(real == (long)TrialFootprint.Of(config).Parameters, $"{name}: the model has {real} parameters, the estimate counts {TrialFootprint.Of(config).Parameters}");
    }

    [Theory]
    [InlineData("hidden", 5_000)]
    [InlineData("layers", 17)]
    [InlineData("epochs", 10_000_001)]
    [InlineData("batch_size", 70_000)]
    [InlineData("task_options.timesteps", 10_001)]
    [InlineData("task_options.steps_per_epoch", 2_000_000_000)]
    public void AValueBeyondItsDocumentedBoundIsRejectedByItsField(string field, int value)
    {
        var config = field switch
        {
            "hidden" => Configs.Cumsum() with { Hidden = value },
            "layers" => Configs.Cumsum() with { Layers = value },
            "epochs" => Configs.Cumsum() with { Epochs = value },
            "batch_size" => Configs.Cumsum() with { BatchSize = value },
            "task_options.timesteps" => Configs.Cumsum() with { TaskOptions = new TaskOptions { Timesteps = value } },
            _ => Configs.Cumsum() with { TaskOptions = new TaskOptions { StepsPerEpoch = value } },
        };

        var error = Assert.Single(config.Validate());

        Assert.Equal(field, error.Field);
        Assert.StartsWith("must be at most ", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e300)]
    public void ALearningRateThatIsNotAReasonableFiniteNumberIsRejected(double rate)
    {
        Assert.Equal("learning_rate", Assert.Single((Configs.Cumsum() with { LearningRate = rate }).Validate()).Field);
    }

    [Fact]
    public void SizesThatEachFitButTogetherNeedTooMuchMemoryAreRejectedWithTheEstimate()
    {
        var config = Configs.MovingSquare(size: 250, trainSize: 100, testSize: 10) with { BatchSize = 32 };

        var error = Assert.Single(config.Validate());

        Assert.Equal("task_options.size", error.Field);
        Assert.Matches(@"needs ~[\d,.]+ GiB .*above the 4.0 GiB a trial may take", error.Message);
        Assert.Throws<ConfigException>(() => TrainingSession.Start(config));
    }

    [Fact]
    public void ATrialThatDoesNotFitTheSilosFreeMemorySaysWhatItNeedsAndWhatTheSiloHas()
    {
        var footprint = TrialFootprint.Of(Configs.MovingSquare(size: 50));

        Assert.Null(footprint.Exceeds(availableBytes: 1L << 30));
        Assert.Matches(@"^needs ~0\.\d+ GiB, silo has 0\.001 GiB available \([\d,]+ parameters", footprint.Exceeds(availableBytes: 1L << 20));
    }
}
