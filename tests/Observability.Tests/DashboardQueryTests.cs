using System.Diagnostics;
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
        // 60 short trials on 2 slots: trials end all along (best loss, trials ended) while others train
        // (per-trial series), checkpoints are written every 100 epochs, and ASHA stops trials at 100 and 300 epochs.
        var spec = SweepSpecParser.Parse("""
            name: dashboards
            task: cumsum
            parameters:
              direction: [forward, backward, bidirectional]
              merge_mode: [sum, concat]
              hidden: 20
            repeats: 15
            epochs: 2500
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
