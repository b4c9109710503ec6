using StackExchange.Redis;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Storage;

/// <summary>
/// Curves in Redis: one string per trial, "{clusterId}:curve:{trialId}", in <see cref="CurveCodec"/>'s 24-bytes-per-epoch
/// layout, and for a trial that validates "{clusterId}:curve-val:{trialId}" in the codec's companion layout. A write is one SETRANGE per contiguous run of epochs, so it is idempotent by epoch and never reads first;
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
        var validationKey = ValidationKey(trialId);
        var writes = CurveCodec.ValidationRuns(epochs)
            .Select(run => batch.StringSetRangeAsync(validationKey, CurveCodec.ValidationOffset(run.FirstEpoch), run.Bytes))
            .Concat(runs.Select(run => batch.StringSetRangeAsync(key, CurveCodec.Offset(run.FirstEpoch), run.Bytes))).ToArray();
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
        var scores = trials.Select(trial => trial.Epochs > 0
            ? batch.StringGetRangeAsync(ValidationKey(trial.TrialId), 0, CurveCodec.ValidationLength(trial.Epochs) - 1)
            : Task.FromResult(RedisValue.EmptyString)).ToArray();
        batch.Execute();
        await Task.WhenAll(reads.Concat(scores));
        return [.. trials.Select((trial, i) => CurveCodec.WithValidation(
            CurveCodec.Decode(trial.TrialId, ((byte[]?)reads[i].Result) ?? [], trial.Epochs), ((byte[]?)scores[i].Result) ?? []))];
    }

    /// <summary>One DEL per key, batched: a multi-key DEL would fail on a Redis Cluster whose slots split the keys.</summary>
    public async Task DeleteAsync(IReadOnlyList<string> trialIds)
    {
        var keys = trialIds.SelectMany(id => new[] { Key(id), ValidationKey(id) }).ToArray();
        var batch = Database.CreateBatch();
        var deletes = keys.Select(key => batch.KeyDeleteAsync(key)).ToArray();
        batch.Execute();
        await Task.WhenAll(deletes);
    }

    private RedisKey Key(string trialId) => $"{clusterId}:curve:{StoreIds.Trial(trialId)}";

    private RedisKey ValidationKey(string trialId) => $"{clusterId}:curve-val:{StoreIds.Trial(trialId)}";
}
