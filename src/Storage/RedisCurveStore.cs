using StackExchange.Redis;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Storage;

/// <summary>
/// Curves in Redis: one string per trial, "{clusterId}:curve:{trialId}", in <see cref="CurveCodec"/>'s 24-bytes-per-epoch
/// layout. A write is one SETRANGE per contiguous run of epochs, so it is idempotent by epoch and never reads first;
/// a read is one GETRANGE per trial, a page's commands sent as one batch (one round trip).
/// </summary>
public sealed class RedisCurveStore(IConnectionMultiplexer redis, string clusterId) : ICurveStore
{
    private IDatabase Database => redis.GetDatabase();

    public async Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs)
    {
        var key = Key(trialId);
        var runs = CurveCodec.Runs(epochs);
        var batch = Database.CreateBatch();
        var writes = runs.Select(run => batch.StringSetRangeAsync(key, CurveCodec.Offset(run.FirstEpoch), run.Bytes)).ToArray();
        batch.Execute();
        await Task.WhenAll(writes);
    }

    public async Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials)
    {
        var keys = trials.Select(trial => Key(trial.TrialId)).ToArray();
        var batch = Database.CreateBatch();
        var reads = trials.Select((trial, i) => trial.Epochs > 0
            ? batch.StringGetRangeAsync(keys[i], 0, CurveCodec.Length(trial.Epochs) - 1)
            : Task.FromResult(RedisValue.EmptyString)).ToArray();
        batch.Execute();
        await Task.WhenAll(reads);
        return [.. trials.Select((trial, i) => CurveCodec.Decode(trial.TrialId, ((byte[]?)reads[i].Result) ?? [], trial.Epochs))];
    }

    /// <summary>One DEL per key, batched: a multi-key DEL would fail on a Redis Cluster whose slots split the keys.</summary>
    public async Task DeleteAsync(IReadOnlyList<string> trialIds)
    {
        var keys = trialIds.Select(Key).ToArray();
        var batch = Database.CreateBatch();
        var deletes = keys.Select(key => batch.KeyDeleteAsync(key)).ToArray();
        batch.Execute();
        await Task.WhenAll(deletes);
    }

    private RedisKey Key(string trialId) => $"{clusterId}:curve:{StoreIds.Trial(trialId)}";
}
