using Xunit.Abstractions;

namespace SweepCluster.Storage.Tests;

public sealed class FileCurveStoreTests(ITestOutputHelper output) : CurveStoreTests(output), IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    protected override ICurveStore Store => new FileCurveStore(_directory.Path);

    [Fact]
    public async Task ACurveIsOneFileOfTwentyFourBytesPerEpochUnderTheStoreDirectory()
    {
        await Store.WriteAsync("t-size", [.. Enumerable.Range(1, 7).Select(e => Epoch("t-size", e))]);

        var file = Assert.Single(Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories));
        Assert.Equal("t-size.curve", Path.GetFileName(file));
        Assert.StartsWith(Path.Combine(_directory.Path, "curves") + Path.DirectorySeparatorChar, file);
        Assert.Equal(7 * 24, new FileInfo(file).Length);
    }

    [Fact]
    public async Task AReaderSeesEveryEpochAWriterHasFinishedWhileItWrites()
    {
        var writer = Task.Run(async () =>
        {
            for (var epoch = 1; epoch <= 300; epoch++)
            {
                await Store.WriteAsync("t-live", [Epoch("t-live", epoch)]);
            }
        });
        var seen = 0;
        while (!writer.IsCompleted)
        {
            var curve = Assert.Single(await Store.ReadAsync([new("t-live", 300)]));
            Assert.True(curve.Epochs >= seen, $"read {curve.Epochs} epochs after {seen}");
            Assert.Equal(Enumerable.Range(1, curve.Epochs).Select(e => (double)e), curve.Loss);
            seen = curve.Epochs;
        }

        await writer;
        Assert.Equal(300, Assert.Single(await Store.ReadAsync([new("t-live", 300)])).Epochs);
    }

    public void Dispose() => _directory.Dispose();
}
