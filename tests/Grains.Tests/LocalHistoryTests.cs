using Orleans.TestingHost;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A local silo with a store directory keeps its sweeps in files: a silo started again on the same directory lists them,
/// answers for them, and finishes the ones it was running when the last one stopped (local reminders die with their silo).
/// </summary>
public sealed class LocalHistoryTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("sweep-local-history-").FullName;

    [Fact]
    public async Task ASweepOutlivesItsLocalSiloAndFinishesWhenTheNextOneStarts()
    {
        var spec = Specs.Cumsum("history", epochs: 1000, repeats: 4, directions: [Direction.Forward], merges: [MergeMode.Concat], learningRates: [0.1]) with { Pack = false };
        var first = await StartAsync();
        await first.Client.GetGrain<ISweepGrain>("history").SubmitAsync(spec, "name: history\n");
        await WaitUntilAsync(first, async s => (await s.GetOverviewAsync())!.EpochsDone > 0);
        Assert.False((await first.Client.GetGrain<ISweepGrain>("history").GetOverviewAsync())!.IsFinished);
        await first.DisposeAsync();

        var second = await StartAsync();
        try
        {
            // Only the registry is asked: the silo itself must bring the sweep back.
            var registry = second.Client.GetGrain<ISweepRegistryGrain>(0);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while ((await registry.ListAsync(0, 10)).Sweeps.SingleOrDefault(s => s.SweepId == "history") is not { Finished: not null })
            {
                Assert.True(DateTime.UtcNow < deadline, "the sweep did not finish after the silo started again");
                await Task.Delay(200);
            }

            var progress = (await second.Client.GetGrain<ISweepGrain>("history").GetProgressAsync())!;
            Assert.All(progress.Trials, t => Assert.Equal((TrialStatus.Completed, 1000), (t.Status, t.Epochs)));
            Assert.All((await second.Client.GetGrain<ISweepGrain>("history").ReadAllCurvesAsync()).Values, c => Assert.Equal(1000, c.Epochs));
            Assert.Equal("name: history\n", await second.Client.GetGrain<ISweepGrain>("history").GetSpecYamlAsync());
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private Task<InProcessTestCluster> StartAsync() => StoreBackedCluster.StartAsync(_home, silos: 1);

    private static async Task WaitUntilAsync(InProcessTestCluster cluster, Func<ISweepGrain, Task<bool>> condition)
    {
        var sweep = cluster.Client.GetGrain<ISweepGrain>("history");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition(sweep))
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not start");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
