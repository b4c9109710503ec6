using System.Diagnostics;
using System.Globalization;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;
using Xunit.Abstractions;

namespace SweepCluster.Observability.Tests;

/// <summary>
/// Grafana does not run here, so the dashboards are proven the way Grafana would use them: two silos train a
/// sweep, a real Prometheus scrapes them with the shipped configuration, and every template variable's query
/// and every panel's query, with the variables set to real values, must return data.
/// </summary>
[Collection(PrometheusCollection.Name)]
public sealed class DashboardQueryTests(ITestOutputHelper output)
{
    /// <summary>How long a query may take to show data: series of trials come and go as trials start and end.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryVariableAndPanelQueryReturnsDataWhilePrometheusScrapesASweepOnTwoSilos()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(silos: 2, slotsPerSilo: 1);
        await using var connection = await cluster.ConnectAsync();
        // 60 trials on 2 slots: trials end all along (best loss, trials ended) while others train (per-trial series),
        // checkpoints are written every 100 epochs, and ASHA stops most trials at 100, 300 and 900 epochs.
        // Packs of 5 and long survivors, so trials still train when the first complete and while the queries run: with
        // packs of 15 and 2,500 epochs a silo with optimised JIT ended every pack before a poll saw both, and with the
        // packed kernel 20,000 epochs took a pack ~1.5 s.
        var spec = SweepSpecParser.Parse("""
            name: dashboards
            task: cumsum
            parameters:
              direction: [forward, backward, bidirectional]
              merge_mode: [sum, concat]
              hidden: 20
            repeats: 15
            pack_size: 5
            epochs: 150000
            checkpoint_every: 100
            early_stopping: { rule: asha, min_epochs: 100, eta: 3 }
            """);
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Silos.Select(s => s.MetricsPort));
        await prometheus.WaitForTargetsUpAsync(cluster.Silos.Count, TimeSpan.FromSeconds(30));
        await cluster.WaitForAsync(sweep, p => p.Count(TrialStatus.Completed) > 0 && p.Count(TrialStatus.Running) > 0, TimeSpan.FromSeconds(90));
        await prometheus.WaitForScrapesAsync(PrometheusConfig.Job, scrapes: 5, TimeSpan.FromSeconds(30));
        output.WriteLine($"cluster, sweep and Prometheus ready after {clock.Elapsed.TotalSeconds:F1} s");

        var known = new Dictionary<string, IReadOnlyList<string>>
        {
            ["sweep"] = [spec.SweepId],
            ["silo"] = cluster.Silos.Select(s => $"127.0.0.1:{s.MetricsPort}").ToList(),
            ["job"] = [PrometheusConfig.Job],
        };
        var failures = new List<string>();
        var queries = new List<(DashboardQuery Query, string Expr)>();
        foreach (var dashboard in Dashboard.Files.Select(Dashboard.Load))
        {
            var values = await ResolveVariablesAsync(prometheus, dashboard, known, failures);
            queries.AddRange(dashboard.Queries.Select(q => (q, GrafanaTemplate.Interpolate(q.Expr, values))));
        }

        failures.AddRange(await QueriesWithoutDataAsync(prometheus, queries));
        output.WriteLine($"{queries.Count} panel queries checked after {clock.Elapsed.TotalSeconds:F1} s");
        await sweep.CancelAsync();

        Assert.True(failures.Count == 0,
            $"{failures.Count} dashboard queries (variables and panels) returned no data:\n{string.Join("\n", failures)}\n\n{prometheus.Log()}");
    }

    [Fact]
    public async Task AFinishedSweepsLeaderboardStaysOnTheDashboardFromOneSiloAfterItsGrainIsCollectedUntilItIsForgotten()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, slotsPerSilo: 2);
        await using var connection = await cluster.ConnectAsync();
        // 3 configurations (forward, bidirectional sum and concat) of 2 seeds each, short enough to finish at once.
        var spec = SweepSpecParser.Parse("""
            name: finished-leaderboard
            task: cumsum
            parameters:
              direction: [forward, bidirectional]
              merge_mode: [sum, concat]
              hidden: 8
            repeats: 2
            epochs: 30
            """);
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Silos.Select(s => s.MetricsPort));
        await prometheus.WaitForTargetsUpAsync(cluster.Silos.Count, TimeSpan.FromSeconds(30));
        await cluster.WaitForFinishAsync(sweep, TimeSpan.FromSeconds(120));
        var leaders = (await sweep.GetOverviewAsync(top: 20))!.Leaders;
        Assert.Equal(3, leaders.Count);

        // Every idle grain goes (the sweep's and its trials'), and with the sweep's grain its own series.
        await connection.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var selector = $"{{sweep=\"{spec.SweepId}\"}}";
        await WaitUntilAsync(async () => (await prometheus.SeriesAsync("sweepcluster_sweep_trials" + selector)).Count == 0, "the sweep grain's series went", prometheus, cluster);
        var exporter = await AssertLeaderboardAsync(prometheus, selector, leaders, cluster);

        // The dashboard finds the sweep and its leaderboard panel shows it.
        Assert.Contains(spec.SweepId, await prometheus.LabelValuesAsync("sweep", "sweepcluster_sweep_leaderboard_trials"));
        var values = new Dictionary<string, string> { ["sweep"] = spec.SweepId, ["silo"] = ".*", ["datasource"] = "prometheus" };
        var panel = Dashboard.Load("sweep-overview.json").Queries.Where(q => q.Panel == "Leaderboard (configurations, best by the sweep's metric first)").ToList();
        Assert.Equal(4, panel.Count);
        foreach (var query in panel)
        {
            Assert.Equal(3, (await prometheus.SeriesAsync(GrafanaTemplate.Interpolate(query.Expr, values))).Count);
        }

        // Its silo stops: the next call to the registry (sweep list) brings the leaderboard back on the other one.
        var stopped = cluster.Silos.Single(s => $"127.0.0.1:{s.MetricsPort}" == exporter);
        await stopped.TerminateAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(
            async () =>
            {
                await connection.Grains.GetGrain<ISweepRegistryGrain>(0).ListAsync(0, 10).WaitAsync(TimeSpan.FromSeconds(10));
                return (await prometheus.SeriesAsync("sweepcluster_sweep_leaderboard_final_loss" + selector)).Any(s => s.Label("instance") != exporter);
            },
            "the leaderboard came back on the surviving silo", prometheus, cluster);
        Assert.NotEqual(exporter, await AssertLeaderboardAsync(prometheus, selector, leaders, cluster));

        Assert.True(await sweep.ForgetAsync());
        await WaitUntilAsync(
            async () => (await prometheus.SeriesAsync($"{{__name__=~\"sweepcluster_sweep_leaderboard_.*\", sweep=\"{spec.SweepId}\"}}")).Count == 0,
            "the leaderboard went with the forgotten sweep", prometheus, cluster);
    }

    /// <summary>
    /// The leaderboard's series of the sweep, from one silo only (returned), one per configuration, labelled by rank in the
    /// sweep's own order with its variant and swept parameters, its values those of the sweep's own leaderboard.
    /// </summary>
    private static async Task<string> AssertLeaderboardAsync(PrometheusServer prometheus, string selector, IReadOnlyList<ConfigurationRow> leaders, LocalCluster cluster)
    {
        var series = new Dictionary<string, IReadOnlyList<PrometheusSample>>();
        await WaitUntilAsync(
            async () =>
            {
                foreach (var name in (string[])["final_loss", "best_loss", "trials"])
                {
                    series[name] = (await prometheus.SeriesAsync($"sweepcluster_sweep_leaderboard_{name}{selector}")).OrderBy(s => int.Parse(s.Label("rank"), CultureInfo.InvariantCulture)).ToList();
                }

                // A silo that stopped exporting (its registry moved) keeps its last samples until its next scrape marks them
                // stale: two exporters at once for a scrape interval is that, not a second registry; more would time out.
                return series.Values.All(s => s.Count >= leaders.Count) &&
                    series.Values.SelectMany(s => s).Select(s => s.Label("instance")).Distinct().Count() == 1;
            },
            "the leaderboard's series were scraped from one silo", prometheus, cluster);

        var instances = series.Values.SelectMany(s => s).Select(s => s.Label("instance")).Distinct().ToList();
        Assert.True(instances.Count == 1, $"exported by {string.Join(", ", instances)}, not one silo");
        Assert.Equal(
            leaders.Select((row, i) => ((i + 1).ToString(CultureInfo.InvariantCulture), row.Variant, row.Parameters!["direction"], row.Parameters["merge_mode"])),
            series["final_loss"].Select(s => (s.Label("rank"), s.Label("variant"), s.Label("direction"), s.Label("merge_mode"))));
        Assert.Equal(leaders.Select(r => r.FinalLoss!.Value), series["final_loss"].Select(s => s.Value), new Tolerance(1e-12));
        Assert.Equal(leaders.Select(r => r.BestLoss!.Value), series["best_loss"].Select(s => s.Value), new Tolerance(1e-12));
        Assert.Equal(leaders.Select(r => (double)r.Trials), series["trials"].Select(s => s.Value));
        return instances[0];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, PrometheusServer prometheus, LocalCluster cluster)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // a silo is leaving the cluster; ask again
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {Patience.TotalSeconds:F0} s: {what}\n{prometheus.Log()}\n{cluster.Logs()}");
            }

            await Task.Delay(250);
        }
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double value) => 0;
    }

    /// <summary>
    /// Runs each variable's <c>label_values</c> query as Grafana does and picks the value a user would: the
    /// sweep that runs, a silo of the cluster. A variable whose query finds nothing, or not the value the
    /// cluster has, is a failure. Returns what each variable stands for in a query.
    /// </summary>
    private static async Task<Dictionary<string, string>> ResolveVariablesAsync(
        PrometheusServer prometheus, Dashboard dashboard, IReadOnlyDictionary<string, IReadOnlyList<string>> known, List<string> failures)
    {
        var values = new Dictionary<string, string>();
        foreach (var variable in dashboard.Variables)
        {
            var name = Dashboard.String(variable, "name")!;
            var type = Dashboard.String(variable, "type");
            if (type == "datasource")
            {
                values[name] = "prometheus";
                continue;
            }

            if (type != "query")
            {
                failures.Add($"{dashboard} / variable {name}: type {type}, which this test does not know how to resolve");
                continue;
            }

            var query = LabelValuesQuery.Parse(Dashboard.VariableQuery(variable)!);
            var match = query.Match is null ? null : GrafanaTemplate.Interpolate(query.Match, values);
            var found = await prometheus.LabelValuesAsync(query.Label, match);
            var expected = known.GetValueOrDefault(name) ?? [];
            var missing = expected.Except(found).ToList();
            if (found.Count == 0 || missing.Count > 0)
            {
                failures.Add($"{dashboard} / variable {name}: {Dashboard.VariableQuery(variable)} found [{string.Join(", ", found)}], missing [{string.Join(", ", missing)}]");
            }

            var regex = Dashboard.Flag(variable, "multi") || Dashboard.Flag(variable, "includeAll");
            values[name] = GrafanaTemplate.Escape(expected.FirstOrDefault() ?? found.FirstOrDefault() ?? "", regex);
        }

        return values;
    }

    /// <summary>
    /// Asks Prometheus every query until each has returned data once; the ones that have not within
    /// <see cref="Patience"/> (or that Prometheus rejects) are the failures, named by dashboard, panel and query.
    /// </summary>
    private async Task<List<string>> QueriesWithoutDataAsync(PrometheusServer prometheus, List<(DashboardQuery Query, string Expr)> queries)
    {
        var pending = queries;
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var results = await Task.WhenAll(pending.Select(p => prometheus.QueryAsync(p.Expr)));
            var empty = pending.Zip(results).Where(p => !p.Second.HasData).ToList();
            output.WriteLine($"{pending.Count - empty.Count} of {pending.Count} queries returned data");
            if (empty.Count == 0 || empty.Any(p => p.Second.Error is not null) || DateTime.UtcNow > deadline)
            {
                return empty.Select(p => $"{p.First.Query}\n    sent {p.First.Expr}\n    got {p.Second}").ToList();
            }

            pending = empty.Select(p => p.First).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
