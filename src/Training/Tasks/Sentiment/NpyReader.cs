using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Reads the two kinds of .npy file inside imdb.npz (format versions 1.0 to 3.0): 1-D integer arrays (the labels)
/// and 1-D object arrays of lists of ints (the reviews, pickled). Problems throw <see cref="InvalidDataException"/>
/// saying what was wrong; the caller adds which file it was.
/// </summary>
internal static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static long[] ReadIntegers(byte[] file)
    {
        var header = ReadHeader(file);
        var length = OneDimensional(header);
        var match = IntegerDescr().Match(header.Descr);
        if (!match.Success)
        {
            throw new InvalidDataException($"dtype '{header.Descr}' is not an integer type");
        }

        var bigEndian = match.Groups["order"].Value == ">";
        var signed = match.Groups["kind"].Value == "i";
        var size = int.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture);
        var data = file.AsSpan(header.DataOffset);
        if (data.Length < (long)length * size)
        {
            throw new InvalidDataException($"the data ends after {data.Length} bytes; {length} items of {size} bytes need {(long)length * size}");
        }

        var values = new long[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ReadInteger(data.Slice(i * size, size), signed, bigEndian);
        }

        return values;
    }

    /// <summary>The elements of a pickled 1-D object array whose every element is a list of ints.</summary>
    public static IReadOnlyList<int[]> ReadObjectLists(byte[] file)
    {
        var header = ReadHeader(file);
        var length = OneDimensional(header);
        if (!ObjectDescr().IsMatch(header.Descr))
        {
            throw new InvalidDataException($"dtype '{header.Descr}' is not the object dtype '|O'");
        }

        var lists = NumpyObjectArrayUnpickler.Unpickle(file, header.DataOffset);
        if (lists.Count != length)
        {
            throw new InvalidDataException($"the header's shape says {length} items but the pickle holds {lists.Count}");
        }

        return lists;
    }

    private static NpyHeader ReadHeader(byte[] file)
    {
        if (file.Length < 10 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("it does not start with the .npy magic '\\x93NUMPY'");
        }

        int major = file[6];
        var (lengthSize, encoding) = major switch
        {
            1 => (2, Encoding.Latin1),
            2 => (4, Encoding.Latin1),
            3 => (4, Encoding.UTF8),
            _ => throw new InvalidDataException($".npy format version {major}.{file[7]} is not supported (1.0 to 3.0 are)"),
        };

        var prefix = 8 + lengthSize;
        var headerLength = file.Length < prefix ? uint.MaxValue
            : lengthSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8))
            : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if ((ulong)file.Length < (ulong)prefix + headerLength)
        {
            throw new InvalidDataException("the .npy header is cut short");
        }

        var text = encoding.GetString(file, prefix, (int)headerLength);
        var descr = Descr().Match(text);
        var shape = Shape().Match(text);
        if (!descr.Success || !shape.Success)
        {
            throw new InvalidDataException($"the .npy header {text.Trim()} lacks a plain descr or a shape");
        }

        var dimensions = shape.Groups["dims"].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseDimension)
            .ToArray();
        return new NpyHeader(descr.Groups["descr"].Value, dimensions, prefix + (int)headerLength);
    }

    // Python 2 wrote large dimensions as longs: (25000L,).
    private static long ParseDimension(string dimension) =>
        long.TryParse(dimension.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"shape dimension '{dimension}' is not a whole number");

    private static int OneDimensional(NpyHeader header) =>
        header.Shape is [var length] && length <= Array.MaxLength
            ? (int)length
            : throw new InvalidDataException($"shape ({string.Join(", ", header.Shape)}) is not one-dimensional");

    private static long ReadInteger(ReadOnlySpan<byte> bytes, bool signed, bool bigEndian) => (bytes.Length, signed) switch
    {
        (1, true) => (sbyte)bytes[0],
        (1, false) => bytes[0],
        (2, true) => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes),
        (2, false) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        (4, true) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes),
        (4, false) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        (8, true) => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes),
        // Saturated: a label that large is rejected as "not 0 or 1" by the caller anyway.
        (8, false) => (long)Math.Min(long.MaxValue, bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes)),
        _ => throw new InvalidDataException($"{bytes.Length}-byte integers are not supported"),
    };

    private sealed record NpyHeader(string Descr, long[] Shape, int DataOffset);

    // numpy writes the header as a Python dict literal, e.g. {'descr': '<i8', 'fortran_order': False, 'shape': (25000,), }.
    [GeneratedRegex("""['"]descr['"]\s*:\s*['"](?<descr>[^'"]*)['"]""")]
    private static partial Regex Descr();

    [GeneratedRegex("""['"]shape['"]\s*:\s*\((?<dims>[^)]*)\)""")]
    private static partial Regex Shape();

    // '=' is native order, little-endian on every platform .NET runs TorchSharp on.
    [GeneratedRegex("^(?<order>[<>|=])(?<kind>[iu])(?<size>[1248])$")]
    private static partial Regex IntegerDescr();

    // Older numpy wrote the object dtype as '|O8'.
    [GeneratedRegex(@"^\|?O\d*$")]
    private static partial Regex ObjectDescr();
}
