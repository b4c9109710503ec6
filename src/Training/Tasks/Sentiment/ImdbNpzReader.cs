using System.IO.Compression;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>Reads the Keras imdb.npz, turning every way it can be wrong into a <see cref="DataFileException"/>.</summary>
internal static class ImdbNpzReader
{
    public const string ExpectedFormat =
        "expected the Keras imdb.npz (a zip of x_train.npy, y_train.npy, x_test.npy, y_test.npy)";

    /// <summary>
    /// The most bytes read from the file and from each member it unpacks to. Keras' imdb.npz is 17 MB, and its
    /// x_train.npy pickles about 6 million words at 2 to 5 bytes each.
    /// </summary>
    public const long MaxBytes = 64L << 20;

    public static ImdbNpzArrays Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, $"sentiment data file '{path}' is missing: {ExpectedFormat}");
        }

        try
        {
            if (UntrustedDataFile.Problem(path, MaxBytes) is { } problem)
            {
                throw DataFileException.Unreadable(path, problem, ExpectedFormat);
            }

            using var archive = ZipFile.OpenRead(path);
            var arrays = new ImdbNpzArrays(
                ReadReviews(archive, path, "x_train.npy"),
                ReadLabels(archive, path, "y_train.npy"),
                ReadReviews(archive, path, "x_test.npy"),
                ReadLabels(archive, path, "y_test.npy"));
            CheckSameLength(path, "train", arrays.TrainRanks.Count, arrays.TrainLabels.Length);
            CheckSameLength(path, "test", arrays.TestRanks.Count, arrays.TestLabels.Length);
            return arrays;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw DataFileException.Unreadable(path, e.Message, ExpectedFormat, e);
        }
    }

    private static IReadOnlyList<int[]> ReadReviews(ZipArchive archive, string path, string entry) =>
        InEntry(entry, () => NpyReader.ReadObjectLists(ReadEntry(archive, path, entry)));

    private static int[] ReadLabels(ZipArchive archive, string path, string entry) =>
        InEntry(entry, () => NpyReader.ReadIntegers(ReadEntry(archive, path, entry))
            .Select(label => label is 0 or 1 ? (int)label : throw new InvalidDataException($"label {label} is neither 0 nor 1"))
            .ToArray());

    // Prefixes a format problem with the member it was found in ("x_train.npy: unsupported pickle opcode 0x70 ...").
    private static T InEntry<T>(string entry, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(entry, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{entry}: {e.Message}", e);
        }
    }

    private static byte[] ReadEntry(ZipArchive archive, string path, string name)
    {
        var entry = archive.GetEntry(name)
            ?? throw new DataFileException(path, $"sentiment data file '{path}' has no {name}: {ExpectedFormat}");
        // The size is the archive's own claim, which a hostile file can make anything: check it against the limit
        // before allocating, and check that the member really ends there.
        if (entry.Length > MaxBytes)
        {
            throw new InvalidDataException($"{name} says it unpacks to {entry.Length} bytes; members are read only up to {MaxBytes} bytes");
        }

        // The members are read whole: the parsers index into them.
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name} ends before the {entry.Length} bytes the archive says it holds");
        }

        if (stream.ReadByte() >= 0)
        {
            throw new InvalidDataException($"{name} holds more than the {entry.Length} bytes the archive says it holds");
        }

        return bytes;
    }

    private static void CheckSameLength(string path, string split, int reviews, int labels)
    {
        if (reviews != labels)
        {
            throw new DataFileException(
                path, $"sentiment data file '{path}' has {reviews} {split} reviews but {labels} {split} labels: {ExpectedFormat}");
        }
    }
}
