using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SweepCluster.Storage;

/// <summary>
/// The record layout of a <see cref="FileGrainStorage"/> file: versions appended one after another, each
/// [payload length: int32][version: int64][cleared: byte][payload][first 8 bytes of the SHA-256 of all before it].
/// A record cut short or overwritten by a killed process fails its length or checksum: it and anything after it
/// are not read, so a reader sees the last whole version.
/// </summary>
internal static class GrainStateLog
{
    private const int HeaderLength = sizeof(int) + sizeof(long) + 1;
    private const int ChecksumLength = 8;

    public static byte[] Encode(long version, bool cleared, ReadOnlySpan<byte> payload)
    {
        var record = new byte[HeaderLength + payload.Length + ChecksumLength];
        BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(sizeof(int)), version);
        record[HeaderLength - 1] = cleared ? (byte)1 : (byte)0;
        payload.CopyTo(record.AsSpan(HeaderLength));
        Checksum(record.AsSpan(0, HeaderLength + payload.Length)).CopyTo(record.AsSpan(HeaderLength + payload.Length));
        return record;
    }

    /// <summary>The last whole record of <paramref name="file"/> (null: none), and where the whole records end.</summary>
    public static (Entry? Newest, int WholeLength) Newest(ReadOnlySpan<byte> file)
    {
        Entry? newest = null;
        var offset = 0;
        while (file.Length - offset >= HeaderLength + ChecksumLength)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(file[offset..]);
            if (length < 0 || length > file.Length - offset - HeaderLength - ChecksumLength)
            {
                break;
            }

            var body = file.Slice(offset, HeaderLength + length);
            if (!Checksum(body).AsSpan().SequenceEqual(file.Slice(offset + body.Length, ChecksumLength)))
            {
                break;
            }

            newest = new Entry(
                BinaryPrimitives.ReadInt64LittleEndian(body[sizeof(int)..]),
                body[HeaderLength - 1] != 0,
                body[HeaderLength..].ToArray());
            offset += body.Length + ChecksumLength;
        }

        return (newest, offset);
    }

    private static byte[] Checksum(ReadOnlySpan<byte> body) => SHA256.HashData(body)[..ChecksumLength];

    /// <summary>One stored version of a grain's state: its serialized bytes, or a clear.</summary>
    public sealed record Entry(long Number, bool Cleared, byte[] Payload);
}
