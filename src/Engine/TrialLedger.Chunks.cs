namespace SweepCluster.Engine;

/// <summary>Persistence: the records in chunks of <see cref="ChunkSize"/> trials, each well under 64 KiB.</summary>
public sealed partial class TrialLedger
{
    /// <summary>Trials per chunk, by index: chunk k holds trials k * ChunkSize ..</summary>
    public const int ChunkSize = 256;

    /// <summary>The largest chunk written: texts (errors, stop reasons) are cut shorter until a chunk fits.</summary>
    public const int MaxChunkBytes = 60 * 1024;

    /// <summary>The chunks changed since the last call, encoded (key: chunk number); they are clean afterwards.</summary>
    public IReadOnlyDictionary<int, byte[]> TakeDirtyChunks() => throw new NotImplementedException();

    /// <summary>Every chunk, encoded (for a first write, or a store that lost them).</summary>
    public IReadOnlyDictionary<int, byte[]> AllChunks() => throw new NotImplementedException();
}
