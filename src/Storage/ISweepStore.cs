namespace SweepCluster.Storage;

/// <summary>
/// What a sweep keeps beside its (small) grain state: the spec text it was submitted with, and its trial ledger in
/// chunks, so a state write carries only the chunks that changed and a reactivation reads them all in one call.
/// </summary>
public interface ISweepStore
{
    Task WriteSpecAsync(string sweepId, string specYaml);

    Task<string?> ReadSpecAsync(string sweepId);

    /// <summary>Replaces the given chunks (chunk index to bytes), all or none.</summary>
    Task WriteChunksAsync(string sweepId, IReadOnlyDictionary<int, byte[]> chunks);

    /// <summary>Every chunk of the sweep's ledger, in one call (empty for an unknown sweep).</summary>
    Task<IReadOnlyDictionary<int, byte[]>> ReadChunksAsync(string sweepId);

    /// <summary>
    /// Replaces the top rows of the sweep's leaderboard as its registry exports them (opaque bytes here), kept beside
    /// the ledger so the registry's own state stays one small row per sweep.
    /// </summary>
    Task WriteLeadersAsync(string sweepId, byte[] leaders);

    /// <summary>The bytes <see cref="WriteLeadersAsync"/> last wrote; null when none.</summary>
    Task<byte[]?> ReadLeadersAsync(string sweepId);

    /// <summary>
    /// Puts <paramref name="entries"/> (one line of text each) at positions <paramref name="first"/>, first + 1, ... of the
    /// sweep's suggestion log (<c>method: tpe</c>: its trials cannot be re-derived from the spec, so each suggestion is
    /// stored before its trial starts). Writing a position again replaces its entry, so a retried write never duplicates
    /// one; a write cut short by a crash leaves a prefix of its entries.
    /// </summary>
    Task WriteSuggestionsAsync(string sweepId, int first, IReadOnlyList<string> entries);

    /// <summary>The suggestion log's entries from position 0 up to the first missing one, in order (empty for an unknown sweep).</summary>
    Task<IReadOnlyList<string>> ReadSuggestionsAsync(string sweepId);

    /// <summary>The spec, every chunk, the suggestion log and the leaders.</summary>
    Task DeleteAsync(string sweepId);
}
