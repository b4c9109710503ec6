using StackExchange.Redis;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Storage;

/// <summary>
/// Curves in Redis: one string per trial, "{clusterId}:curve:{trialId}", in <see cref="CurveCodec"/>'s 24-bytes-per-epoch
/// layout. A write is one SETRANGE per contiguous run of epochs, so it is idempotent by epoch and never reads first;
/// a read is one GETRANGE per trial, all of a page's commands pipelined into one round trip.
/// </summary>
public sealed class RedisCurveStore(IConnectionMultiplexer redis, string clusterId) : ICurveStore
{
    private IDatabase Database => redis.GetDatabase();

    public async Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs)
    {
        var key = Key(trialId);
        var runs = CurveCodec.Runs(epochs);
        var database = Database;
        await Task.WhenAll(runs.Select(run => database.StringSetRangeAsync(key, CurveCodec.Offset(run.FirstEpoch), run.Bytes)));
    }

    public async Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials)
    {
        var database = Database;
        var reads = trials.Select(trial => trial.Epochs > 0
            ? database.StringGetRangeAsync(Key(trial.TrialId), 0, CurveCodec.Length(trial.Epochs) - 1)
            : Task.FromResult(RedisValue.EmptyString)).ToArray();
        await Task.WhenAll(reads);
        return [.. trials.Select((trial, i) => CurveCodec.Decode(trial.TrialId, ((byte[]?)reads[i].Result) ?? [], trial.Epochs))];
    }

    /// <summary>One DEL per key, pipelined: a multi-key DEL would fail on a Redis Cluster whose slots split the keys.</summary>
    public async Task DeleteAsync(IReadOnlyList<string> trialIds)
    {
        var database = Database;
        await Task.WhenAll(trialIds.Select(id => database.KeyDeleteAsync(Key(id))));
    }

    private RedisKey Key(string trialId) => $"{clusterId}:curve:{StoreIds.Trial(trialId)}";
}
