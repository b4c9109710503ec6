namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>Reads Stanford's extracted aclImdb folder: one review per .txt file under train|test / pos|neg.</summary>
internal static class AclImdbReader
{
    public const string ExpectedLayout =
        "expected the extracted aclImdb folder: train/pos, train/neg, test/pos and test/neg, each holding one review per .txt file";

    /// <summary>The most bytes read from one review file (Stanford's longest review is 14 KB).</summary>
    public const long MaxReviewBytes = 1L << 20;

    public static LabelledTextCorpus Read(string root)
    {
        // Check every folder before reading any file, so a wrong path fails at once rather than after 25,000 reads.
        string[] folders =
        [
            Path.Combine(root, "train", "pos"),
            Path.Combine(root, "train", "neg"),
            Path.Combine(root, "test", "pos"),
            Path.Combine(root, "test", "neg"),
        ];
        if (!Directory.Exists(root))
        {
            throw Missing(root);
        }

        if (folders.FirstOrDefault(folder => !Directory.Exists(folder)) is { } missing)
        {
            throw Missing(missing);
        }

        return new LabelledTextCorpus(
            [.. ReadFolder(folders[0], label: 1), .. ReadFolder(folders[1], label: 0)],
            [.. ReadFolder(folders[2], label: 1), .. ReadFolder(folders[3], label: 0)]);
    }

    private static IEnumerable<LabelledReview> ReadFolder(string folder, int label)
    {
        var files = Directory.EnumerateFiles(folder, "*.txt")
            .Order(StringComparer.Ordinal)
            .ToArray();
        foreach (var file in files)
        {
            string text;
            try
            {
                if (UntrustedDataFile.Problem(file, MaxReviewBytes) is { } problem)
                {
                    throw DataFileException.Unreadable(file, problem, ExpectedLayout);
                }

                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw DataFileException.Unreadable(file, e.Message, ExpectedLayout, e);
            }

            yield return new LabelledReview(Path.GetFileName(file), text, label);
        }
    }

    private static DataFileException Missing(string path) =>
        new(path, $"sentiment data folder '{path}' is missing: {ExpectedLayout}");
}
