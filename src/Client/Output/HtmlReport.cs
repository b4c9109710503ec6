using System.Globalization;
using System.Net;
using System.Text;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// report.html: one self-contained page (inline SVG drawn here, a few lines of inline script for sorting and
/// highlighting, no network loads) with the leaderboard, parameter importance, loss curves as small multiples, each
/// swept parameter against the objective and parallel coordinates. It draws from the same per-configuration
/// aggregates as loss.png, so its size grows with the configurations, not the trials: curves are downsampled to at
/// most <see cref="CurvePoints"/> points each.
/// </summary>
public sealed class HtmlReport(string name, ConfigurationScores scores, ConfigurationCurves curves, IReadOnlyList<ConfigurationRow> ranked)
{
    /// <summary>Points per drawn loss curve at most.</summary>
    public const int CurvePoints = 100;

    /// <summary>A parameter with more distinct values than this is drawn on a numeric axis, not as categories.</summary>
    private const int MaxCategories = 12;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly StringBuilder _html = new();

    public void Save(string path)
    {
        _html.Clear();
        var scored = ranked.Select((row, rank) => (Row: row, Rank: rank)).Where(r => r.Row.FinalOf(curves.Metric) is not null).ToList();
        var importance = ParameterImportance.Rank(
            scores.Swept, [.. scored.Select(r => (scores.Parameters(r.Row.Variant), r.Row.FinalOf(curves.Metric)!.Value))]);
        var axes = scores.Swept.ToDictionary(p => p, p => new ParameterAxis(ParameterLevels.Order(ranked.Select(r => Value(r.Variant, p)))));

        _html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{E(name)}: sweep report</title>
            <style>{Style}</style></head><body>
            <h1>{E(name)}</h1>
            <p>{ranked.Count} configurations, {ranked.Sum(r => r.Trials)} trials, {scored.Count} configurations with a {Final}.
            The objective is the <b>{Final}</b> ({E(Goal)}) as the CLI's leaderboard ranks it: {E(Leaderboard.ObjectiveOf(curves.Metric))}.
            The best {Math.Min(ConfigurationColors.Highlighted, scored.Count)} are in colour in every chart; hover a row or a line to follow a configuration.</p>

            """);
        Importance(importance);
        LeaderboardTable();
        Curves(importance, axes, scored);
        ParameterCharts(axes, scored);
        ParallelCoordinates(axes, scored);
        _html.Append(CultureInfo.InvariantCulture, $"<script>{Script}</script>\n</body></html>\n");
        File.WriteAllText(path, _html.ToString(), new UTF8Encoding(false));
    }

    private void Importance(IReadOnlyList<ParameterEffect> effects)
    {
        _html.Append("<h2>Parameter importance</h2>\n<p>The share of the " + Final + "'s variance over configurations that each parameter's main effect explains: ")
            .Append("Σ<sub>v</sub> n<sub>v</sub>(mean<sub>v</sub> − mean)² / Σ(y − mean)² over the parameter's values v (a first-order, fANOVA-style ")
            .Append(CultureInfo.InvariantCulture, $"decomposition). Numeric parameters with more than {ParameterImportance.Bins} values are cut into {ParameterImportance.Bins} equal-count bins first. ")
            .Append("On a full grid the shares plus the interactions' share sum to 100%; on other designs main effects overlap.</p>\n");
        const int Label = 170, Bar = 360, Row = 22;
        var svg = Svg("importance", Label + Bar + 70, Row * Math.Max(1, effects.Count) + 10);
        for (var i = 0; i < effects.Count; i++)
        {
            var y = 5 + i * Row;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{E(effects[i].Parameter)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Label}\" y=\"{y + 3}\" width=\"{F(Bar * effects[i].Share)}\" height=\"{Row - 6}\" fill=\"#4e79a7\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Label + Bar * effects[i].Share + 5)}\" y=\"{y + 15}\">{effects[i].Share:P1}</text>\n");
        }

        if (effects.Count == 0)
        {
            svg.Append("<text x=\"5\" y=\"20\">no swept parameters</text>");
        }

        _html.Append(svg).Append("</svg>\n");
    }

    private void LeaderboardTable()
    {
        _html.Append("<h2>Leaderboard</h2>\n<p>Click a column to sort by it.</p>\n<div class=\"board\"><table id=\"board\"><thead><tr><th>#</th><th>configuration</th>");
        foreach (var p in scores.Swept)
        {
            _html.Append(CultureInfo.InvariantCulture, $"<th>{E(p)}</th>");
        }

        _html.Append("<th>seeds</th><th>final loss</th><th>best loss</th>")
            .Append(curves.Metric.Name == MetricName.Loss ? "" : $"<th>{Final}</th><th>best {curves.Metric.SpecName}</th>")
            .Append("<th>test acc</th><th>status</th></tr></thead><tbody>\n");
        for (var i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            var swatch = r.FinalOf(curves.Metric) is null ? null : ConfigurationColors.OfRank(i);
            _html.Append(CultureInfo.InvariantCulture, $"<tr data-c=\"{i}\"><td data-v=\"{i + 1}\">")
                .Append(swatch is null ? "" : $"<i style=\"background:{swatch}\"></i>")
                .Append(CultureInfo.InvariantCulture, $"{i + 1}</td><td>{E(r.Variant)}</td>");
            foreach (var p in scores.Swept)
            {
                var value = Value(r.Variant, p);
                var number = ParameterLevels.Number(value);
                _html.Append(number is null ? $"<td>{E(value)}</td>" : string.Create(Inv, $"<td data-v=\"{number}\">{E(value)}</td>"));
            }

            _html.Append(CultureInfo.InvariantCulture, $"<td data-v=\"{r.Trials}\">{r.Trials}</td>")
                .Append(Cell(r.FinalLoss, "F4")).Append(Cell(r.BestLoss, "F4"))
                .Append(curves.Metric.Name == MetricName.Loss ? "" : Cell(r.FinalMetric, "F4") + Cell(r.BestMetric, "F4")).Append(Cell(r.TestAccuracy, "P1"))
                .Append("<td>").Append(E(string.Join(", ", r.Statuses.Where(s => s.Value > 0).OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key.Name()}"))))
                .Append("</td></tr>\n");
        }

        _html.Append("</tbody></table></div>\n");
    }

    /// <summary>Small multiples: a panel per value pair of the two most important parameters that have few values.</summary>
    private void Curves(IReadOnlyList<ParameterEffect> importance, Dictionary<string, ParameterAxis> axes, List<(ConfigurationRow Row, int Rank)> scored)
    {
        var facets = importance.Select(e => e.Parameter).Where(p => axes[p].Categorical).Take(2).ToList();
        // Two facet parameters: one per row, one per column; one: a panel per value, wrapping after 6.
        var rowParameter = facets.Count > 1 ? facets[0] : null;
        var columnParameter = facets.Count > 1 ? facets[1] : facets.FirstOrDefault();
        var rowsBy = rowParameter is null ? [""] : axes[rowParameter].Levels;
        var columnsBy = columnParameter is null ? [""] : axes[columnParameter].Levels;
        // Only value pairs some configuration has: a conditional parameter (merge_mode, for bidirectional trials only)
        // would leave most of a full grid empty, and then the panels wrap as a list of pairs instead.
        var panels = (from row in rowsBy from column in columnsBy select (Row: row, Column: column))
            .Where(pair => ranked.Any(r =>
                (rowParameter is null || Value(r.Variant, rowParameter) == pair.Row) && (columnParameter is null || Value(r.Variant, columnParameter) == pair.Column)))
            .ToList();
        var fullGrid = panels.Count == rowsBy.Count * columnsBy.Count;
        var gridColumns = rowParameter is not null && fullGrid ? columnsBy.Count : Math.Clamp(panels.Count, 1, 6);
        var rankOf = scored.ToDictionary(s => s.Row.Variant, s => s.Rank);
        var lines = ranked.Select((r, i) => (Variant: r.Variant, Rank: i, Band: curves.Band(r.Variant)))
            .Where(l => l.Band is { Curves: > 0 })
            .Select(l => (l.Variant, l.Rank, Points: Downsample(l.Band!.Mean(), curves.FirstEpoch), Color: rankOf.ContainsKey(l.Variant) ? ConfigurationColors.OfRank(l.Rank) : null))
            .ToList();
        var longest = lines.Select(l => l.Points.Max(p => p.Epoch)).DefaultIfEmpty(1).Max();
        // The loss axis ends at the 98th percentile of the drawn points: the first epochs' spikes would flatten the rest.
        var drawnLosses = lines.SelectMany(l => l.Points.Select(p => p.Loss)).Where(double.IsFinite).Order().ToList();
        var (low, high) = Range(drawnLosses.Take(1 + (int)(0.98 * (drawnLosses.Count - 1))));
        var facetText = facets.Count == 0 ? "" : $", one panel per value of {string.Join(" × ", facets.Select(E))} (the most important parameters with few values)";
        _html.Append(CultureInfo.InvariantCulture, $"""
            <h2>{Capital(curves.Label)} curves</h2>
            <p>Mean over seeds of each configuration's {curves.Label} per epoch ({(curves.Window > 1 ? $"moving average of {curves.Window} epochs" : "unsmoothed")}, at most {CurvePoints} points drawn){facetText}.
            Coloured: the best by {Final}; grey: the rest. All panels share their axes: epochs {curves.FirstEpoch}-{longest}, {curves.Label} {low:G4}-{high:G4} (the 98th percentile of the points drawn; higher points are cut off).</p>
            <div class="facets" style="grid-template-columns:repeat({gridColumns},auto)">

            """);
        // Panels narrow as the columns grow, so a row of them fits a ~1,300-pixel window.
        var w = Math.Clamp(1250 / gridColumns, 170, 300);
        var h = w * 2 / 3;
        const int L = 44, B = 20, T = 20, R = 8;
        var panel = 0;
        foreach (var (row, column) in panels)
        {
            var title = string.Join(" · ", new[] { (rowParameter, row), (columnParameter, column) }
                .Where(f => f.Item1 is not null).Select(f => $"{f.Item1}={Shown(f.Item2)}"));
            var svg = Svg("curves", w, h);
            var clip = string.Create(Inv, $"p{panel++}");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"13\" class=\"t\">{E(title == "" ? "all configurations" : title)}</text>")
                .Append(Frame(L, T, w - R, h - B))
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{L - 3}\" y=\"{T + 8}\" text-anchor=\"end\">{high:G3}</text><text x=\"{L - 3}\" y=\"{h - B}\" text-anchor=\"end\">{low:G3}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"{h - 6}\">1</text><text x=\"{w - R}\" y=\"{h - 6}\" text-anchor=\"end\">{longest}</text>\n")
                .Append(CultureInfo.InvariantCulture, $"<clipPath id=\"{clip}\">{Frame(L, T, w - R, h - B)}</clipPath><g clip-path=\"url(#{clip})\">");
            var inPanel = lines.Where(l =>
                (rowParameter is null || Value(l.Variant, rowParameter) == row) && (columnParameter is null || Value(l.Variant, columnParameter) == column));
            foreach (var line in inPanel.OrderBy(l => l.Color is null ? 0 : 1).ThenByDescending(l => l.Rank))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path data-c=\"{line.Rank}\" class=\"{(line.Color is null ? "f" : "c")}\" stroke=\"{line.Color ?? ConfigurationColors.Faded}\" d=\"");
                for (var i = 0; i < line.Points.Count; i++)
                {
                    var x = L + (w - R - L) * (longest > 1 ? (line.Points[i].Epoch - 1.0) / (longest - 1) : 0.5);
                    var y = Y(line.Points[i].Loss, low, high, T, h - B, clamp: false);
                    svg.Append(i == 0 ? 'M' : 'L').Append(F(x)).Append(' ').Append(F(y));
                }

                svg.Append("\"><title>").Append(E($"#{line.Rank + 1} {line.Variant}")).Append("</title></path>\n");
            }

            _html.Append(svg).Append("</g></svg>\n");
        }

        _html.Append("</div>\n");
    }

    private void ParameterCharts(Dictionary<string, ParameterAxis> axes, List<(ConfigurationRow Row, int Rank)> scored)
    {
        _html.Append("<h2>Each parameter against the " + Final + "</h2>\n<p>A dot per configuration (spread sideways within a value); a black tick marks the mean per value.</p>\n<div class=\"facets\" style=\"grid-template-columns:repeat(3,auto)\">\n");
        var (low, high) = Range(scored.Select(s => s.Row.FinalOf(curves.Metric)!.Value));
        const int W = 320, H = 220, L = 50, B = 36, T = 20, R = 10;
        foreach (var p in scores.Swept)
        {
            var axis = axes[p];
            var svg = Svg("parameter", W, H);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{L}\" y=\"13\" class=\"t\">{E(p)}</text>").Append(Frame(L, T, W - R, H - B))
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{L - 3}\" y=\"{T + 8}\" text-anchor=\"end\">{high:G3}</text><text x=\"{L - 3}\" y=\"{H - B}\" text-anchor=\"end\">{low:G3}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{(T + H - B) / 2}\" transform=\"rotate(-90 12 {(T + H - B) / 2})\" text-anchor=\"middle\">{Final}</text>\n");
            foreach (var (tick, label) in axis.Ticks())
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(L + (W - R - L) * tick)}\" y=\"{H - B + 14}\" text-anchor=\"middle\">{E(label)}</text>");
            }

            if (axis.Categorical)
            {
                foreach (var level in scored.GroupBy(s => Value(s.Row.Variant, p)))
                {
                    var x = L + (W - R - L) * axis.Position(level.Key);
                    var y = Y(level.Average(s => s.Row.FinalOf(curves.Metric)!.Value), low, high, T, H - B);
                    svg.Append(CultureInfo.InvariantCulture, $"<path class=\"m\" d=\"M{F(x - 12)} {F(y)}H{F(x + 12)}\"/>");
                }
            }

            var spread = axis.Categorical ? 0.5 / axis.Levels.Count : 0;
            foreach (var (row, rank) in scored.OrderByDescending(s => s.Rank))
            {
                var jitter = (rank * 0.618034 % 1 - 0.5) * spread;
                var x = L + (W - R - L) * (axis.Position(Value(row.Variant, p)) + jitter);
                var color = ConfigurationColors.OfRank(rank);
                svg.Append(CultureInfo.InvariantCulture, $"<circle data-c=\"{rank}\" cx=\"{F(x)}\" cy=\"{F(Y(row.FinalOf(curves.Metric)!.Value, low, high, T, H - B))}\" r=\"{(color is null ? 2.5 : 4)}\" fill=\"{color ?? "#999"}\"><title>{E(string.Create(Inv, $"#{rank + 1} {row.Variant}: {row.FinalOf(curves.Metric):F4}"))}</title></circle>");
            }

            _html.Append(svg).Append("\n</svg>\n");
        }

        _html.Append("</div>\n");
    }

    private void ParallelCoordinates(Dictionary<string, ParameterAxis> axes, List<(ConfigurationRow Row, int Rank)> scored)
    {
        _html.Append("<h2>Parallel coordinates</h2>\n<p>One line per configuration through its value of every swept parameter and its " + Final + " (best at the top).</p>\n");
        var (low, high) = Range(scored.Select(s => s.Row.FinalOf(curves.Metric)!.Value));
        var (best, worst) = curves.Metric.Goal == MetricGoal.Maximize ? (high, low) : (low, high); // the best at the top
        var columns = scores.Swept.Count + 1;
        const int H = 340, T = 36, B = 20, L = 80;
        var gap = Math.Clamp(1100 / Math.Max(1, columns - 1), 120, 260);
        var w = L * 2 + gap * (columns - 1);
        var svg = Svg("parallel", w, H);
        var labels = new StringBuilder(); // drawn after the lines, over them
        double X(int column) => L + gap * column;
        for (var j = 0; j < columns; j++)
        {
            var title = j < scores.Swept.Count ? scores.Swept[j] : Final;
            labels.Append(CultureInfo.InvariantCulture, $"<path class=\"a\" d=\"M{F(X(j))} {T}V{H - B}\"/><text x=\"{F(X(j))}\" y=\"{T - 16}\" text-anchor=\"middle\" class=\"t\">{E(title)}</text>");
            var ticks = j < scores.Swept.Count
                ? axes[scores.Swept[j]].Ticks().Select(t => (Y: T + (H - B - T) * t.Position, t.Label))
                : [(T, best.ToString("G4", Inv)), (H - B, worst.ToString("G4", Inv))];
            foreach (var (y, label) in ticks)
            {
                labels.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(j) + (j < scores.Swept.Count ? -5 : 5))}\" y=\"{F(y + 4)}\" text-anchor=\"{(j < scores.Swept.Count ? "end" : "start")}\" class=\"k\">{E(label)}</text>");
            }

            labels.Append('\n');
        }

        foreach (var (row, rank) in scored.OrderByDescending(s => ConfigurationColors.OfRank(s.Rank) is null ? int.MaxValue : s.Rank))
        {
            var color = ConfigurationColors.OfRank(rank);
            svg.Append(CultureInfo.InvariantCulture, $"<path data-c=\"{rank}\" class=\"{(color is null ? "f" : "c")}\" stroke=\"{color ?? ConfigurationColors.Faded}\" d=\"");
            for (var j = 0; j < scores.Swept.Count; j++)
            {
                svg.Append(j == 0 ? 'M' : 'L').Append(F(X(j))).Append(' ').Append(F(T + (H - B - T) * axes[scores.Swept[j]].Position(Value(row.Variant, scores.Swept[j]))));
            }

            svg.Append(scores.Swept.Count == 0 ? 'M' : 'L').Append(F(X(columns - 1))).Append(' ').Append(F(Y(row.FinalOf(curves.Metric)!.Value, worst, best, T, H - B)))
                .Append("\"><title>").Append(E(string.Create(Inv, $"#{rank + 1} {row.Variant}: {row.FinalOf(curves.Metric):F4}"))).Append("</title></path>\n");
        }

        _html.Append(svg).Append(labels).Append("</svg>\n");
    }

    /// <summary>The objective as the report names it: <c>final loss</c> by default, else e.g. <c>final val_acc</c>.</summary>
    private string Final => curves.Metric.Name == MetricName.Loss ? "final loss" : "final " + curves.Metric.SpecName;

    private string Goal => curves.Metric.Goal == MetricGoal.Maximize ? "higher is better" : "lower is better";

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private string Value(string variant, string parameter) => scores.Parameters(variant).GetValueOrDefault(parameter, "");

    /// <summary>At most <see cref="CurvePoints"/> evenly spaced epochs of a curve, the first and last among them.</summary>
    private static List<(int Epoch, double Loss)> Downsample(double[] curve, int firstEpoch)
    {
        if (curve.Length <= CurvePoints)
        {
            return [.. curve.Select((loss, i) => (i + firstEpoch, loss))];
        }

        return [.. Enumerable.Range(0, CurvePoints).Select(k => (int)Math.Round(k * (curve.Length - 1.0) / (CurvePoints - 1))).Distinct().Select(i => (i + firstEpoch, curve[i]))];
    }

    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return (0, 1);
        }

        var (low, high) = (finite.Min(), finite.Max());
        return high > low ? (low, high) : (low - 0.5, high + 0.5);
    }

    /// <summary>The pixel row of <paramref name="value"/>: <paramref name="low"/> at the bottom, <paramref name="high"/> at the top.</summary>
    private static double Y(double value, double low, double high, double top, double bottom, bool clamp = true)
    {
        var share = (value - low) / (high - low);
        return bottom - (bottom - top) * (clamp ? Math.Clamp(share, -0.02, 1.02) : Math.Clamp(share, -1, 2));
    }

    private static StringBuilder Svg(string kind, int width, int height) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"{kind}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");

    private static string Frame(int left, int top, int right, int bottom) =>
        string.Create(Inv, $"<rect class=\"frame\" x=\"{left}\" y=\"{top}\" width=\"{right - left}\" height=\"{bottom - top}\"/>");

    private static string Cell(double? value, string format) =>
        value is null ? "<td data-v=\"\">-</td>" : string.Create(Inv, $"<td data-v=\"{value:R}\">{value.Value.ToString(format, Inv)}</td>");

    private static string F(double value) => value.ToString("0.#", Inv);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font:14px system-ui,sans-serif;margin:20px;color:#222}h2{margin-top:28px}p{max-width:1000px}
        .board{max-height:480px;overflow:auto;display:inline-block;border:1px solid #ddd}table{border-collapse:collapse;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}
        th{cursor:pointer;background:#f3f3f3;position:sticky;top:0}th[data-dir=asc]::after{content:" ▲"}th[data-dir=desc]::after{content:" ▼"}
        td i{display:inline-block;width:10px;height:10px;margin-right:5px}tr.hl{background:#fff3bf}
        .facets{display:grid;gap:6px;justify-content:start}svg{font-size:11px;overflow:visible}svg .t{font-weight:bold}svg.curves .t{font-size:10px}
        .frame{fill:none;stroke:#bbb}.k{paint-order:stroke;stroke:#fff;stroke-width:3px}.a{stroke:#888}.m{stroke:#000;stroke-width:2}
        path.f,path.c{fill:none;stroke-width:1}path.c{stroke-width:2}path.hl{stroke:#000;stroke-width:3}circle.hl{stroke:#000;stroke-width:2}
        """;

    private const string Script = """
        for (const th of document.querySelectorAll('#board th')) th.onclick = () => {
          const i = th.cellIndex, body = document.querySelector('#board tbody'), asc = th.dataset.dir !== 'asc';
          for (const h of th.parentNode.children) delete h.dataset.dir;
          th.dataset.dir = asc ? 'asc' : 'desc';
          const key = r => { const c = r.cells[i]; return c.dataset.v === undefined ? c.textContent : c.dataset.v === '' ? null : +c.dataset.v; };
          const rows = [...body.rows].sort((a, b) => {
            const x = key(a), y = key(b);
            if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
            return (typeof x === 'number' ? x - y : x.localeCompare(y)) * (asc ? 1 : -1);
          });
          for (const r of rows) body.appendChild(r);
        };
        let lit = null;
        document.addEventListener('mouseover', e => {
          const hit = e.target.closest('[data-c]'), c = hit ? hit.dataset.c : null;
          if (c === lit) return;
          for (const x of document.querySelectorAll('.hl')) x.classList.remove('hl');
          lit = c;
          if (c !== null) for (const x of document.querySelectorAll('[data-c="' + c + '"]')) x.classList.add('hl');
        });
        """;

    /// <summary>A parameter's value as charts label it: a parameter that does not apply (merge_mode of a one-way trial) has none.</summary>
    private static string Shown(string value) => value.Length == 0 ? "n/a" : value;

    /// <summary>Where a parameter's values sit along a chart axis (0-1): evenly spaced categories, or a numeric scale (log when they span 100x).</summary>
    private sealed class ParameterAxis(IReadOnlyList<string> levels)
    {
        private readonly double[] _numbers = [.. levels.Select(l => ParameterLevels.Number(l) ?? double.NaN)];

        public IReadOnlyList<string> Levels => levels;

        public bool Categorical => levels.Count <= MaxCategories || _numbers.Any(double.IsNaN);

        private bool Log => _numbers.Min() > 0 && _numbers.Max() >= 100 * _numbers.Min();

        public double Position(string value)
        {
            if (Categorical)
            {
                var index = levels.Count == 0 ? 0 : Math.Max(0, IndexOf(value));
                return (index + 0.5) / Math.Max(1, levels.Count);
            }

            double Scale(double x) => Log ? Math.Log(x) : x;
            var (low, high) = (Scale(_numbers.Min()), Scale(_numbers.Max()));
            return 0.05 + 0.9 * (Scale(ParameterLevels.Number(value) ?? _numbers.Min()) - low) / (high - low);
        }

        public IEnumerable<(double Position, string Label)> Ticks() =>
            Categorical
                ? levels.Select(l => (Position(l), Shown(l)))
                : [(Position(levels[0]), levels[0]), (Position(levels[^1]), levels[^1])];

        private int IndexOf(string value)
        {
            for (var i = 0; i < levels.Count; i++)
            {
                if (levels[i] == value)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
