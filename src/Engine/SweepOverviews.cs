using System.Runtime.CompilerServices;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// The live view and the registry's row of a sweep, built from its ledger in time bounded by the screen, not the sweep:
/// the leaderboard is ranked at most once per ledger version, and while a running sweep changes at most once a second
/// per 20,000 trials (the live view polls 4 times a second; ranking 100,000 trials takes ~100 ms).
/// </summary>
public static class SweepOverviews
{
    /// <summary>Running trials shown.</summary>
    public const int RunningShown = 12;

    /// <summary>
    /// Leaderboard rows sent with a sweep's registry row, and so on its Grafana dashboard: enough to compare the best
    /// configurations, few enough that the stored leaders and the exported series stay small.
    /// </summary>
    public const int LeadersListed = 20;

    /// <summary>Ended trials per overview; older ones since the caller's version are counted in EndedOmitted.</summary>
    public const int EndedShown = 200;

    /// <summary>A running sweep's leaderboard is ranked again at most once per second per this many trials.</summary>
    private const int RankedPerSecond = 20_000;
    private static readonly ConditionalWeakTable<TrialLedger, Ranking> Rankings = [];

    /// <summary>
    /// Counts, epochs, ETA, the <paramref name="top"/> leaderboard rows, up to <see cref="RunningShown"/> running trials (in
    /// queue order), and the trials that ended after <paramref name="sinceVersion"/>: the latest <see cref="EndedShown"/> of
    /// them, in the order they ended, the older ones counted in EndedOmitted. Pass the overview's Version back next time.
    /// </summary>
    /// <param name="epochsToCome">
    /// Epochs of trials the sweep will add but has not yet (a <c>method: tpe</c> sweep's suggestions still to make), counted
    /// in the total and the time left.
    /// </param>
    public static SweepOverview Build(
        string sweepId, string name, TrialLedger ledger, DateTimeOffset started, string? endReason, DateTimeOffset? finished,
        long sinceVersion, int top, DateTimeOffset now, long epochsToCome = 0)
    {
        var ended = EndedSince(ledger, sinceVersion);
        var shown = ended.Count > EndedShown ? ended[^EndedShown..] : ended;
        var total = ledger.EpochsTotal + epochsToCome;
        return new SweepOverview(
            sweepId, name, ledger.Count, new Dictionary<TrialStatus, int>(ledger.Counts), ledger.EpochsDone, total, started,
            RemainingTime.Estimate(now - started, ledger.EpochsDone, total), endReason, finished, ledger.Version,
            [.. Leaders(ledger, finished is not null, now).Take(Math.Max(0, top))],
            [.. ledger.Running.Take(RunningShown).Select(ledger.Summarise)],
            [.. shown.Select(ledger.Summarise)],
            ended.Count - shown.Count,
            ledger.Metric);
    }

    /// <summary>The registry's row of the sweep, with the top <see cref="LeadersListed"/> rows of the same leaderboard <see cref="Build"/> shows.</summary>
    public static SweepListing Listing(
        string sweepId, string name, TrialLedger ledger, DateTimeOffset started, DateTimeOffset? finished, DateTimeOffset now, long epochsToCome = 0) =>
        new(sweepId, name, started, finished, ledger.Count, new Dictionary<TrialStatus, int>(ledger.Counts), ledger.EpochsDone, ledger.EpochsTotal + epochsToCome,
            [.. Leaders(ledger, finished is not null, now).Take(LeadersListed)], ledger.Metric);

    /// <summary>Every trial's summary (GetProgressAsync: tests and small sweeps).</summary>
    public static SweepProgress Progress(
        string sweepId, string name, TrialLedger ledger, DateTimeOffset started, string? endReason, DateTimeOffset? finished, DateTimeOffset now,
        long epochsToCome = 0) =>
        new(sweepId, name, [.. Enumerable.Range(0, ledger.Count).Select(ledger.Summarise)], ledger.EpochsDone, ledger.EpochsTotal + epochsToCome, started,
            RemainingTime.Estimate(now - started, ledger.EpochsDone, ledger.EpochsTotal + epochsToCome), endReason, finished);

    /// <summary>Trials that ended after <paramref name="sinceVersion"/> and have not changed since, in the order they ended.</summary>
    private static List<int> EndedSince(TrialLedger ledger, long sinceVersion)
    {
        var log = ledger.EndLog;
        var (low, high) = (0, log.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (log[middle].Version <= sinceVersion)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var ended = new List<int>();
        for (var i = low; i < log.Count; i++)
        {
            if (ledger[log[i].Index].EndedAt == log[i].Version)
            {
                ended.Add(log[i].Index);
            }
        }

        return ended;
    }

    private static IReadOnlyList<ConfigurationRow> Leaders(TrialLedger ledger, bool final, DateTimeOffset now)
    {
        var ranking = Rankings.GetValue(ledger, _ => new Ranking());
        lock (ranking)
        {
            if (ranking.Version != ledger.Version && (final || ranking.Rows is null || now - ranking.At >= RankingPeriod(ledger) || now < ranking.At))
            {
                ranking.Rows = ConfigurationRanking.Rank(Enumerable.Range(0, ledger.Count).Select(ledger.Summarise), ledger.Metric);
                (ranking.Version, ranking.At) = (ledger.Version, now);
            }

            return ranking.Rows!;
        }
    }

    private static TimeSpan RankingPeriod(TrialLedger ledger) => TimeSpan.FromSeconds(Math.Max(1.0, (double)ledger.Count / RankedPerSecond));

    private sealed class Ranking
    {
        public long Version { get; set; } = -1;

        public DateTimeOffset At { get; set; }

        public IReadOnlyList<ConfigurationRow>? Rows { get; set; }
    }
}
