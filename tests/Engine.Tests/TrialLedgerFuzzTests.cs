using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>Whatever happens to its trials, what the ledger maintains equals what a recount of its records says.</summary>
public sealed class TrialLedgerFuzzTests
{
    private static readonly int[] Judged = [3, 6, 9, 15];

    private static void AssertMaintained(TrialLedger ledger)
    {
        var records = Enumerable.Range(0, ledger.Count).Select(i => ledger[i]).ToList();
        Assert.Equal(
            records.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count()).OrderBy(p => p.Key),
            ledger.Counts.OrderBy(p => p.Key));
        Assert.Equal(Enumerable.Range(0, ledger.Count).Where(i => records[i].Status == TrialStatus.Queued), ledger.Queued);
        Assert.Equal(Enumerable.Range(0, ledger.Count).Where(i => records[i].Status == TrialStatus.Running), ledger.Running);
        Assert.Equal(Enumerable.Range(0, ledger.Count).Where(i => records[i].AwaitingEnd), ledger.AwaitingEnd);
        Assert.Equal(records.Sum(r => (long)r.Epochs), ledger.EpochsApplied);
        for (var k = 0; k < Judged.Length; k++)
        {
            Assert.Equal(records.Where(r => r.RuleView(Judged) > k).Select(r => r.JudgedBest[k]).Order(), ledger.Rungs.Reached(k));
            Assert.Equal(
                records.Where(r => r.Status == TrialStatus.Completed && r.JudgedBest.Count > k).Select(r => r.JudgedBest[k]).Order(),
                ledger.Rungs.Completed(k));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomTransitionsKeepCountsSetsTotalsAndTheRungIndexInStep(int seed)
    {
        var random = new Random(seed);
        var ledger = new TrialLedger(Trials.Plan(40, epochs: 20), Judged);
        for (var step = 0; step < 1500; step++)
        {
            var i = random.Next(40);
            var record = ledger[i];
            var from = record.Epochs + 1 - random.Next(3);
            var epochs = Trials.Epochs(i, Math.Max(1, from), Math.Min(20, Math.Max(1, from) + random.Next(6)), 1 + random.NextDouble());
            switch (random.Next(12))
            {
                case 0 or 1 or 2:
                    ledger.Started(i, Trials.SiloA);
                    break;
                case 3 or 4 or 5:
                    ledger.Report(i, epochs);
                    break;
                case 6:
                    ledger.Report(i, epochs, new TrialEnd((TrialStatus)random.Next(2, 9), epochs.Count == 0 ? record.Epochs : epochs[^1].Epoch, 0.1, 0.9));
                    break;
                case 7:
                    ledger.Stop(i, "rule", Math.Max(1, record.Epochs - random.Next(4)));
                    break;
                case 8:
                    ledger.SiloLost(i);
                    break;
                case 9:
                    ledger.Requeue(i);
                    break;
                case 10:
                    ledger.EndLost(i);
                    break;
                default:
                    ledger.ApplyFinished(i, new TrialEnd(TrialStatus.Completed, 12), new TrialCurve($"t{i}", [.. Enumerable.Range(1, 12).Select(e => 2.0 / e)], new double[12], new double[12]));
                    break;
            }

            AssertMaintained(ledger);
        }

        var restored = TrialLedger.Restore([.. Enumerable.Range(0, 40).Select(ledger.Planned)], Judged, ledger.AllChunks());
        AssertMaintained(restored);
    }
}
