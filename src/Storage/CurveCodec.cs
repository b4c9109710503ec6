using System.Buffers.Binary;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Storage;

/// <summary>
/// The curve layout both durable stores share: epoch e at byte (e - 1) * 24, three little-endian doubles (loss,
/// accuracy, seconds), so an epoch written again lands on itself and a curve costs 24 bytes per epoch.
/// An epoch never written reads as 24 zero bytes (a Redis SETRANGE past the end, a sparse file), so a written one
/// must never be all zeros: seconds is stored with its sign bit flipped (-0 seconds is kept as +0 first). A stored
/// seconds field of eight zero bytes therefore means "not written", and reading stops at the first such hole.
/// Seconds is the last field of its epoch, so a reader racing a file write sees the marker only after the values.
/// Validation scores, measured at some epochs only, are a companion curve beside it (a trial that never validates has
/// none, and curves stored before validation existed read as before): epoch e at byte (e - 1) * 16, the held-out loss
/// and then the held-out accuracy with its sign bit flipped, so 16 zero bytes (the accuracy's eight above all) mean "not
/// validated at that epoch".
/// </summary>
internal static class CurveCodec
{
    public const int EpochBytes = 24;

    /// <summary>Bytes per epoch of the validation companion curve.</summary>
    public const int ValidationBytes = 16;

    private const ulong SignBit = 1UL << 63;

    /// <summary>The epochs as contiguous runs, each encoded whole: sorted, and the last write of an epoch wins.</summary>
    public static List<(int FirstEpoch, byte[] Bytes)> Runs(IReadOnlyList<EpochReport> epochs)
    {
        var increasing = true;
        for (var i = 0; i < epochs.Count; i++)
        {
            if (epochs[i].Epoch < 1 || epochs[i].Epoch > Limits.Epochs.Max)
            {
                throw new ArgumentOutOfRangeException(nameof(epochs), epochs[i].Epoch, $"epochs are numbered 1..{Limits.Epochs.Max}");
            }

            increasing &= i == 0 || epochs[i].Epoch > epochs[i - 1].Epoch;
        }

        // A report is normally in order already; otherwise sort, the later of two writes of an epoch winning.
        var ordered = increasing ? epochs : [.. epochs.Select((epoch, i) => (epoch, i)).GroupBy(e => e.epoch.Epoch)
            .Select(g => g.MaxBy(e => e.i).epoch).OrderBy(e => e.Epoch)];
        var runs = new List<(int, byte[])>();
        var run = new List<EpochReport>();
        foreach (var epoch in ordered)
        {
            if (run.Count > 0 && epoch.Epoch != run[^1].Epoch + 1)
            {
                runs.Add(Encode(run));
                run.Clear();
            }

            run.Add(epoch);
        }

        if (run.Count > 0)
        {
            runs.Add(Encode(run));
        }

        return runs;
    }

    /// <summary>The validated epochs as contiguous runs of the companion curve (none when no epoch was validated).</summary>
    public static List<(int FirstEpoch, byte[] Bytes)> ValidationRuns(IReadOnlyList<EpochReport> epochs)
    {
        var runs = new List<(int, byte[])>();
        var run = new List<EpochReport>();
        void Flush()
        {
            if (run.Count > 0)
            {
                var bytes = new byte[run.Count * ValidationBytes];
                for (var i = 0; i < run.Count; i++)
                {
                    var epoch = bytes.AsSpan(i * ValidationBytes, ValidationBytes);
                    BinaryPrimitives.WriteDoubleLittleEndian(epoch, run[i].ValLoss ?? double.NaN);
                    var accuracy = run[i].ValAccuracy is { } a and not 0 ? a : 0d; // -0 would encode as the hole
                    BinaryPrimitives.WriteUInt64LittleEndian(epoch[8..], BitConverter.DoubleToUInt64Bits(accuracy) ^ SignBit);
                }

                runs.Add((run[0].Epoch, bytes));
                run.Clear();
            }
        }

        // Runs() has checked the epoch numbers; the later of two writes of an epoch wins here too.
        foreach (var epoch in epochs.Select((e, i) => (e, i)).GroupBy(e => e.e.Epoch).Select(g => g.MaxBy(e => e.i).e).OrderBy(e => e.Epoch))
        {
            if (epoch.ValLoss is null && epoch.ValAccuracy is null)
            {
                continue;
            }

            if (run.Count > 0 && epoch.Epoch != run[^1].Epoch + 1)
            {
                Flush();
            }

            run.Add(epoch);
        }

        Flush();
        return runs;
    }

    public static long ValidationOffset(int epoch) => (long)(epoch - 1) * ValidationBytes;

    /// <summary>Companion bytes that hold epochs 1..<paramref name="epochs"/>.</summary>
    public static long ValidationLength(int epochs) => Math.Max(0L, epochs) * ValidationBytes;

    /// <summary><paramref name="curve"/> with the validation scores of <paramref name="bytes"/> (the companion curve from epoch 1), if it holds any.</summary>
    public static TrialCurve WithValidation(TrialCurve curve, ReadOnlySpan<byte> bytes)
    {
        var count = Math.Min(curve.Epochs, bytes.Length / ValidationBytes);
        double?[]? loss = null, accuracy = null;
        for (var i = 0; i < count; i++)
        {
            var epoch = bytes.Slice(i * ValidationBytes, ValidationBytes);
            var accuracyBits = BinaryPrimitives.ReadUInt64LittleEndian(epoch[8..]);
            if (accuracyBits == 0)
            {
                continue;
            }

            loss ??= new double?[curve.Epochs];
            accuracy ??= new double?[curve.Epochs];
            var valLoss = BinaryPrimitives.ReadDoubleLittleEndian(epoch);
            loss[i] = double.IsNaN(valLoss) ? null : valLoss;
            accuracy[i] = BitConverter.UInt64BitsToDouble(accuracyBits ^ SignBit);
        }

        return loss is null ? curve : curve with { ValLoss = loss, ValAccuracy = accuracy };
    }

    public static long Offset(int epoch) => (long)(epoch - 1) * EpochBytes;

    /// <summary>Bytes that hold epochs 1..<paramref name="epochs"/>.</summary>
    public static long Length(int epochs) => Math.Max(0L, epochs) * EpochBytes;

    /// <summary>Epochs 1.. from <paramref name="bytes"/> (which start at epoch 1), up to the first hole or <paramref name="maxEpochs"/>.</summary>
    public static TrialCurve Decode(string trialId, ReadOnlySpan<byte> bytes, int maxEpochs)
    {
        var count = 0;
        var available = Math.Min(maxEpochs, bytes.Length / EpochBytes);
        while (count < available && BinaryPrimitives.ReadUInt64LittleEndian(bytes[(count * EpochBytes + 16)..]) != 0)
        {
            count++;
        }

        var loss = new double[count];
        var accuracy = new double[count];
        var seconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            var epoch = bytes.Slice(i * EpochBytes, EpochBytes);
            loss[i] = BinaryPrimitives.ReadDoubleLittleEndian(epoch);
            accuracy[i] = BinaryPrimitives.ReadDoubleLittleEndian(epoch[8..]);
            seconds[i] = BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64LittleEndian(epoch[16..]) ^ SignBit);
        }

        return new TrialCurve(trialId, loss, accuracy, seconds);
    }

    private static (int, byte[]) Encode(List<EpochReport> run)
    {
        var bytes = new byte[run.Count * EpochBytes];
        for (var i = 0; i < run.Count; i++)
        {
            var epoch = bytes.AsSpan(i * EpochBytes, EpochBytes);
            BinaryPrimitives.WriteDoubleLittleEndian(epoch, run[i].Loss);
            BinaryPrimitives.WriteDoubleLittleEndian(epoch[8..], run[i].Accuracy);
            var seconds = run[i].Seconds == 0 ? 0d : run[i].Seconds; // -0 would encode as the hole
            BinaryPrimitives.WriteUInt64LittleEndian(epoch[16..], BitConverter.DoubleToUInt64Bits(seconds) ^ SignBit);
        }

        return (run[0].Epoch, bytes);
    }
}
