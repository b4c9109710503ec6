using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SweepCluster.Training.Tests.Sentiment;

/// <summary>
/// Writes imdb.npz files that are small on disk but built to make a careless reader allocate gigabytes or read
/// forever: the .npy and pickle bytes as numpy writes them, with one part made hostile.
/// </summary>
internal static class HostileNpz
{
    /// <summary>An imdb.npz of the given members; the ones not given hold one review ([1, 2]) labelled 1.</summary>
    public static string Write(string folder, string name, byte[]? xTrain = null, byte[]? yTrain = null)
    {
        var path = Path.Combine(folder, name);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (member, bytes) in new[]
                 {
                     ("x_train.npy", xTrain ?? ReviewsNpy([[1, 2]])),
                     ("y_train.npy", yTrain ?? LabelsNpy(1, [1])),
                     ("x_test.npy", ReviewsNpy([[1, 2]])),
                     ("y_test.npy", LabelsNpy(1, [1])),
                 })
        {
            using var stream = zip.CreateEntry(member, CompressionLevel.Optimal).Open();
            stream.Write(bytes);
        }

        return path;
    }

    /// <summary>Rewrites the uncompressed size the archive declares for <paramref name="member"/>, leaving its data as it is.</summary>
    public static void DeclareSize(string path, string member, uint size)
    {
        var zip = File.ReadAllBytes(path);
        var name = Encoding.ASCII.GetBytes(member);
        var patched = 0;
        for (var at = 0; at + 46 <= zip.Length; at++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at));
            var (nameOffset, sizeOffset) = signature switch
            {
                0x04034b50 => (30, 22), // local file header
                0x02014b50 => (46, 24), // central directory record
                _ => (0, 0),
            };
            var nameLength = nameOffset == 0 ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + nameOffset - (nameOffset == 30 ? 4 : 18)));
            if (nameOffset != 0 && nameLength == name.Length && zip.AsSpan(at + nameOffset, nameLength).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + sizeOffset), size);
                patched++;
            }
        }

        Assert.Equal(2, patched);
        File.WriteAllBytes(path, zip);
    }

    /// <summary>A 1-D int64 .npy of <paramref name="labels"/> whose header claims <paramref name="length"/> items.</summary>
    public static byte[] LabelsNpy(long length, long[] labels)
    {
        var data = new byte[labels.Length * 8];
        for (var i = 0; i < labels.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), labels[i]);
        }

        return Npy("<i8", length, data);
    }

    /// <summary>A 1-D object .npy whose pickle holds each review as its own list.</summary>
    public static byte[] ReviewsNpy(int[][] reviews)
    {
        var items = new List<byte> { 0x5d, 0x28 }; // EMPTY_LIST, MARK
        foreach (var review in reviews)
        {
            items.AddRange(IntList(review.Length, i => review[i]));
        }

        items.Add(0x65); // APPENDS
        return ObjectNpy(reviews.Length, [.. items]);
    }

    /// <summary>
    /// A 1-D object .npy of <paramref name="copies"/> elements that are all one list of <paramref name="words"/>
    /// words: the pickle stores the list once and recalls it from the memo for every other element.
    /// </summary>
    public static byte[] MemoAmplifiedNpy(int words, int copies)
    {
        var items = new List<byte> { 0x5d, 0x28 }; // EMPTY_LIST, MARK
        items.AddRange(IntList(words, i => i % 200));
        for (var copy = 1; copy < copies; copy++)
        {
            items.AddRange([0x68, 0]); // BINGET 0: the list memoized first
        }

        items.Add(0x65); // APPENDS
        return ObjectNpy(copies, [.. items]);
    }

    /// <summary>A 1-D object .npy whose pickle starts with <paramref name="opcodes"/> and then ends.</summary>
    public static byte[] PickleNpy(byte[] opcodes) => Npy("|O", 1, [0x80, 0x02, .. opcodes, 0x2e]);

    // EMPTY_LIST, MEMOIZE, then the words in batches of 1000 as the pickler writes them (MARK ... APPENDS).
    private static List<byte> IntList(int words, Func<int, int> word)
    {
        var bytes = new List<byte> { 0x5d, 0x94 };
        for (var start = 0; start < words; start += 1000)
        {
            bytes.Add(0x28);
            for (var i = start; i < Math.Min(words, start + 1000); i++)
            {
                bytes.AddRange([0x4b, (byte)word(i)]); // BININT1
            }

            bytes.Add(0x65);
        }

        return bytes;
    }

    // The pickle numpy writes for a 1-D object array, around the item list: _reconstruct(ndarray, (0,), b'b') with
    // the state (1, (length,), dtype('O8'), False, items).
    private static byte[] ObjectNpy(int length, byte[] items)
    {
        var pickle = new List<byte> { 0x80, 0x02 };
        pickle.AddRange(Global("numpy.core.multiarray", "_reconstruct"));
        pickle.AddRange(Global("numpy.core.multiarray", "ndarray"));
        pickle.AddRange([0x4b, 0, 0x85, 0x43, 1, (byte)'b', 0x87, 0x52]); // (0,), b'b', TUPLE3, REDUCE
        pickle.AddRange([0x28, 0x4b, 1, 0x4a]); // MARK, version 1, shape:
        pickle.AddRange(BitConverter.GetBytes(length));
        pickle.Add(0x85);
        pickle.AddRange(Global("numpy.core.multiarray", "dtype"));
        pickle.AddRange([0x8c, 2, (byte)'O', (byte)'8', 0x85, 0x52, 0x89]); // dtype('O8'), False
        pickle.AddRange(items);
        pickle.AddRange([0x74, 0x62, 0x2e]); // TUPLE, BUILD, STOP
        return Npy("|O", length, [.. pickle]);
    }

    private static byte[] Global(string module, string name) => [0x63, .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")];

    private static byte[] Npy(string descr, long length, byte[] data)
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({length},), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        byte[] prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8)];
        return [.. prefix, .. Encoding.Latin1.GetBytes(header), .. data];
    }
}
