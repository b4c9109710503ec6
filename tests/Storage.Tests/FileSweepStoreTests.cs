namespace SweepCluster.Storage.Tests;

public sealed class FileSweepStoreTests : SweepStoreTests, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    protected override ISweepStore Store => new FileSweepStore(_directory.Path);

    private string SweepDirectory(string sweepId) => Path.Combine(_directory.Path, "sweeps", sweepId);

    [Fact]
    public async Task ASweepIsASpecFileAndAFilePerChunkAndNoLeftovers()
    {
        await Store.WriteSpecAsync("sweep-f", "spec");
        await Store.WriteChunksAsync("sweep-f", new Dictionary<int, byte[]> { [0] = [1], [2] = [2] });
        await Store.WriteChunksAsync("sweep-f", new Dictionary<int, byte[]> { [2] = [3] });

        Assert.Equal(["0.chunk", "2.chunk", "spec.yaml"], Directory.GetFiles(SweepDirectory("sweep-f")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ASuggestionLineAKilledProcessLeftWithoutItsNewlineIsIgnoredAndCutOffByTheNextAppend()
    {
        await Store.WriteSuggestionsAsync("sweep-s", 0, ["a"]);
        File.AppendAllText(Path.Combine(SweepDirectory("sweep-s"), "suggestions"), "1\tb-cut-sh");

        Assert.Equal(["a"], await Store.ReadSuggestionsAsync("sweep-s"));

        await Store.WriteSuggestionsAsync("sweep-s", 1, ["b"]);

        Assert.Equal(["a", "b"], await Store.ReadSuggestionsAsync("sweep-s"));
        Assert.Equal("0\ta\n1\tb\n", File.ReadAllText(Path.Combine(SweepDirectory("sweep-s"), "suggestions")));
    }

    [Fact]
    public async Task AWriteAKilledProcessLeftInItsJournalIsReadWholeAndFinishedByTheNextWrite()
    {
        await Store.WriteChunksAsync("sweep-j", new Dictionary<int, byte[]> { [0] = [1], [1] = [1] });
        // Killed after the journal of {0: 2, 1: 2} landed and chunk 0 was put in place, before chunk 1.
        File.WriteAllBytes(Path.Combine(SweepDirectory("sweep-j"), FileSweepStore.JournalFile), FileSweepStore.Encode(new() { [0] = [2], [1] = [2] }));
        File.WriteAllBytes(Path.Combine(SweepDirectory("sweep-j"), "0.chunk"), [2]);

        var read = await Store.ReadChunksAsync("sweep-j");
        Assert.Equal([2], read[0]);
        Assert.Equal([2], read[1]);

        await Store.WriteChunksAsync("sweep-j", new Dictionary<int, byte[]> { [5] = [5] });

        Assert.False(File.Exists(Path.Combine(SweepDirectory("sweep-j"), FileSweepStore.JournalFile)));
        Assert.Equal([2], File.ReadAllBytes(Path.Combine(SweepDirectory("sweep-j"), "1.chunk")));
        Assert.Equal([0, 1, 5], (await Store.ReadChunksAsync("sweep-j")).Keys.Order());
    }

    [Fact]
    public async Task DeleteLeavesNoDirectoryBehind()
    {
        await Store.WriteSpecAsync("sweep-d", "spec");
        await Store.WriteChunksAsync("sweep-d", new Dictionary<int, byte[]> { [0] = [1] });

        await Store.DeleteAsync("sweep-d");

        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_directory.Path, "sweeps")));
    }

    public void Dispose() => _directory.Dispose();
}
