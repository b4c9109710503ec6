using SweepCluster.Experiments;
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
}
