using StackExchange.Redis;
using SweepCluster.Storage;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Cluster;

/// <summary>
/// Checkpoints as Redis strings, one key per trial, so a trial resumes on whichever silo picks it up. Each expires
/// <see cref="CheckpointExpiry.DefaultMaxAge"/> after its last write, as a checkpoint file does at a local silo's start:
/// a trial still training rewrites its own, a finished trial's result no longer needs it.
/// </summary>
public sealed class RedisCheckpointStore(IConnectionMultiplexer redis, string clusterId) : ICheckpointStore
{
    private IDatabase Database => redis.GetDatabase();

    public Stream? OpenRead(string trialKey)
    {
        byte[]? bytes = Database.StringGet(Key(trialKey));
        return bytes is null ? null : new MemoryStream(bytes, writable: false);
    }

    /// <summary>One SET replaces the whole value, so readers see the old checkpoint or the new one.</summary>
    public void Write(string trialKey, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        Database.StringSet(Key(trialKey), buffer.ToArray(), CheckpointExpiry.DefaultMaxAge);
    }

    public void Delete(string trialKey) => Database.KeyDelete(Key(trialKey));

    private RedisKey Key(string trialKey) => $"{clusterId}/checkpoint/{trialKey}";
}
