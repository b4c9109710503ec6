namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// A sentiment data file or folder is missing or unreadable. The message names <see cref="Path"/> and the format
/// that was expected there, so the user can tell a wrong path from a wrong download.
/// </summary>
public sealed class DataFileException(string path, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string Path { get; } = path;

    /// <summary>A file that exists but cannot be used; the message (a failed trial's error) starts "unreadable: ".</summary>
    public static DataFileException Unreadable(string path, string problem, string expected, Exception? innerException = null) =>
        new(path, $"unreadable: sentiment data file '{path}': {problem}; {expected}", innerException);
}
