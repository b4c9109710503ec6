using System.IO.Compression;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>Reads the Keras imdb.npz, turning every way it can be wrong into a <see cref="DataFileException"/>.</summary>
internal static class ImdbNpzReader
{
    public const string ExpectedFormat =
        "expected the Keras imdb.npz (a zip of x_train.npy, y_train.npy, x_test.npy, y_test.npy)";

    public static ImdbNpzArrays Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, $"sentiment data file '{path}' is missing: {ExpectedFormat}");
        }

        try
        {
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
            throw new DataFileException(path, $"sentiment data file '{path}' is unreadable ({e.Message}): {ExpectedFormat}", e);
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
        if (entry.Length > Array.MaxLength)
        {
            throw new InvalidDataException($"{name} is {entry.Length} bytes, too large to read");
        }

        // The members are read whole: the parsers index into them, and even the real x_train.npy is tens of MB.
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
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
