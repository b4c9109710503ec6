using System.Diagnostics;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;
using SweepCluster.Experiments;
using Xunit.Abstractions;

namespace SweepCluster.Client.Tests;

/// <summary>The results directory, written from a sweep that serves its trials and curves a page at a time.</summary>
public sealed class ResultsWriterTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sweep-results-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task TheCsvFilesHoldTheSameColumnsAndNumbersAsBeforeAcrossPageBoundaries()
    {
        TrialSummary[] trials =
        [
            Summary("t1", "forward", 0, new() { ["direction"] = "forward" }, TrialStatus.Completed, 3, 0.25, 0.2, 0.875, 0.3, 0.9, 1234567, silo: "127.0.0.1:11111"),
            Summary("t2", "forward", 1, new() { ["direction"] = "forward" }, TrialStatus.Stopped, 2, 0.5, 0.45, 0.75, null, null, 1.0, stopReason: "asha: rung 2, loss 0.5 > \"median\""),
            Summary("t3", "backward lr=0.01", 0, new() { ["direction"] = "backward", ["learning_rate"] = "0.01" }, TrialStatus.Failed, 1, null, null, null, null, null, 0.123456789, silo: "silo-b:11111", error: "broke\nhere, \"badly\""),
            Summary("t4", "bidirectional", 2, new() { ["direction"] = "bidirectional" }, TrialStatus.Queued, 0, null, null, null, null, null, 0),
        ];
        var curves = new Dictionary<string, TrialCurve>
        {
            ["t1"] = new("t1", [0.5, 1.0 / 3, 0.25], [0.5, 0.75, 0.875], [0.5, 1, 1.5]),
            ["t2"] = new("t2", [0.6, 0.5], [0.7, 0.75], [0.4, 1e-7]),
            ["t3"] = new("t3", [12.5], [0], [0.1]),
        };
        var sweep = new FakeSweep(trials, curves);

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "fake", pageSize: 3);

        Assert.Equal(
            """"
            trial_id,status,epochs,final_loss,best_loss,final_acc,seconds,test_loss,test_acc,direction,learning_rate,seed,variant,silo,error,stop_reason
            t1,completed,3,0.25,0.2,0.875,1.23457E+06,0.3,0.9,forward,,0,forward,127.0.0.1:11111,,
            t2,stopped,2,0.5,0.45,0.75,1,,,forward,,1,forward,,,"asha: rung 2, loss 0.5 > ""median"""
            t3,failed,1,,,,0.123457,,,backward,0.01,0,backward lr=0.01,silo-b:11111,"broke here, ""badly""",
            t4,queued,0,,,,0,,,bidirectional,,2,bidirectional,,,

            """".ReplaceLineEndings("\n"),
            await File.ReadAllTextAsync(Path.Combine(_directory.FullName, "results.csv")));
        Assert.Equal(
            """
            trial_id,epoch,loss,acc,seconds
            t1,1,0.5,0.5,0.5
            t1,2,0.333333,0.75,1
            t1,3,0.25,0.875,1.5
            t2,1,0.6,0.7,0.4
            t2,2,0.5,0.75,1E-07
            t3,1,12.5,0,0.1

            """.ReplaceLineEndings("\n"),
            await File.ReadAllTextAsync(Path.Combine(_directory.FullName, "curves.csv")));
        Assert.Equal("name: fake\n", await File.ReadAllTextAsync(Path.Combine(_directory.FullName, "spec.yaml")));
        AssertPng(Path.Combine(_directory.FullName, "loss.png"));
        Assert.Equal((4, 2), (sweep.TrialPages, sweep.CurvePages)); // two passes over the trials, one over the curves, 3 a page
    }

    [Fact]
    public async Task AValidatingSweepHasValidationColumnsEmptyWhereNotMeasuredAndRanksByItsMetric()
    {
        var valAccuracy = new SweepMetric(MetricName.ValAccuracy, MetricGoal.Maximize);
        TrialSummary Validated(string id, double finalLoss, double finalValAccuracy, double bestValAccuracy) =>
            Summary(id, id, 0, new() { ["hidden"] = id }, TrialStatus.Completed, 4, finalLoss, finalLoss, 0.9, null, null, 1) with
            {
                Trial = new PlannedTrial(id, id, new TrialConfig { Epochs = 4, ValidateEvery = 2 }, new Dictionary<string, string> { ["hidden"] = id }),
                FinalMetric = finalValAccuracy, BestMetric = bestValAccuracy,
            };

        // a trains best (lowest loss) but holds out worst.
        TrialSummary[] trials = [Validated("a", 0.1, 0.6, 0.7), Validated("b", 0.3, 0.9, 0.9), Validated("c", 0.2, 0.8, 0.85)];
        var curves = trials.ToDictionary(t => t.Trial.Id, t => new TrialCurve(
            t.Trial.Id, [0.5, 0.4, 0.3, 0.2], [0.5, 0.6, 0.7, 0.8], [1, 1, 1, 1], [null, 0.45, null, 0.35], [null, 0.7, null, t.FinalMetric]));
        var sweep = new FakeSweep(trials, curves) { Overview = Overview(valAccuracy) };

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "fake", pageSize: 2);

        var results = await File.ReadAllLinesAsync(Path.Combine(_directory.FullName, "results.csv"));
        Assert.StartsWith("trial_id,status,epochs,final_loss,best_loss,final_acc,seconds,test_loss,test_acc,final_val_acc,best_val_acc,hidden,", results[0]);
        Assert.StartsWith("a,completed,4,0.1,0.1,0.9,1,,,0.6,0.7,a,", results[1]);
        var curveLines = await File.ReadAllLinesAsync(Path.Combine(_directory.FullName, "curves.csv"));
        Assert.Equal("trial_id,epoch,loss,acc,seconds,val_loss,val_acc", curveLines[0]);
        Assert.Equal(["a,1,0.5,0.5,1,,", "a,2,0.4,0.6,1,0.45,0.7", "a,3,0.3,0.7,1,,", "a,4,0.2,0.8,1,0.35,0.6"], curveLines[1..5]);
        var report = await File.ReadAllTextAsync(Path.Combine(_directory.FullName, ResultsWriter.ReportFile));
        Assert.Contains("<h2>Validation accuracy curves</h2>", report);
        Assert.True(report.IndexOf("<td>b</td>", StringComparison.Ordinal) < report.IndexOf("<td>c</td>", StringComparison.Ordinal)
            && report.IndexOf("<td>c</td>", StringComparison.Ordinal) < report.IndexOf("<td>a</td>", StringComparison.Ordinal), "ranked by final val_acc, highest first");
        AssertPng(Path.Combine(_directory.FullName, "loss.png"));
    }

    private static SweepOverview Overview(SweepMetric metric) =>
        new("fake", "fake", 3, new Dictionary<TrialStatus, int>(), 0, 0, DateTimeOffset.UnixEpoch, null, null, null, 0, [], [], [], 0, metric);

    [Fact]
    public async Task ASweepOfTenThousandTrialsOf250EpochsIsWrittenWithTheClientsMemoryBounded()
    {
        const int Trials = 10_000, Epochs = 250, Seeds = 10;
        var sweep = new FakeSweep(Trials, i => Summary(
                $"trial-{i:D5}", $"hidden={i / Seeds % 100}-lr={i / Seeds / 100}", i % Seeds,
                new() { ["hidden"] = $"{i / Seeds % 100}", ["learning_rate"] = $"{i / Seeds / 100}" },
                TrialStatus.Completed, Epochs, 0.1, 0.05, 0.9, 0.1, 0.9, 12.5),
            i => new TrialCurve(
                $"trial-{i:D5}", [.. Enumerable.Range(1, Epochs).Select(e => 1.0 / e + i % 7 * 1e-3)],
                [.. Enumerable.Range(1, Epochs).Select(e => 1 - 1.0 / e)], [.. Enumerable.Range(1, Epochs).Select(e => e * 0.05)]));
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        long peakTotal = 0, peakHeap = 0;
        using var writing = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                peakTotal = Math.Max(peakTotal, GC.GetTotalMemory(forceFullCollection: false));
                peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                await Task.Delay(5);
            }
        });
        var clock = Stopwatch.StartNew();
        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "big");
        clock.Stop();
        await writing.CancelAsync();
        await sampler;

        output.WriteLine(
            $"wrote {Trials} x {Epochs} in {clock.Elapsed.TotalSeconds:F1} s; managed memory before {before >> 20} MiB, " +
            $"peak GetTotalMemory {peakTotal >> 20} MiB, peak GC heap size {peakHeap >> 20} MiB, process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB");
        Assert.True(peakTotal < 200L << 20, $"managed memory peaked at {peakTotal >> 20} MiB");
        Assert.True(peakHeap < 200L << 20, $"the GC heap peaked at {peakHeap >> 20} MiB");
        Assert.Equal(1 + Trials, File.ReadLines(Path.Combine(_directory.FullName, "results.csv")).Count());
        Assert.Equal(1 + Trials * Epochs, File.ReadLines(Path.Combine(_directory.FullName, "curves.csv")).Count());
        Assert.Equal("trial-09999,250,0.007,0.996,12.5", File.ReadLines(Path.Combine(_directory.FullName, "curves.csv")).Last());
        AssertPng(Path.Combine(_directory.FullName, "loss.png"));
    }

    [Fact]
    public async Task ASweepWithNoCurvesYetStillGetsEveryFile()
    {
        var sweep = new FakeSweep([Summary("t1", "forward", 0, new() { ["direction"] = "forward" }, TrialStatus.Queued, 0, null, null, null, null, null, 0)], new Dictionary<string, TrialCurve>());

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "empty");

        Assert.Equal("trial_id,epoch,loss,acc,seconds\n", await File.ReadAllTextAsync(Path.Combine(_directory.FullName, "curves.csv")));
        Assert.Equal(2, File.ReadLines(Path.Combine(_directory.FullName, "results.csv")).Count());
        AssertPng(Path.Combine(_directory.FullName, "loss.png"));
        Assert.Contains("<table id=\"board\">", await File.ReadAllTextAsync(Path.Combine(_directory.FullName, ResultsWriter.ReportFile)));
    }

    [Fact]
    public async Task LongCurvesComeFewerToAPage()
    {
        const int Epochs = 200_000;
        var sweep = new FakeSweep(
            3, i => Summary($"t{i}", "forward", i, [], TrialStatus.Completed, Epochs, 0.1, 0.1, 0.5, null, null, 1),
            i => new TrialCurve($"t{i}", [.. Enumerable.Repeat(0.5, Epochs)], [.. Enumerable.Repeat(0.5, Epochs)], [.. Enumerable.Repeat(1.0, Epochs)]));

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "long");

        Assert.Equal(4, sweep.CurvePages); // one curve a page (250,000 points at most), then the empty page that ends them
        Assert.Equal(1 + 3 * Epochs, File.ReadLines(Path.Combine(_directory.FullName, "curves.csv")).Count());
    }

    private static void AssertPng(string path)
    {
        var png = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    internal static TrialSummary Summary(
        string id, string variant, int seed, Dictionary<string, string> parameters, TrialStatus status, int epochs, double? finalLoss, double? bestLoss,
        double? lastAccuracy, double? testLoss, double? testAccuracy, double seconds, string? silo = null, string? error = null, string? stopReason = null) =>
        new(new PlannedTrial(id, variant, new TrialConfig { Seed = seed, Epochs = 250 }, parameters), status, epochs, finalLoss, bestLoss, lastAccuracy,
            finalLoss, testLoss, testAccuracy, seconds, error, silo, stopReason);
}
