namespace SweepCluster.Storage;

/// <summary>What every store does alike with a sweep's suggestion log (<see cref="ISweepStore.WriteSuggestionsAsync"/>).</summary>
internal static class SuggestionLog
{
    public static void CheckWrite(int first, IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)first + entries.Count, int.MaxValue, nameof(first));
        if (entries.Any(entry => entry is null || entry.Contains('\n', StringComparison.Ordinal) || entry.Contains('\r', StringComparison.Ordinal)))
        {
            throw new ArgumentException("a suggestion log entry is one line of text", nameof(entries));
        }
    }

    /// <summary>The entries at 0, 1, ... up to the first missing position.</summary>
    public static IReadOnlyList<string> Prefix(IReadOnlyDictionary<int, string> log)
    {
        var entries = new List<string>();
        while (log.TryGetValue(entries.Count, out var entry))
        {
            entries.Add(entry);
        }

        return entries;
    }
}
