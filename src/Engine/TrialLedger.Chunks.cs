using System.Runtime.InteropServices;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>Persistence: the records in chunks of <see cref="ChunkSize"/> trials, each under 64 KiB.</summary>
public sealed partial class TrialLedger
{
    /// <summary>Trials per chunk, by index: chunk k holds trials k * ChunkSize ..</summary>
    public const int ChunkSize = 256;

    /// <summary>
    /// The largest chunk written: texts (errors, stop reasons) are cut shorter until a chunk fits, and as a last resort
    /// (hundreds of running trials of a spec with 20+ judged epochs) their judged bests and recent losses are written as floats.
    /// </summary>
    public const int MaxChunkBytes = 63 * 1024;

    /// <summary>The chunks changed since the last call (all of them for a new ledger), encoded; they are clean afterwards.</summary>
    public IReadOnlyDictionary<int, byte[]> TakeDirtyChunks()
    {
        var chunks = _dirty.Order().ToDictionary(chunk => chunk, Encode);
        _dirty.Clear();
        return chunks;
    }

    /// <summary>Every chunk, encoded (a store that lost them, a copy).</summary>
    public IReadOnlyDictionary<int, byte[]> AllChunks() =>
        Enumerable.Range(0, (Count + ChunkSize - 1) / ChunkSize).ToDictionary(chunk => chunk, Encode);

    /// <summary>
    /// A ledger read back from the chunks <see cref="TakeDirtyChunks"/> wrote, for the same <paramref name="trials"/> and
    /// <paramref name="judgedEpochs"/> (a chunk not there: its trials queued). Its version is the newest chunk's.
    /// </summary>
    public static TrialLedger Restore(
        IReadOnlyList<PlannedTrial> trials, IReadOnlyList<int> judgedEpochs, IReadOnlyDictionary<int, byte[]> chunks, SweepMetric? metric = null)
    {
        var records = trials.Select(_ => new TrialRecord()).ToArray();
        var version = 0L;
        foreach (var (chunk, bytes) in chunks)
        {
            var first = chunk * ChunkSize;
            if (first < 0 || first >= records.Length)
            {
                continue; // a chunk of a longer plan: the spec's expansion is deterministic, so this is not expected
            }

            version = Math.Max(version, RecordCodec.Read(bytes, records.AsSpan(first, Math.Min(ChunkSize, records.Length - first))));
        }

        return new TrialLedger(trials, judgedEpochs, records, metric) { Version = version };
    }

    private byte[] Encode(int chunk)
    {
        var first = chunk * ChunkSize;
        var records = CollectionsMarshal.AsSpan(_records).Slice(first, Math.Min(ChunkSize, Count - first));
        foreach (var textCap in (int[])[MaxTextLength, 500, 120, 30, 0])
        {
            var bytes = RecordCodec.Write(records, Version, textCap);
            if (bytes.Length <= MaxChunkBytes)
            {
                return bytes;
            }
        }

        return RecordCodec.Write(records, Version, 0, singles: true);
    }
}
