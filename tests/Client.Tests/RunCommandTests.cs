using System.CommandLine;
using SweepCluster.Client.Commands;
using SweepCluster.Client.Connection;

namespace SweepCluster.Client.Tests;

/// <summary>
/// The CLI end to end: a real local silo process started by the client (in a private SWEEP_HOME), real
/// training, real files. Each test gets its own home and silo, stopped when the test ends.
/// </summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("sweep-home-");

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("SWEEP_HOME", _home.FullName);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await LocalSilo.StopAsync();
        _home.Delete(recursive: true);
    }

    [Fact]
    public async Task RunTrainsEveryTrialOnTheLocalSiloAndWritesResultsCurvesPlotAndSpec()
    {
        var output = Path.Combine(_home.FullName, "out");

        var exitCode = await Invoke("run", Repository("sweeps", "merge-modes.yaml"), "--out", output, "--set", "epochs=40", "--set", "repeats=2", "--quiet");

        Assert.Equal(0, exitCode);
        var results = await File.ReadAllLinesAsync(Path.Combine(output, "results.csv"));
        Assert.StartsWith("trial_id,status,epochs,final_loss,best_loss,final_acc,seconds,", results[0]);
        Assert.Contains(",direction,merge_mode,", results[0]);
        Assert.Equal(1 + 12, results.Length);
        Assert.All(results.Skip(1), row => Assert.Contains(",completed,40,", row));
        var curves = await File.ReadAllLinesAsync(Path.Combine(output, "curves.csv"));
        Assert.Equal(1 + 12 * 40, curves.Length);
        Assert.Equal(12 * 40, curves.Skip(1).Select(line => string.Join(',', line.Split(',')[..2])).Distinct().Count());
        var png = await File.ReadAllBytesAsync(Path.Combine(output, "loss.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Contains("epochs: 40", await File.ReadAllTextAsync(Path.Combine(output, "spec.yaml")));

        // Running the same spec again re-attaches to the finished sweep: nothing retrains, the results are the same.
        var again = Path.Combine(_home.FullName, "again");
        Assert.Equal(0, await Invoke("run", Repository("sweeps", "merge-modes.yaml"), "--out", again, "--set", "epochs=40", "--set", "repeats=2", "--quiet"));
        Assert.Equal(results, await File.ReadAllLinesAsync(Path.Combine(again, "results.csv")));
    }

    [Fact]
    public async Task AValidationMetricPutsValidationCurvesInCurvesCsvAndRanksTheLeaderboardByIt()
    {
        var output = Path.Combine(_home.FullName, "val");

        var exitCode = await Invoke(
            "run", Repository("sweeps", "sentiment-val.yaml"), "--out", output, "--set", "epochs=3", "--set", "task_options.train_size=384",
            "--set", "task_options.test_size=192", "--set", "task_options.max_len=40", "--set", "task_options.num_words=500", "--quiet");

        Assert.Equal(0, exitCode);
        var results = await File.ReadAllLinesAsync(Path.Combine(output, "results.csv"));
        var header = results[0].Split(',').ToList();
        Assert.Contains("final_val_loss", header);
        Assert.Contains("best_val_loss", header);
        var finalValLoss = results.Skip(1).Select(r => r.Split(',')).ToDictionary(
            cells => cells[header.IndexOf("variant")], cells => double.Parse(cells[header.IndexOf("final_val_loss")], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4, finalValLoss.Count);

        // Validated every epoch: every row of curves.csv has both scores.
        var curves = await File.ReadAllLinesAsync(Path.Combine(output, "curves.csv"));
        Assert.Equal("trial_id,epoch,loss,acc,seconds,val_loss,val_acc", curves[0]);
        Assert.Equal(1 + 4 * 3, curves.Length);
        Assert.All(curves.Skip(1), row => Assert.DoesNotContain(",,", row + ","));

        // The sweep's leaderboard is ranked by the final val_loss, lowest first, and so is the report's.
        var port = await LocalSilo.FindAsync() ?? throw new InvalidOperationException("no local silo");
        await using var connection = await SweepConnection.ConnectAsync(port, CancellationToken.None);
        var overview = await connection.Grains.GetGrain<Abstractions.Sweeps.ISweepGrain>(Assert.Single(await ListSweepsAsync())).GetOverviewAsync();
        Assert.Equal(Abstractions.Sweeps.MetricName.ValLoss, overview!.Metric!.Name);
        Assert.Equal(finalValLoss.OrderBy(v => v.Value).Select(v => v.Key), overview.Leaders.Select(r => r.Variant));
        Assert.All(overview.Leaders, r => Assert.True(Math.Abs(finalValLoss[r.Variant] - r.FinalMetric!.Value) < 1e-5 * Math.Max(1, r.FinalMetric.Value)));
        var report = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
        Assert.Contains("<th>final val_loss</th>", report);
        var reportOrder = System.Text.RegularExpressions.Regex.Matches(report, "<tr data-c=\"\\d+\"><td[^>]*>(?:<i[^>]*></i>)?\\d+</td><td>([^<]*)</td>")
            .Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value));
        Assert.Equal(overview.Leaders.Select(r => r.Variant), reportOrder);
    }

    [Fact]
    public async Task ABadSpecStopsBeforeAnythingStartsWithExitCode2()
    {
        var spec = Path.Combine(_home.FullName, "bad.yaml");
        await File.WriteAllTextAsync(spec, "task: cumsum\nparameters: { merge_mode: [avg] }\n");
        var output = Path.Combine(_home.FullName, "bad-out");

        Assert.Equal(2, await Invoke("run", spec, "--out", output));
        Assert.False(Directory.Exists(output));
        Assert.False(File.Exists(Path.Combine(_home.FullName, "local-silo.json")), "a rejected spec must not start a silo");
    }

    [Fact]
    public async Task ABadSpecWhileTheLocalSiloRunsIsRefusedWithExitCode2AndTheSiloServesTheNextRun()
    {
        // A running silo of this build is connected to while the spec is parsed: a refused spec closes that connection.
        Assert.Equal(0, await Invoke("list"));
        var spec = Path.Combine(_home.FullName, "bad.yaml");
        await File.WriteAllTextAsync(spec, "task: cumsum\nparameters: { merge_mode: [avg] }\n");
        var output = Path.Combine(_home.FullName, "bad-out");

        Assert.Equal(2, await Invoke("run", spec, "--out", output));
        Assert.False(Directory.Exists(output));

        var good = Path.Combine(_home.FullName, "good.yaml");
        await File.WriteAllTextAsync(good, "name: good\ntask: cumsum\nparameters: { direction: [forward] }\nepochs: 2\n");
        Assert.Equal(0, await Invoke("run", good, "--out", Path.Combine(_home.FullName, "good-out"), "--quiet"));
    }

    [Fact]
    public async Task ADetachedSweepCanBeListedCancelledWatchedAndExported()
    {
        var spec = Path.Combine(_home.FullName, "long.yaml");
        await File.WriteAllTextAsync(spec, "name: long\ntask: cumsum\nparameters: { direction: [forward, backward, bidirectional] }\nrepeats: 2\nepochs: 1000000\n");

        Assert.Equal(0, await Invoke("run", spec, "--detach"));
        var sweepId = Assert.Single(await ListSweepsAsync());
        Assert.StartsWith("long-", sweepId);
        Assert.Equal(0, await Invoke("list"));
        Assert.Equal(0, await Invoke("cancel", sweepId));
        Assert.Equal(1, await Invoke("watch", sweepId, "--quiet"));

        var output = Path.Combine(_home.FullName, "exported");
        Assert.Equal(0, await Invoke("results", sweepId, "--out", output));
        var rows = (await File.ReadAllLinesAsync(Path.Combine(output, "results.csv"))).Skip(1).ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, row => Assert.Contains(",cancelled,", row));
        Assert.Equal(2, await Invoke("results", "no-such-sweep"));
    }

    [Fact]
    public async Task AshaOnTheMergeModeSweepTrainsFarFewerEpochsAndFindsTheSameBestConfiguration()
    {
        var grid = await RunOnItsOwnSiloAsync("merge-modes.yaml");
        var asha = await RunOnItsOwnSiloAsync("merge-modes-asha.yaml");

        Assert.Equal(18 * 250, grid.Sum(t => t.Epochs));
        Assert.All(grid, t => Assert.Equal(("completed", ""), (t.Status, t.StopReason)));
        var stopped = asha.Where(t => t.Status == "stopped").ToList();
        Assert.NotEmpty(stopped);
        Assert.All(stopped, t => Assert.StartsWith("asha: ", t.StopReason));
        Assert.All(stopped, t => Assert.Contains(t.Epochs, new[] { 9, 27, 81, 243 })); // stopped at the rung that judged it
        Assert.All(asha.Where(t => t.Status != "stopped"), t => Assert.Equal(("completed", 250), (t.Status, t.Epochs)));
        Assert.True(asha.Sum(t => t.Epochs) < grid.Sum(t => t.Epochs) / 2, $"ASHA trained {asha.Sum(t => t.Epochs)} epochs, the grid {grid.Sum(t => t.Epochs)}");
        Assert.Equal("bidirectional-sum", BestConfiguration(grid));
        Assert.Equal(BestConfiguration(grid), BestConfiguration(asha));
    }

    [Fact]
    public async Task ListStartsTheLocalSiloWhenNoneRunsAndUnknownSweepsAreClearErrors()
    {
        await LocalSilo.StopAsync();

        Assert.Equal(0, await Invoke("list"));
        Assert.NotNull(await LocalSilo.FindAsync());
        Assert.Empty(await ListSweepsAsync());
        Assert.Equal(2, await Invoke("watch", "no-such-sweep"));
        Assert.Equal(2, await Invoke("results", "no-such-sweep"));
        Assert.Equal(2, await Invoke("forget", "no-such-sweep"));
    }

    [Fact]
    public async Task ASweepOutlivesItsLocalSiloUntilItIsForgotten()
    {
        var spec = Path.Combine(_home.FullName, "short.yaml");
        await File.WriteAllTextAsync(spec, "name: short\ntask: cumsum\nparameters: { direction: [forward, backward] }\nepochs: 3\n");
        Assert.Equal(0, await Invoke("run", spec, "--out", Path.Combine(_home.FullName, "first"), "--quiet"));
        var sweepId = Assert.Single(await ListSweepsAsync());

        await LocalSilo.StopAsync();
        Assert.Equal(0, await Invoke("list")); // starts the silo again, which reads the sweep back from SWEEP_HOME/store
        Assert.Equal([sweepId], await ListSweepsAsync());
        var output = Path.Combine(_home.FullName, "after-restart");
        Assert.Equal(0, await Invoke("results", sweepId, "--out", output));
        Assert.Equal(
            await File.ReadAllLinesAsync(Path.Combine(_home.FullName, "first", "curves.csv")),
            await File.ReadAllLinesAsync(Path.Combine(output, "curves.csv")));
        var report = Path.Combine(_home.FullName, "report");
        Assert.Equal(0, await Invoke("report", sweepId, "--out", report));
        var html = await File.ReadAllTextAsync(Path.Combine(report, "report.html"));
        Assert.Contains("<td>forward</td>", html);
        Assert.Contains("<td>backward</td>", html);

        Assert.Equal(0, await Invoke("forget", sweepId));
        Assert.Empty(await ListSweepsAsync());
        Assert.Equal(2, await Invoke("results", sweepId));
        Assert.Equal(2, await Invoke("report", sweepId));
    }

    /// <summary>Runs a shipped spec on a fresh local silo of its own (a shared one would hand one sweep's finished trials to the other).</summary>
    private async Task<List<ResultRow>> RunOnItsOwnSiloAsync(string spec)
    {
        var home = _home.CreateSubdirectory(Path.GetFileNameWithoutExtension(spec));
        var output = Path.Combine(home.FullName, "out");
        Environment.SetEnvironmentVariable("SWEEP_HOME", home.FullName);
        try
        {
            Assert.Equal(0, await Invoke("run", Repository("sweeps", spec), "--out", output, "--quiet"));
        }
        finally
        {
            await LocalSilo.StopAsync();
            Environment.SetEnvironmentVariable("SWEEP_HOME", _home.FullName);
        }

        var lines = await File.ReadAllLinesAsync(Path.Combine(output, "results.csv"));
        var header = lines[0].Split(',').ToList();
        Assert.Equal("stop_reason", header[^1]);
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var column = (string name) => cells[header.IndexOf(name)];
            var reason = line.EndsWith('"') ? line[(line.LastIndexOf(",\"", StringComparison.Ordinal) + 2)..^1] : "";
            return new ResultRow(column("variant"), column("status"), int.Parse(column("epochs"), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(column("final_loss"), System.Globalization.CultureInfo.InvariantCulture), reason);
        }).ToList();
    }

    /// <summary>What a user reads off results.csv: the configuration with the lowest mean final loss over its completed trials.</summary>
    private static string BestConfiguration(IEnumerable<ResultRow> rows) =>
        rows.Where(r => r.Status == "completed").GroupBy(r => r.Variant).MinBy(g => g.Average(r => r.FinalLoss))!.Key;

    private sealed record ResultRow(string Variant, string Status, int Epochs, double FinalLoss, string StopReason);

    private static async Task<IReadOnlyList<string>> ListSweepsAsync()
    {
        var port = await LocalSilo.FindAsync() ?? throw new InvalidOperationException("no local silo");
        await using var connection = await SweepConnection.ConnectAsync(port, CancellationToken.None);
        var page = await connection.Grains.GetGrain<Abstractions.Sweeps.ISweepRegistryGrain>(0).ListAsync(0, 1000);
        return [.. page.Sweeps.Select(s => s.SweepId)];
    }

    private static Task<int> Invoke(params string[] args) =>
        new RootCommand { RunCommand.Create(), WatchCommand.Create(), ListCommand.Create(), CancelCommand.Create(), ResultsCommand.Create(), ReportCommand.Create(), ForgetCommand.Create() }
            .Parse(args).InvokeAsync();

    private static string Repository(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "SweepCluster.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine([directory.FullName, .. parts]);
    }
}
