using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// A chunk of <see cref="TrialRecord"/>s as bytes: a format byte, the ledger version, the count, then per record a flag
/// word saying which optional fields follow. Absent values take no room, so a chunk of 256 records stays well under
/// 64 KiB: a running record carries at most its judged bests and last 10 losses, an ended one neither of the latter.
/// </summary>
internal static class RecordCodec
{
    /// <summary>The layout; <see cref="SingleFormat"/> is the same with the judged bests and recent losses as 4-byte floats.</summary>
    private const byte Format = 1;

    /// <summary>
    /// Only for a chunk that would not fit otherwise: hundreds of running trials of a spec with 20+ ASHA rungs. Their
    /// rules then compare values rounded to 7 digits after a reactivation, which changes no realistic verdict.
    /// </summary>
    private const byte SingleFormat = 2;

    [Flags]
    private enum Fields : ushort
    {
        None = 0,
        LastLoss = 1 << 0,
        BestLoss = 1 << 1,
        LastAccuracy = 1 << 2,
        FinalLoss = 1 << 3,
        TestLoss = 1 << 4,
        TestAccuracy = 1 << 5,
        Error = 1 << 6,
        Silo = 1 << 7,
        StopReason = 1 << 8,
        StopEpoch = 1 << 9,
        AwaitingEnd = 1 << 10,
        FiniteBest = 1 << 11,
        Seconds = 1 << 12,
        LastValidation = 1 << 13,
    }

    public static byte[] Write(ReadOnlySpan<TrialRecord> records, long version, int textCap, bool singles = false)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(singles ? SingleFormat : Format);
        writer.Write(version);
        writer.Write7BitEncodedInt(records.Length);
        foreach (var r in records)
        {
            // A running record's last loss is its last recent loss, and its best is usually its finite best: not written twice.
            var lastFromRecent = r.RecentList.Count > 0 && r.LastLoss.Equals(r.RecentList[^1]);
            var fields = Flag(r.LastLoss is not null && !lastFromRecent, Fields.LastLoss) | Flag(r.BestLoss is not null, Fields.BestLoss)
                | Flag(r.LastAccuracy is not null, Fields.LastAccuracy) | Flag(r.FrozenFinalLoss is not null, Fields.FinalLoss)
                | Flag(r.TestLoss is not null, Fields.TestLoss) | Flag(r.TestAccuracy is not null, Fields.TestAccuracy)
                | Flag(r.Error is not null, Fields.Error) | Flag(r.Silo is not null, Fields.Silo) | Flag(r.StopReason is not null, Fields.StopReason)
                | Flag(r.StopEpoch is not null, Fields.StopEpoch) | Flag(r.AwaitingEnd, Fields.AwaitingEnd)
                | Flag(!r.FiniteBest.Equals(r.BestLoss ?? double.PositiveInfinity), Fields.FiniteBest) | Flag(r.Seconds != 0, Fields.Seconds)
                | Flag(r.LastValidation is not null, Fields.LastValidation);
            writer.Write((ushort)fields);
            writer.Write((byte)r.Status);
            writer.Write7BitEncodedInt(r.Epochs);
            writer.Write7BitEncodedInt(r.SiloLosses);
            writer.Write7BitEncodedInt64(r.EndedAt);
            if (r.StopEpoch is { } stopEpoch)
            {
                writer.Write7BitEncodedInt(stopEpoch);
            }

            double?[] numbers =
            [
                lastFromRecent ? null : r.LastLoss, r.BestLoss, r.LastAccuracy, r.FrozenFinalLoss, r.TestLoss, r.TestAccuracy,
                fields.HasFlag(Fields.FiniteBest) ? r.FiniteBest : null, r.Seconds != 0 ? r.Seconds : null, r.LastValidation,
            ];
            foreach (var number in numbers.OfType<double>())
            {
                writer.Write(number);
            }

            foreach (var text in (string?[])[Cut(r.Error, textCap), r.Silo, Cut(r.StopReason, textCap)])
            {
                if (text is not null)
                {
                    writer.Write(text);
                }
            }

            WriteList(writer, r.JudgedBestList, singles);
            WriteList(writer, r.RecentList, singles);
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Fills <paramref name="records"/> (fresh ones) from a chunk; returns the ledger version it was written at.</summary>
    public static long Read(byte[] bytes, Span<TrialRecord> records)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var format = reader.ReadByte();
        if (format is not (Format or SingleFormat))
        {
            throw new InvalidDataException($"a trial ledger chunk of format {format}; this build reads formats {Format} and {SingleFormat}");
        }

        var singles = format == SingleFormat;
        var version = reader.ReadInt64();
        var count = Math.Min(reader.Read7BitEncodedInt(), records.Length);
        for (var i = 0; i < count; i++)
        {
            var r = records[i];
            var fields = (Fields)reader.ReadUInt16();
            r.Status = (TrialStatus)reader.ReadByte();
            r.Epochs = reader.Read7BitEncodedInt();
            r.SiloLosses = reader.Read7BitEncodedInt();
            r.EndedAt = reader.Read7BitEncodedInt64();
            r.StopEpoch = fields.HasFlag(Fields.StopEpoch) ? reader.Read7BitEncodedInt() : null;
            r.LastLoss = fields.HasFlag(Fields.LastLoss) ? reader.ReadDouble() : null;
            r.BestLoss = fields.HasFlag(Fields.BestLoss) ? reader.ReadDouble() : null;
            r.LastAccuracy = fields.HasFlag(Fields.LastAccuracy) ? reader.ReadDouble() : null;
            r.FrozenFinalLoss = fields.HasFlag(Fields.FinalLoss) ? reader.ReadDouble() : null;
            r.TestLoss = fields.HasFlag(Fields.TestLoss) ? reader.ReadDouble() : null;
            r.TestAccuracy = fields.HasFlag(Fields.TestAccuracy) ? reader.ReadDouble() : null;
            r.FiniteBest = fields.HasFlag(Fields.FiniteBest) ? reader.ReadDouble() : r.BestLoss ?? double.PositiveInfinity;
            r.Seconds = fields.HasFlag(Fields.Seconds) ? reader.ReadDouble() : 0;
            r.LastValidation = fields.HasFlag(Fields.LastValidation) ? reader.ReadDouble() : null;
            r.Error = fields.HasFlag(Fields.Error) ? reader.ReadString() : null;
            r.Silo = fields.HasFlag(Fields.Silo) ? reader.ReadString() : null;
            r.StopReason = fields.HasFlag(Fields.StopReason) ? reader.ReadString() : null;
            r.AwaitingEnd = fields.HasFlag(Fields.AwaitingEnd);
            ReadList(reader, r.JudgedBestList, singles);
            ReadList(reader, r.RecentList, singles);
            if (r.LastLoss is null && r.RecentList.Count > 0)
            {
                r.LastLoss = r.RecentList[^1];
            }
        }

        return version;
    }

    private static Fields Flag(bool present, Fields field) => present ? field : Fields.None;

    private static string? Cut(string? text, int cap) => text is null ? null : TrialLedger.Cut(text, cap);

    private static void WriteList(BinaryWriter writer, List<double> values, bool singles)
    {
        writer.Write7BitEncodedInt(values.Count);
        foreach (var value in values)
        {
            if (singles)
            {
                writer.Write((float)value);
            }
            else
            {
                writer.Write(value);
            }
        }
    }

    private static void ReadList(BinaryReader reader, List<double> values, bool singles)
    {
        values.Clear();
        var count = reader.Read7BitEncodedInt();
        for (var i = 0; i < count; i++)
        {
            values.Add(singles ? reader.ReadSingle() : reader.ReadDouble());
        }
    }
}
