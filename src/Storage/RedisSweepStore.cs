using StackExchange.Redis;

namespace SweepCluster.Storage;

/// <summary>
/// A sweep's spec and ledger in Redis: the spec as the string "clusterId:sweep:{sweepId}:spec", the ledger as the
/// hash "clusterId:sweep:{sweepId}:chunks" (field = chunk index), so a write of any number of chunks is one
/// multi-field HSET (atomic) and a reactivation reads the whole ledger with one HGETALL; the leaders as the string
/// "clusterId:sweep:{sweepId}:leaders", the suggestion log as the hash "clusterId:sweep:{sweepId}:suggestions" (field =
/// position, so a retried write replaces what it wrote). The braces are a Redis hash tag: on a Redis Cluster the keys share a slot,
/// so deleting them together stays one transaction.
/// </summary>
public sealed class RedisSweepStore(IConnectionMultiplexer redis, string clusterId) : ISweepStore
{
    private IDatabase Database => redis.GetDatabase();

    public Task WriteSpecAsync(string sweepId, string specYaml) => Database.StringSetAsync(SpecKey(sweepId), specYaml);

    public async Task<string?> ReadSpecAsync(string sweepId) => await Database.StringGetAsync(SpecKey(sweepId));

    public Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks)
    {
        var key = ChunksKey(sweepId);
        if (chunks.Count == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var index in chunks.Keys.Where(index => index < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), index, "chunk indexes start at 0");
        }

        return Database.HashSetAsync(key, [.. chunks.Select(chunk => new HashEntry(chunk.Key, chunk.Value))]);
    }

    public async Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId)
    {
        var entries = await Database.HashGetAllAsync(ChunksKey(sweepId));
        return entries.ToDictionary(entry => (int)entry.Name, entry => (byte[])entry.Value!);
    }

    public Task WriteLeadersAsync(string sweepId, byte[] leaders) => Database.StringSetAsync(LeadersKey(sweepId), leaders);

    public async Task<byte[]?> ReadLeadersAsync(string sweepId) => await Database.StringGetAsync(LeadersKey(sweepId));

    public Task WriteSuggestionsAsync(string sweepId, int first, IReadOnlyList<string> entries)
    {
        SuggestionLog.CheckWrite(first, entries);
        var key = SuggestionsKey(sweepId);
        return entries.Count == 0
            ? Task.CompletedTask
            : Database.HashSetAsync(key, [.. entries.Select((entry, i) => new HashEntry(first + i, entry))]);
    }

    public async Task<IReadOnlyList<string>> ReadSuggestionsAsync(string sweepId)
    {
        var entries = await Database.HashGetAllAsync(SuggestionsKey(sweepId));
        return SuggestionLog.Prefix(entries.ToDictionary(entry => (int)entry.Name, entry => (string)entry.Value!));
    }

    /// <summary>Every key in one MULTI/EXEC, so no reader sees a spec without its ledger or the other way round.</summary>
    public async Task DeleteAsync(string sweepId)
    {
        var transaction = Database.CreateTransaction();
        var spec = transaction.KeyDeleteAsync(SpecKey(sweepId));
        var chunks = transaction.KeyDeleteAsync(ChunksKey(sweepId));
        var leaders = transaction.KeyDeleteAsync(LeadersKey(sweepId));
        var suggestions = transaction.KeyDeleteAsync(SuggestionsKey(sweepId));
        await transaction.ExecuteAsync();
        await Task.WhenAll(spec, chunks, leaders, suggestions);
    }

    private RedisKey SpecKey(string sweepId) => $"{clusterId}:sweep:{{{StoreIds.Sweep(sweepId)}}}:spec";

    private RedisKey ChunksKey(string sweepId) => $"{clusterId}:sweep:{{{StoreIds.Sweep(sweepId)}}}:chunks";

    private RedisKey SuggestionsKey(string sweepId) => $"{clusterId}:sweep:{{{StoreIds.Sweep(sweepId)}}}:suggestions";

    private RedisKey LeadersKey(string sweepId) => $"{clusterId}:sweep:{{{StoreIds.Sweep(sweepId)}}}:leaders";
}
