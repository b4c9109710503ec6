using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// The live view and the registry's row of a sweep, built from its ledger in time bounded by the screen, not the sweep:
/// the leaderboard is ranked at most once per ledger version (and once a second while it changes).
/// </summary>
public static class SweepOverviews
{
    /// <summary>Running trials shown.</summary>
    public const int RunningShown = 12;

    /// <summary>Ended trials per overview; older ones since the caller's version are counted in EndedOmitted.</summary>
    public const int EndedShown = 200;

    /// <summary>
    /// Counts, epochs, ETA, the <paramref name="top"/> leaderboard rows, up to <see cref="RunningShown"/> running trials, and
    /// the trials that ended after <paramref name="sinceVersion"/>: the latest <see cref="EndedShown"/> of them, oldest first.
    /// </summary>
    public static SweepOverview Build(
        string sweepId, string name, TrialLedger ledger, DateTimeOffset started, string? endReason, DateTimeOffset? finished,
        long sinceVersion, int top, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>The registry's row of the sweep.</summary>
    public static SweepListing Listing(string sweepId, string name, TrialLedger ledger, DateTimeOffset started, DateTimeOffset? finished) =>
        throw new NotImplementedException();

    /// <summary>Every trial's summary (GetProgressAsync: tests and small sweeps).</summary>
    public static SweepProgress Progress(
        string sweepId, string name, TrialLedger ledger, DateTimeOffset started, string? endReason, DateTimeOffset? finished, DateTimeOffset now) =>
        throw new NotImplementedException();
}
