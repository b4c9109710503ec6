using SweepCluster.Experiments;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tasks;

/// <summary>Builds the task a (validated) trial config names.</summary>
public static class LearningTaskFactory
{
    public static ILearningTask Create(TrialConfig config)
    {
        var options = config.TaskOptions;
        return config.Task switch
        {
            TaskKind.Cumsum => new CumsumTask(
                options.TimestepsOrDefault, config.BatchSizeOrDefault, options.StepsPerEpochOrDefault,
                options.TestSizeOrDefault(config.Task), config.Seed, config.Epochs),
            TaskKind.MovingSquare => new MovingSquareTask(
                options.SizeOrDefault, options.TrainSizeOrDefault, options.TestSizeOrDefault(config.Task),
                config.BatchSizeOrDefault, config.Seed),
            TaskKind.Sentiment => new SentimentTask(
                new SentimentCorpusOptions(
                    options.SourceOrDefault, options.Path, options.NumWordsOrDefault, options.MaxLenOrDefault,
                    options.TrainSize, options.TestSize),
                config.BatchSizeOrDefault, config.Seed),
            _ => throw new ConfigException("task", $"'{config.Task}' is not a known task"),
        };
    }
}
