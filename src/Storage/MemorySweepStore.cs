using System.Collections.Concurrent;

namespace SweepCluster.Storage;

/// <summary>Sweeps' specs and ledger chunks in this process's memory: unit tests, and a silo given no store directory.</summary>
public sealed class MemorySweepStore : ISweepStore
{
    private readonly ConcurrentDictionary<string, string> _specs = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte[]>> _chunks = new();
    private readonly ConcurrentDictionary<string, byte[]> _leaders = new();

    public Task WriteSpecAsync(string sweepId, string specYaml)
    {
        _specs[sweepId] = specYaml;
        return Task.CompletedTask;
    }

    public Task<string?> ReadSpecAsync(string sweepId) => Task.FromResult(_specs.GetValueOrDefault(sweepId));

    public Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks)
    {
        var stored = _chunks.GetOrAdd(sweepId, _ => new());
        foreach (var (index, bytes) in chunks)
        {
            stored[index] = [.. bytes];
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId) =>
        Task.FromResult<IReadOnlyDictionary<int, byte[]>>(
            _chunks.TryGetValue(sweepId, out var chunks) ? chunks.ToDictionary(c => c.Key, c => (byte[])[.. c.Value]) : []);

    public Task WriteLeadersAsync(string sweepId, byte[] leaders)
    {
        _leaders[sweepId] = [.. leaders];
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadLeadersAsync(string sweepId) =>
        Task.FromResult<byte[]?>(_leaders.TryGetValue(sweepId, out var leaders) ? [.. leaders] : null);

    public Task DeleteAsync(string sweepId)
    {
        _specs.TryRemove(sweepId, out _);
        _leaders.TryRemove(sweepId, out _);
        _chunks.TryRemove(sweepId, out _);
        return Task.CompletedTask;
    }
}
