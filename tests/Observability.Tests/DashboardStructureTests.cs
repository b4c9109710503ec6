using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SweepCluster.Observability.Tests;

/// <summary>
/// The dashboards' JSON model: what Grafana needs to load and lay them out, and the house rules (every query
/// through the <c>${datasource}</c> variable, counters rated over <c>$__rate_interval</c>).
/// </summary>
public sealed partial class DashboardStructureTests
{
    private const int GridWidth = 24;

    public static TheoryData<string> Dashboards => new(Dashboard.Files);

    [Fact]
    public void TheSweepOverviewAndClusterDashboardsAreShippedWithDistinctUids()
    {
        Assert.Equal(["cluster.json", "sweep-overview.json"], Dashboard.Files);
        var dashboards = Dashboard.Files.Select(Dashboard.Load).ToList();
        Assert.All(dashboards, d => Assert.False(string.IsNullOrWhiteSpace(d.Uid), $"{d} has no uid"));
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.Uid).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void TheDashboardHasATitleAModernSchemaAndUniquePanelIdsAndTitles(string file)
    {
        var dashboard = Dashboard.Load(file);

        Assert.False(string.IsNullOrWhiteSpace(Dashboard.String(dashboard.Json, "title")), $"{file} has no title");
        Assert.InRange(dashboard.Json["schemaVersion"]?.GetValue<int>() ?? 0, 39, 100);
        var ids = dashboard.TopLevel.Concat(dashboard.Panels).Distinct().Select(p => p["id"]?.GetValue<int>()).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var repeated = dashboard.Panels.GroupBy(Dashboard.Title).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"{file}: panel titles used twice: {string.Join(", ", repeated)}");
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void EveryPanelHasTheDatasourceVariableAGridPositionAndAtLeastOneQuery(string file)
    {
        var dashboard = Dashboard.Load(file);
        var failures = new List<string>();
        Assert.NotEmpty(dashboard.Panels);

        foreach (var row in dashboard.Rows)
        {
            failures.AddRange(GridProblems(row).Select(p => $"row \"{Dashboard.Title(row)}\": {p}"));
        }

        foreach (var panel in dashboard.Panels)
        {
            var title = $"panel \"{Dashboard.Title(panel)}\"";
            if (string.IsNullOrWhiteSpace(Dashboard.String(panel, "title")))
            {
                failures.Add($"{title}: no title");
            }

            if (DatasourceProblem(panel["datasource"]) is { } datasource)
            {
                failures.Add($"{title}: datasource {datasource}");
            }

            failures.AddRange(GridProblems(panel).Select(p => $"{title}: {p}"));
            var targets = Dashboard.Objects(panel["targets"]);
            if (targets.Count == 0)
            {
                failures.Add($"{title}: no targets");
            }

            foreach (var target in targets)
            {
                var refId = Dashboard.String(target, "refId");
                if (string.IsNullOrWhiteSpace(refId) || targets.Count(t => Dashboard.String(t, "refId") == refId) > 1)
                {
                    failures.Add($"{title}: refId '{refId}' missing or repeated");
                }

                if (string.IsNullOrWhiteSpace(Dashboard.String(target, "expr")))
                {
                    failures.Add($"{title} / {refId}: no expr");
                }

                if (DatasourceProblem(target["datasource"]) is { } problem)
                {
                    failures.Add($"{title} / {refId}: datasource {problem}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{file}:\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void PanelsDoNotOverlapEitherAtTheTopLevelOrInsideACollapsedRow(string file)
    {
        var dashboard = Dashboard.Load(file);
        var layouts = new List<IReadOnlyList<JsonObject>> { dashboard.TopLevel };
        layouts.AddRange(dashboard.Rows.Where(r => Dashboard.Flag(r, "collapsed")).Select(r => Dashboard.Objects(r["panels"])));

        foreach (var layout in layouts)
        {
            var boxes = layout.Select(p => (Title: Dashboard.Title(p), Box: Grid(p))).ToList();
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    var (a, b) = (boxes[i].Box, boxes[j].Box);
                    var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                    Assert.False(overlap, $"{file}: \"{boxes[i].Title}\" {a} overlaps \"{boxes[j].Title}\" {b}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void NoDatasourceUidIsHardCodedAnywhere(string file)
    {
        var dashboard = Dashboard.Load(file);
        var hardCoded = Descendants(dashboard.Json)
            .Select(node => node["datasource"])
            .Where(datasource => datasource is not null && !IsBuiltInAnnotations(datasource) && DatasourceProblem(datasource) is not null)
            .Select(datasource => datasource!.ToJsonString())
            .ToList();

        Assert.True(hardCoded.Count == 0, $"{file} names datasources other than {Dashboard.DatasourceVariable}: {string.Join(", ", hardCoded)}");
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void EveryQueryUsesOnlyItsDashboardsVariablesAndGrafanaMacros(string file)
    {
        var dashboard = Dashboard.Load(file);
        var variables = dashboard.Variables.ToDictionary(v => Dashboard.String(v, "name")!, _ => "value");

        Assert.All(dashboard.Queries, query => GrafanaTemplate.Interpolate(query.Expr, variables));
        Assert.All(dashboard.Variables.Where(v => Dashboard.String(v, "type") == "query"), variable =>
        {
            var query = LabelValuesQuery.Parse(Dashboard.VariableQuery(variable) ?? "");
            Assert.Equal(query.Label, LabelValuesQuery.Parse(Dashboard.String(variable, "definition") ?? "").Label);
            GrafanaTemplate.Interpolate(query.Match ?? "", variables);
            Assert.Null(DatasourceProblem(variable["datasource"]));
        });
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void CountersAreRatedOverTheRateIntervalNotAFixedWindow(string file)
    {
        var fixedWindows = Load(file).Queries
            .SelectMany(query => RangeSelector().Matches(query.Expr).Select(m => (query, Window: m.Groups["window"].Value)))
            .Where(q => q.Window != "$__rate_interval")
            .Select(q => $"{q.query} uses [{q.Window}]")
            .ToList();

        Assert.True(fixedWindows.Count == 0, string.Join("\n", fixedWindows));
    }

    [Fact]
    public void SweepOverviewHasDatasourceSweepAndSiloVariables()
    {
        var dashboard = Load("sweep-overview.json");

        AssertDatasourceVariable(dashboard);
        var sweep = dashboard.Variable("sweep");
        Assert.Equal("query", Dashboard.String(sweep, "type"));
        // The registry's series: every sweep the cluster knows, running or finished, until it is forgotten.
        Assert.Equal(new LabelValuesQuery("sweepcluster_sweep_leaderboard_trials", "sweep"), LabelValuesQuery.Parse(Dashboard.VariableQuery(sweep)!));
        var silo = dashboard.Variable("silo");
        Assert.Equal("query", Dashboard.String(silo, "type"));
        Assert.Equal(new LabelValuesQuery("sweepcluster_slots_total", "instance"), LabelValuesQuery.Parse(Dashboard.VariableQuery(silo)!));
        Assert.Contains(dashboard.Queries, q => q.Expr.Contains("sweep=\"$sweep\"", StringComparison.Ordinal));
        Assert.Contains(dashboard.Queries, q => q.Expr.Contains("instance=~\"$silo\"", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void EveryPanelSaysInASentenceWhyItMayShowNoDataInsteadOfGrafanasNoData(string file)
    {
        // Grafana shows fieldConfig.defaults.noValue in place of "No data" (PanelDataErrorView), and as a stat's value.
        var missing = Load(file).Panels
            .Select(panel => (Title: Dashboard.Title(panel), Text: Dashboard.String(panel["fieldConfig"]?["defaults"], "noValue")))
            .Where(p => p.Text is not { } text || !IsSentence(text) || text.Trim().Equals("No data", StringComparison.OrdinalIgnoreCase))
            .Select(p => $"\"{p.Title}\": noValue {(p.Text is null ? "missing" : $"'{p.Text}' is not a sentence saying why")}")
            .ToList();

        Assert.True(missing.Count == 0, $"{file}:\n{string.Join("\n", missing)}");
    }

    [Fact]
    public void OptionalFeaturePanelsNameTheFeatureTheyNeedWhenEmpty()
    {
        var panels = Load("sweep-overview.json").Panels.ToDictionary(Dashboard.Title, p => Dashboard.String(p["fieldConfig"]?["defaults"], "noValue") ?? "");

        Assert.Contains("early_stopping", panels["Trials stopped early over time"], StringComparison.Ordinal);
        Assert.Contains("stopping rule", panels["Trials stopped early, by rule"], StringComparison.Ordinal);
        Assert.Contains("checkpoint_every", panels["Checkpoint write p95"], StringComparison.Ordinal);
        Assert.Contains("No finished trial yet", panels["Best loss"], StringComparison.Ordinal);
        Assert.Contains("leaderboard", panels["Leaderboard (training trials, lowest loss first)"], StringComparison.Ordinal);
    }

    [Fact]
    public void TheConfigurationsLeaderboardReadsTheRegistrysSeriesOfTheSweepAndListsThemByRank()
    {
        var panel = Load("sweep-overview.json").Panels.Single(p => Dashboard.Title(p) == "Leaderboard (configurations, best by the sweep's metric first)");
        var targets = Dashboard.Objects(panel["targets"]);

        Assert.Equal("table", Dashboard.String(panel, "type"));
        Assert.Equal(
            ["sweepcluster_sweep_leaderboard_final_loss", "sweepcluster_sweep_leaderboard_best_loss", "sweepcluster_sweep_leaderboard_trials", "sweepcluster_sweep_leaderboard_final_metric"],
            targets.Select(t => Regex.Match(Dashboard.String(t, "expr")!, @"sweepcluster_\w+").Value));
        Assert.All(targets, t =>
        {
            Assert.Contains("sweep=\"$sweep\"", Dashboard.String(t, "expr"), StringComparison.Ordinal);
            Assert.Contains("by (rank, variant,", Dashboard.String(t, "expr"), StringComparison.Ordinal);
            Assert.True(Dashboard.Flag(t, "instant"), "a leaderboard query is not instant");
            Assert.Equal("table", Dashboard.String(t, "format"));
        });
        var transformations = Dashboard.Objects(panel["transformations"]);
        Assert.Equal(["merge", "convertFieldType", "organize", "sortBy"], transformations.Select(t => Dashboard.String(t, "id")));
        Assert.Equal("rank", Dashboard.String(transformations[^1]["options"]?["sort"]?[0], "field"));
    }

    [Fact]
    public void ClusterDashboardHasADatasourceVariableAndAMultiValueSiloVariableWithAll()
    {
        var dashboard = Load("cluster.json");

        AssertDatasourceVariable(dashboard);
        var silo = dashboard.Variable("silo");
        Assert.Equal("query", Dashboard.String(silo, "type"));
        Assert.Equal("instance", LabelValuesQuery.Parse(Dashboard.VariableQuery(silo)!).Label);
        Assert.True(Dashboard.Flag(silo, "multi"), "silo is not multi-value");
        Assert.True(Dashboard.Flag(silo, "includeAll"), "silo has no All option");
        Assert.All(dashboard.Queries, q => Assert.Contains("instance=~\"$silo\"", q.Expr, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void AMultiValueVariableIsOnlyMatchedAsARegex(string file)
    {
        // Grafana writes several values (or All) as a regex alternation, which an equality matcher never matches.
        var dashboard = Load(file);
        var multi = dashboard.Variables
            .Where(v => Dashboard.Flag(v, "multi") || Dashboard.Flag(v, "includeAll"))
            .Select(v => Dashboard.String(v, "name")!)
            .ToList();
        var equalities = dashboard.Queries
            .Where(query => multi.Any(name => Regex.IsMatch(query.Expr, $@"[^=!~]=\s*""\$\{{?{name}\b")))
            .Select(query => query.ToString())
            .ToList();

        Assert.True(equalities.Count == 0, $"multi-value variables ({string.Join(", ", multi)}) matched with = instead of =~:\n{string.Join("\n", equalities)}");
    }

    private static Dashboard Load(string file) => Dashboard.Load(file);

    /// <summary>A few words, capitalised, ending in a full stop.</summary>
    private static bool IsSentence(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4 && char.IsUpper(text[0]) && text.TrimEnd().EndsWith('.');

    private static void AssertDatasourceVariable(Dashboard dashboard)
    {
        var datasource = dashboard.Variable("datasource");
        Assert.Equal("datasource", Dashboard.String(datasource, "type"));
        Assert.Equal("prometheus", Dashboard.String(datasource, "query"));
    }

    /// <summary>Null when the node is <c>{ "type": "prometheus", "uid": "${datasource}" }</c>, else what is wrong with it.</summary>
    private static string? DatasourceProblem(JsonNode? datasource) =>
        datasource is JsonObject o && Dashboard.String(o, "uid") == Dashboard.DatasourceVariable && Dashboard.String(o, "type") == "prometheus"
            ? null
            : datasource?.ToJsonString() ?? "missing";

    /// <summary>Grafana's own annotation source, which every dashboard carries and which is not Prometheus.</summary>
    private static bool IsBuiltInAnnotations(JsonNode datasource) => Dashboard.String(datasource, "uid") == "-- Grafana --";

    private static IEnumerable<string> GridProblems(JsonObject panel)
    {
        if (panel["gridPos"] is not JsonObject grid)
        {
            yield return "no gridPos";
            yield break;
        }

        foreach (var key in (string[])["x", "y", "w", "h"])
        {
            if (grid[key] is not JsonValue value || !value.TryGetValue<int>(out _))
            {
                yield return $"gridPos.{key} is missing or not an integer";
            }
        }

        var (x, y, w, h) = Grid(panel);
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > GridWidth)
        {
            yield return $"gridPos {(x, y, w, h)} is outside the {GridWidth}-column grid";
        }
    }

    private static (int X, int Y, int W, int H) Grid(JsonObject panel)
    {
        int Get(string key) => panel["gridPos"]?[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : -1;
        return (Get("x"), Get("y"), Get("w"), Get("h"));
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) =>
        node switch
        {
            JsonObject o => [o, .. o.SelectMany(p => Descendants(p.Value))],
            JsonArray a => a.SelectMany(Descendants),
            _ => [],
        };

    /// <summary>A range selector, <c>metric{...}[window]</c> (a subquery's <c>[a:b]</c> too).</summary>
    [GeneratedRegex(@"(?<=[\w}\)])\[(?<window>[^\]]+)\]")]
    private static partial Regex RangeSelector();
}
