namespace SweepCluster.Storage.Tests;

/// <summary>What every durable sweep store must do; each store's class runs these against a real one.</summary>
public abstract class SweepStoreTests
{
    protected abstract ISweepStore Store { get; }

    [Fact]
    public async Task ChunksReadBackAsWrittenAndAWriteReplacesOnlyTheChunksItNames()
    {
        await Store.WriteChunksAsync("sweep-1", new Dictionary<int, byte[]> { [0] = [1, 2], [1] = [3], [7] = [] });
        await Store.WriteChunksAsync("sweep-1", new Dictionary<int, byte[]> { [1] = [4, 5, 6] });

        var chunks = await Store.ReadChunksAsync("sweep-1");

        Assert.Equal([0, 1, 7], chunks.Keys.Order());
        Assert.Equal([1, 2], chunks[0]);
        Assert.Equal([4, 5, 6], chunks[1]);
        Assert.Empty(chunks[7]);
    }

    [Fact]
    public async Task AFullSizeLedgerRoundTrips()
    {
        var random = new Random(15);
        var ledger = Enumerable.Range(0, 40).ToDictionary(i => i, _ => { var bytes = new byte[64 * 1024 - 1]; random.NextBytes(bytes); return bytes; });

        await Store.WriteChunksAsync("sweep.big", ledger);
        var chunks = await Store.ReadChunksAsync("sweep.big");

        Assert.Equal(ledger.Count, chunks.Count);
        Assert.All(ledger, chunk => Assert.Equal(chunk.Value, chunks[chunk.Key]));
    }

    [Fact]
    public async Task TheSpecReadsBackAsWrittenAndAnUnknownSweepHasNothing()
    {
        const string Spec = "name: sweep-2\nepochs: 5\n# ünïcode stays\n";
        await Store.WriteSpecAsync("sweep-2", "name: old");
        await Store.WriteSpecAsync("sweep-2", Spec);

        Assert.Equal(Spec, await Store.ReadSpecAsync("sweep-2"));
        Assert.Null(await Store.ReadSpecAsync("sweep-unknown"));
        Assert.Empty(await Store.ReadChunksAsync("sweep-unknown"));
    }

    [Fact]
    public async Task DeleteRemovesTheSpecEveryChunkAndTheLeadersAndNothingOfOtherSweeps()
    {
        foreach (var sweep in new[] { "sweep-3", "sweep-4" })
        {
            await Store.WriteSpecAsync(sweep, "spec");
            await Store.WriteChunksAsync(sweep, new Dictionary<int, byte[]> { [0] = [1], [1] = [2] });
            await Store.WriteLeadersAsync(sweep, [7, 8]);
            await Store.WriteSuggestionsAsync(sweep, 0, ["{}"]);
        }

        await Store.DeleteAsync("sweep-3");
        await Store.DeleteAsync("sweep-never-written");

        Assert.Null(await Store.ReadSpecAsync("sweep-3"));
        Assert.Empty(await Store.ReadChunksAsync("sweep-3"));
        Assert.Null(await Store.ReadLeadersAsync("sweep-3"));
        Assert.Empty(await Store.ReadSuggestionsAsync("sweep-3"));
        Assert.Equal(["{}"], await Store.ReadSuggestionsAsync("sweep-4"));
        Assert.Equal("spec", await Store.ReadSpecAsync("sweep-4"));
        Assert.Equal(2, (await Store.ReadChunksAsync("sweep-4")).Count);
        Assert.Equal([7, 8], await Store.ReadLeadersAsync("sweep-4"));
    }

    [Fact]
    public async Task LeadersReadBackAsLastWrittenAndAreNoChunk()
    {
        Assert.Null(await Store.ReadLeadersAsync("sweep-5"));

        await Store.WriteChunksAsync("sweep-5", new Dictionary<int, byte[]> { [0] = [1] });
        await Store.WriteLeadersAsync("sweep-5", [1, 2, 3]);
        await Store.WriteLeadersAsync("sweep-5", [4, 5]);

        Assert.Equal([4, 5], await Store.ReadLeadersAsync("sweep-5"));
        Assert.Equal([0], (await Store.ReadChunksAsync("sweep-5")).Keys);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("a:b")]
    [InlineData("a\nb")]
    [InlineData("a{b}")]
    [InlineData("x12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task HostileSweepIdsAreRefusedByName(string sweepId)
    {
        Exception[] refusals =
        [
            await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteSpecAsync(sweepId, "spec")),
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadSpecAsync(sweepId)),
            await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteChunksAsync(sweepId, new Dictionary<int, byte[]> { [0] = [1] })),
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadChunksAsync(sweepId)),
            await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(sweepId)),
            await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteSuggestionsAsync(sweepId, 0, ["{}"])),
            await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadSuggestionsAsync(sweepId)),
        ];

        Assert.All(refusals, e => Assert.Contains($"'{sweepId}'", e.Message));
    }

    [Fact]
    public async Task SuggestionsReadBackInOrderAndAnAppendAddsAfterThem()
    {
        Assert.Empty(await Store.ReadSuggestionsAsync("sweep-6"));

        await Store.WriteSuggestionsAsync("sweep-6", 0, ["{\"lr\":\"0.1\"}", "{\"lr\":\"0.01\"}"]);
        await Store.WriteSuggestionsAsync("sweep-6", 2, ["{\"direction\":\"forward\", \"x\":\"\u00e9\"}"]);

        Assert.Equal(["{\"lr\":\"0.1\"}", "{\"lr\":\"0.01\"}", "{\"direction\":\"forward\", \"x\":\"\u00e9\"}"], await Store.ReadSuggestionsAsync("sweep-6"));
        Assert.Empty(await Store.ReadSuggestionsAsync("sweep-7"));
    }

    [Fact]
    public async Task ARetriedSuggestionWriteReplacesItsEntriesAndAGapEndsTheLog()
    {
        await Store.WriteSuggestionsAsync("sweep-8", 0, ["a", "b"]);
        await Store.WriteSuggestionsAsync("sweep-8", 1, ["b", "c"]); // the write of b, c was retried: b is not there twice
        await Store.WriteSuggestionsAsync("sweep-8", 5, ["f"]); // not after the log's end: not part of it

        Assert.Equal(["a", "b", "c"], await Store.ReadSuggestionsAsync("sweep-8"));
    }

    [Fact]
    public async Task SuggestionEntriesAreOneLineAtNonNegativePositions()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteSuggestionsAsync("sweep-9", 0, ["a\nb"]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.WriteSuggestionsAsync("sweep-9", -1, ["a"]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.WriteSuggestionsAsync("sweep-9", int.MaxValue, ["a", "b"]));
        Assert.Empty(await Store.ReadSuggestionsAsync("sweep-9"));
    }

    [Fact]
    public async Task NegativeChunkIndexesAreRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.WriteChunksAsync("sweep-5", new Dictionary<int, byte[]> { [-1] = [1] }));
    }
}
