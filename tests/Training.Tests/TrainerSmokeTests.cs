using SweepCluster.Training.Configuration;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

public sealed class TrainerSmokeTests
{
    [Fact]
    public void VideoRuns()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Trainer.Run(Configs.MovingSquare(size: 12, trainSize: 400, epochs: 4), new TrainerOptions { OnEpoch = e => Console.WriteLine(e) });
        Console.WriteLine($"{clock.ElapsedMilliseconds} ms, acc {result.Test!.Accuracy}");
    }
}
