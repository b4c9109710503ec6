using System.Collections.Concurrent;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Tests;

/// <summary>The silo's sweep store, counting each sweep's calls and the largest ledger chunk ever written.</summary>
public sealed class CountingSweepStore(ISweepStore inner) : ISweepStore
{
    private readonly ConcurrentDictionary<string, Counts> _counts = new();

    public Counts Of(string sweepId) => _counts.GetOrAdd(sweepId, _ => new Counts());

    public Task WriteSpecAsync(string sweepId, string specYaml)
    {
        Interlocked.Increment(ref Of(sweepId).SpecWrites);
        return inner.WriteSpecAsync(sweepId, specYaml);
    }

    public Task<string?> ReadSpecAsync(string sweepId)
    {
        Interlocked.Increment(ref Of(sweepId).SpecReads);
        return inner.ReadSpecAsync(sweepId);
    }

    public Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks)
    {
        var counts = Of(sweepId);
        Interlocked.Increment(ref counts.ChunkWrites);
        foreach (var chunk in chunks.Values)
        {
            InterlockedMax(ref counts.LargestChunk, chunk.Length);
        }

        return inner.WriteChunksAsync(sweepId, chunks);
    }

    public Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId)
    {
        Interlocked.Increment(ref Of(sweepId).ChunkReads);
        return inner.ReadChunksAsync(sweepId);
    }

    /// <summary>While set, suggestion writes fail as an unreachable store does.</summary>
    public bool FailSuggestionWrites { get; set; }

    /// <summary>While set, a write that would take a sweep's suggestion log past this many entries fails (the earlier ones are stored).</summary>
    public int? SuggestionLimit { get; set; }

    public Task WriteSuggestionsAsync(string sweepId, int first, IReadOnlyList<string> entries)
    {
        Interlocked.Increment(ref Of(sweepId).SuggestionWrites);
        return FailSuggestionWrites || first + entries.Count > SuggestionLimit
            ? Task.FromException(new IOException("the sweep store is unreachable"))
            : inner.WriteSuggestionsAsync(sweepId, first, entries);
    }

    public Task<IReadOnlyList<string>> ReadSuggestionsAsync(string sweepId)
    {
        Interlocked.Increment(ref Of(sweepId).SuggestionReads);
        return inner.ReadSuggestionsAsync(sweepId);
    }

    /// <summary>The registry's, not the sweep's: not counted.</summary>
    public Task WriteLeadersAsync(string sweepId, byte[] leaders) => inner.WriteLeadersAsync(sweepId, leaders);

    public Task<byte[]?> ReadLeadersAsync(string sweepId) => inner.ReadLeadersAsync(sweepId);

    public Task DeleteAsync(string sweepId) => inner.DeleteAsync(sweepId);

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    /// <summary>One sweep's calls so far (fields, so they can be counted with <see cref="Interlocked"/>).</summary>
    public sealed class Counts
    {
        public int SpecWrites;
        public int SpecReads;
        public int ChunkWrites;
        public int ChunkReads;
        public int LargestChunk;
        public int SuggestionWrites;
        public int SuggestionReads;

        public int Reads => Volatile.Read(ref SpecReads) + Volatile.Read(ref ChunkReads);
    }
}
