using System.Diagnostics;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

[Collection(EngineCollection.Name)]
public sealed class HostileDataFileTrialTests(EngineFixture engine) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweep-hostile-data-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ATrialWhoseDataFileIsAFifoFailsAsUnreadableAndTheSiloKeepsTraining()
    {
        // Opening a FIFO for reading waits for a writer: a trial that did would hold its slot forever.
        var fifo = Path.Combine(_folder, "imdb.npz");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var hostile = engine.Client.GetGrain<ISweepGrain>("fifo-data");
        await hostile.SubmitAsync(
            new SweepSpec(
                "fifo-data", TaskKind.Sentiment,
                TaskOptions.Default with { Source = SentimentSource.ImdbNpz, Path = fifo, TrainSize = 10, TestSize = 10 },
                new SweepGrid([new SweptParameter("direction", ["forward"])]),
                Repeats: 1, Epochs: 2, BatchSize: null, DeviceKind.Cpu, Seed: 0, CheckpointEvery: 10),
            "");
        SweepProgress progress;
        try
        {
            progress = await engine.WaitForAsync(hostile, TimeSpan.FromSeconds(60));
        }
        finally
        {
            // Lets a reader stuck opening the FIFO go, so its slot and the fixture's silo can stop. On Linux a FIFO opened
            // for reading and writing at once never waits, and counts as the writer the stuck reader waits for.
            new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite).Dispose();
        }

        var trial = Assert.Single(progress.Trials);
        Assert.Equal(TrialStatus.Failed, trial.Status);
        Assert.StartsWith($"unreadable: sentiment data file '{fifo}': it is a FIFO", trial.Error);

        var next = engine.Client.GetGrain<ISweepGrain>("after-fifo-data");
        await next.SubmitAsync(Specs.Cumsum("after-fifo-data", epochs: 3, directions: [Direction.Forward], merges: [MergeMode.Concat]), "");
        var after = await engine.WaitForAsync(next);
        Assert.Equal(TrialStatus.Completed, Assert.Single(after.Trials).Status);
    }
}
