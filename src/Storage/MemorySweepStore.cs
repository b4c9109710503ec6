using System.Collections.Concurrent;

namespace SweepCluster.Storage;

/// <summary>
/// Sweeps' specs, ledger chunks and suggestion logs in this process's memory: unit tests, and a silo given no store
/// directory. It refuses the ids the durable stores refuse, so a test on it fails where they would.
/// </summary>
public sealed class MemorySweepStore : ISweepStore
{
    private readonly ConcurrentDictionary<string, string> _specs = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte[]>> _chunks = new();
    private readonly ConcurrentDictionary<string, byte[]> _leaders = new();
    private readonly ConcurrentDictionary<string, SortedDictionary<int, string>> _suggestions = new();

    public Task WriteSpecAsync(string sweepId, string specYaml)
    {
        _specs[StoreIds.Sweep(sweepId)] = specYaml;
        return Task.CompletedTask;
    }

    public Task<string?> ReadSpecAsync(string sweepId) => Task.FromResult(_specs.GetValueOrDefault(StoreIds.Sweep(sweepId)));

    public Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks)
    {
        foreach (var index in chunks.Keys.Where(index => index < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), index, "chunk indexes start at 0");
        }

        var stored = _chunks.GetOrAdd(StoreIds.Sweep(sweepId), _ => new());
        foreach (var (index, bytes) in chunks)
        {
            stored[index] = [.. bytes];
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId) =>
        Task.FromResult<IReadOnlyDictionary<int, byte[]>>(
            _chunks.TryGetValue(StoreIds.Sweep(sweepId), out var chunks) ? chunks.ToDictionary(c => c.Key, c => (byte[])[.. c.Value]) : []);

    public Task WriteLeadersAsync(string sweepId, byte[] leaders)
    {
        _leaders[StoreIds.Sweep(sweepId)] = [.. leaders];
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadLeadersAsync(string sweepId) =>
        Task.FromResult<byte[]?>(_leaders.TryGetValue(StoreIds.Sweep(sweepId), out var leaders) ? [.. leaders] : null);

    public Task WriteSuggestionsAsync(string sweepId, int first, IReadOnlyList<string> entries)
    {
        SuggestionLog.CheckWrite(first, entries);
        var log = _suggestions.GetOrAdd(StoreIds.Sweep(sweepId), _ => []);
        lock (log)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                log[first + i] = entries[i];
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ReadSuggestionsAsync(string sweepId)
    {
        if (!_suggestions.TryGetValue(StoreIds.Sweep(sweepId), out var log))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        lock (log)
        {
            return Task.FromResult(SuggestionLog.Prefix(log));
        }
    }

    public Task DeleteAsync(string sweepId)
    {
        StoreIds.Sweep(sweepId);
        _suggestions.TryRemove(sweepId, out _);
        _specs.TryRemove(sweepId, out _);
        _leaders.TryRemove(sweepId, out _);
        _chunks.TryRemove(sweepId, out _);
        return Task.CompletedTask;
    }
}
