using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>The ledger persists in chunks of 256 trials, each under 64 KiB, and reads back as it was.</summary>
public sealed class TrialLedgerChunkTests
{
    private const int KiB = 1024;
    private static readonly int[] Judged = [2, 4, 6, 8, 10, 12, 14, 16, 18, 19];

    /// <summary>A sweep in every state: completed, stopped (and awaiting its end), failed with long errors, running, queued.</summary>
    private static TrialLedger Busy(int count)
    {
        var ledger = new TrialLedger(Trials.Plan(count, epochs: 20, variants: 50), Judged);
        for (var i = 0; i < count; i++)
        {
            var scale = 1 + i % 17 / 10.0;
            switch (i % 6)
            {
                case 0:
                    ledger.Started(i, Trials.SiloA);
                    ledger.Report(i, Trials.Epochs(i, 1, 20, scale), new TrialEnd(TrialStatus.Completed, 20, 0.1 * scale, 0.9));
                    break;
                case 1:
                    ledger.Started(i, Trials.SiloB);
                    ledger.Report(i, Trials.Epochs(i, 1, 13, scale));
                    ledger.Stop(i, $"asha: best loss {scale:G4} ranks 9 of 12 at the 12-epoch rung; only the top 4 (1/3) go on", 12);
                    if (i % 12 == 1)
                    {
                        ledger.Report(i, [], new TrialEnd(TrialStatus.Stopped, 13));
                    }

                    break;
                case 2:
                    ledger.Started(i, Trials.SiloA);
                    ledger.Report(i, Trials.Epochs(i, 1, 3, scale), new TrialEnd(TrialStatus.Failed, 3, Error: new string('x', 300 + i % 400) + "\u00e9\ud83d\ude00"));
                    break;
                case 3:
                    ledger.Started(i, Trials.SiloB);
                    ledger.Report(i, Trials.Epochs(i, 1, 5 + i % 15, scale));
                    break;
                case 4 when i % 4 == 0:
                    ledger.SiloLost(i);
                    break;
            }
        }

        return ledger;
    }

    private static void AssertSame(TrialLedger expected, TrialLedger actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Counts.OrderBy(p => p.Key), actual.Counts.OrderBy(p => p.Key));
        Assert.Equal(expected.Queued, actual.Queued);
        Assert.Equal(expected.Running, actual.Running);
        Assert.Equal(expected.AwaitingEnd, actual.AwaitingEnd);
        Assert.Equal((expected.EpochsDone, expected.EpochsApplied), (actual.EpochsDone, actual.EpochsApplied));
        Assert.Equal(Current(expected), Current(actual));
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(
                (e.Status, e.Epochs, e.LastLoss, e.BestLoss, e.LastAccuracy, e.FinalLoss, e.Seconds, e.TestLoss, e.TestAccuracy, e.FiniteBest),
                (a.Status, a.Epochs, a.LastLoss, a.BestLoss, a.LastAccuracy, a.FinalLoss, a.Seconds, a.TestLoss, a.TestAccuracy, a.FiniteBest));
            Assert.Equal((e.Error, e.Silo, e.StopReason, e.StopEpoch, e.SiloLosses, e.AwaitingEnd, e.EndedAt), (a.Error, a.Silo, a.StopReason, a.StopEpoch, a.SiloLosses, a.AwaitingEnd, a.EndedAt));
            Assert.Equal(e.JudgedBest, a.JudgedBest);
            Assert.Equal(e.RecentLosses, a.RecentLosses);
            Assert.Equal(expected.Summarise(i), actual.Summarise(i));
        }
    }

    /// <summary>The end log's entries that are still current (a trial that changed since left a stale one behind).</summary>
    private static IEnumerable<EndedTrial> Current(TrialLedger ledger) => ledger.EndLog.Where(e => ledger[e.Index].EndedAt == e.Version);

    private static IReadOnlyList<PlannedTrial> PlanOf(TrialLedger ledger) => [.. Enumerable.Range(0, ledger.Count).Select(ledger.Planned)];

    [Fact]
    public void AHundredThousandTrialLedgerFitsInChunksUnder64KiBAndReadsBackTheSame()
    {
        var ledger = Busy(100_000);

        var chunks = ledger.TakeDirtyChunks();

        Assert.Equal(391, chunks.Count); // 100,000 / 256, rounded up
        Assert.All(chunks.Values, chunk => Assert.True(chunk.Length < 64 * KiB, $"a chunk of {chunk.Length} bytes"));
        AssertSame(ledger, TrialLedger.Restore(PlanOf(ledger), Judged, chunks));
    }

    [Fact]
    public void OnlyTheChunksOfChangedTrialsAreWrittenAgain()
    {
        var ledger = Busy(1000);
        var all = ledger.TakeDirtyChunks();

        ledger.Started(4, Trials.SiloA);
        ledger.Report(999, Trials.Epochs(999, 1, 2));
        ledger.Started(995, Trials.SiloA);
        var dirty = ledger.TakeDirtyChunks();

        Assert.Equal([0, 3], dirty.Keys.Order());
        Assert.Empty(ledger.TakeDirtyChunks());
        var merged = all.ToDictionary(p => p.Key, p => dirty.GetValueOrDefault(p.Key, p.Value));
        AssertSame(ledger, TrialLedger.Restore(PlanOf(ledger), Judged, merged));
    }

    [Fact]
    public void AChunkOfTheLargestRecordsStaysUnder64KiBByCuttingTexts()
    {
        // 256 running trials with every judged epoch and 10 recent losses; 256 failed with 50,000-character errors;
        // 256 stopped trials awaiting their ends with long reasons.
        var ledger = new TrialLedger(Trials.Plan(768, epochs: 20), Judged);
        for (var i = 0; i < 768; i++)
        {
            ledger.Started(i, Trials.SiloA);
            ledger.Report(i, [.. Trials.Epochs(i, 1, 19).Select(e => e with { Loss = e.Loss + i * 1e-7 })]);
            if (i >= 512)
            {
                ledger.Stop(i, new string('r', 50_000), 19);
            }
            else if (i >= 256)
            {
                ledger.Report(i, [], new TrialEnd(TrialStatus.Failed, 19, 0.5, 0.5, new string('e', 50_000)));
            }
        }

        var chunks = ledger.TakeDirtyChunks();
        var restored = TrialLedger.Restore(Trials.Plan(768, epochs: 20), Judged, chunks);

        Assert.All(chunks.Values, chunk => Assert.True(chunk.Length < 64 * KiB, $"a chunk of {chunk.Length} bytes"));
        Assert.Equal(ledger[0].RecentLosses, restored[0].RecentLosses);
        Assert.StartsWith("eeee", restored[300].Error);
        Assert.Equal(TrialStatus.Stopped, restored[600].Status);
        Assert.True(restored[600].AwaitingEnd);
    }

    [Fact]
    public void RunningTrialsOfASpecWithManyJudgedEpochsStillFitByWritingFloats()
    {
        // 24 judged epochs (ASHA with eta 2 from epoch 1 over millions of epochs) and a long IPv6 silo address.
        int[] judged = [.. Enumerable.Range(1, 24)];
        var silo = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("fd00:1234:5678:9abc:def0:1234:5678:9abc"), 11111), 123456789)
            .ToParsableString();
        var ledger = new TrialLedger(Trials.Plan(256, epochs: 30), judged);
        for (var i = 0; i < 256; i++)
        {
            ledger.Started(i, silo);
            ledger.Report(i, [.. Trials.Epochs(i, 1, 25).Select(e => e with { Loss = e.Loss + i * 1e-7, Seconds = 0.1 + i })]);
        }

        var chunk = Assert.Single(ledger.TakeDirtyChunks());
        var restored = TrialLedger.Restore([.. Enumerable.Range(0, 256).Select(ledger.Planned)], judged, new Dictionary<int, byte[]> { [0] = chunk.Value });

        Assert.True(chunk.Value.Length < 64 * KiB, $"a chunk of {chunk.Value.Length} bytes");
        Assert.Equal(ledger[7].JudgedBest.Count, restored[7].JudgedBest.Count);
        Assert.Equal(ledger[7].JudgedBest[^1], restored[7].JudgedBest[^1], 1e-6);
        Assert.Equal(ledger[7].FinalLoss!.Value, restored[7].FinalLoss!.Value, 1e-6);
        Assert.Equal((ledger[7].Seconds, ledger[7].Silo), (restored[7].Seconds, restored[7].Silo));
    }

    [Fact]
    public void AChunkOfAnUnknownFormatIsRefused()
    {
        var chunks = Busy(10).TakeDirtyChunks().ToDictionary(p => p.Key, p => p.Value.ToArray());
        chunks[0][0] = 99;

        Assert.Throws<InvalidDataException>(() => TrialLedger.Restore(Trials.Plan(10, epochs: 20, variants: 50), Judged, chunks));
    }

    [Fact]
    public void TrialsOfAMissingChunkComeBackQueued()
    {
        var restored = TrialLedger.Restore(Trials.Plan(300), [], new Dictionary<int, byte[]>());

        Assert.Equal(300, restored.Counts[TrialStatus.Queued]);
        Assert.Equal(0, restored.Version);
    }
}
