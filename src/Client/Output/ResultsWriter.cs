using System.Globalization;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// Writes a sweep's results directory: results.csv (one row per trial), curves.csv (one row per trial and epoch),
/// loss.png (the tutorial's plot), report.html (the charts, offline) and spec.yaml (the resolved spec). Rows go to the
/// files a page at a time as they arrive, so the client holds one page of curves whatever the sweep's size; loss.png
/// and report.html draw from the same per-configuration aggregates gathered on the way.
/// </summary>
public static class ResultsWriter
{
    /// <summary>The report's file name in a results directory.</summary>
    public const string ReportFile = "report.html";

    /// <summary>Curve points per page: 1,000 trials of 250 epochs.</summary>
    private const int EpochsPerPage = 250_000;

    /// <summary><c>runs/&lt;name&gt;-&lt;local time&gt;</c>, where results go unless <c>--out</c> says otherwise.</summary>
    public static string DefaultDirectory(string name) =>
        Path.Combine("runs", $"{name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    /// <summary>Writes the directory and tells the user where it and its report are.</summary>
    public static async Task WriteAndReportAsync(string directory, ISweepGrain sweep, string name, CancellationToken cancellationToken = default)
    {
        await WriteAsync(directory, sweep, name, cancellationToken: cancellationToken);
        Spectre.Console.AnsiConsole.MarkupLine("results: {0}", Spectre.Console.Markup.Escape(Path.GetFullPath(directory)));
        Spectre.Console.AnsiConsole.MarkupLine("report:  {0}", Spectre.Console.Markup.Escape(Path.GetFullPath(Path.Combine(directory, ReportFile))));
    }

    /// <summary><paramref name="name"/> titles the plot. <paramref name="pageSize"/>: trials per call.</summary>
    public static async Task WriteAsync(
        string directory, ISweepGrain sweep, string name, int pageSize = SweepPaging.DefaultPageSize, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var specYaml = sweep.GetSpecYamlAsync();
        var overview = sweep.GetOverviewAsync(top: 0);
        await File.WriteAllTextAsync(Path.Combine(directory, "spec.yaml"), await specYaml ?? "", cancellationToken);
        var metric = (await overview)?.Metric ?? SweepMetric.Default;

        // A first pass over the (small) trial summaries: results.csv's header needs every swept parameter, and the
        // curves' smoothing window and per-configuration grouping must be known before the curves stream by.
        var swept = new List<string>();
        var curves = new ConfigurationCurves(metric);
        var longest = 1; // epochs a curve may have when read: a trial still training may add epochs until then
        var validates = false; // curves.csv has validation columns only for a sweep whose trials validate
        await foreach (var t in ReadAhead.PagesAsync(sweep.GetTrialsAsync, pageSize, cancellationToken))
        {
            swept.AddRange(t.Trial.Parameters.Keys.Where(p => !swept.Contains(p)));
            curves.Plan(t);
            longest = Math.Max(longest, t.Status.IsFinished() ? t.Epochs : t.Trial.Config.Epochs);
            validates |= t.Trial.Config.ValidateEvery is not null;
        }

        // The second pass writes results.csv and gathers the leaderboard from the same rows.
        // The metric's final and best get their own columns unless they are there already (the default: final_loss, best_loss).
        var scores = new ConfigurationScores(swept, metric);
        var metricColumns = MetricColumns(metric);
        await using (var results = Create(Path.Combine(directory, "results.csv")))
        {
            // A swept epochs would share its name with the epochs a trial trained: its column takes its spec path.
            results.Write(string.Join(',', [
                "trial_id", "status", "epochs", "final_loss", "best_loss", "final_acc", "seconds", "test_loss", "test_acc", .. metricColumns,
                .. swept.Select(p => p == "epochs" ? "parameters.epochs" : p), "seed", "variant", "silo", "error", "stop_reason"]));
            results.Write('\n');
            await foreach (var t in ReadAhead.PagesAsync(sweep.GetTrialsAsync, pageSize, cancellationToken))
            {
                results.Write(string.Join(',', [
                    t.Trial.Id, t.Status.Name(), Num(t.Epochs), Num(t.FinalLoss), Num(t.BestLoss), Num(t.LastAccuracy), Num(t.Seconds),
                    Num(t.TestLoss), Num(t.TestAccuracy), .. MetricValues(metricColumns, t), .. swept.Select(p => t.Trial.Parameters.GetValueOrDefault(p, "")),
                    Num(t.Trial.Config.Seed), t.Trial.Variant, t.Silo ?? "", Quote(t.Error), Quote(t.StopReason)]));
                results.Write('\n');
                scores.Add(t);
            }
        }

        await using (var curvesCsv = Create(Path.Combine(directory, "curves.csv")))
        {
            curvesCsv.Write(validates ? "trial_id,epoch,loss,acc,seconds,val_loss,val_acc\n" : "trial_id,epoch,loss,acc,seconds\n");
            // Fewer trials a page when their curves are long: a page stays near SweepPaging's ~6 MB.
            var curvesPerPage = Math.Clamp(EpochsPerPage / longest, 1, pageSize);
            await foreach (var curve in ReadAhead.PagesAsync(sweep.GetCurvesAsync, curvesPerPage, cancellationToken))
            {
                WriteCurve(curvesCsv, curve, validates);
                curves.Add(curve);
            }
        }

        // Both only read the gathered curves and scores; drawn side by side, the plot's rendering hides the report's.
        var ranked = scores.Rank();
        await Task.WhenAll(
            Task.Run(() => new LossPlot(name, curves).Save(Path.Combine(directory, "loss.png"), ranked), cancellationToken),
            Task.Run(() => new HtmlReport(name, scores, curves, ranked).Save(Path.Combine(directory, ReportFile)), cancellationToken));
    }

    private static StreamWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), new System.Text.UTF8Encoding(false), 1 << 16);

    /// <summary>Formats into a stack buffer: 2.5 million rows leave no garbage strings behind.</summary>
    private static void WriteCurve(TextWriter csv, TrialCurve curve, bool validates)
    {
        Span<char> number = stackalloc char[32];
        for (var i = 0; i < curve.Epochs; i++)
        {
            csv.Write(curve.TrialId);
            Write(csv, i + 1, "D", number);
            Write(csv, curve.Loss[i], "G6", number);
            Write(csv, curve.Accuracy[i], "G6", number);
            Write(csv, curve.Seconds[i], "G6", number);
            if (validates)
            {
                // Empty where the trial did not validate at that epoch.
                Write(csv, curve.ValLoss?[i], number);
                Write(csv, curve.ValAccuracy?[i], number);
            }

            csv.Write('\n');
        }
    }

    private static void Write<T>(TextWriter csv, T value, string format, Span<char> buffer)
        where T : ISpanFormattable
    {
        csv.Write(',');
        if (value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture))
        {
            csv.Write(buffer[..written]);
        }
        else
        {
            csv.Write(value.ToString(format, CultureInfo.InvariantCulture));
        }
    }

    private static void Write(TextWriter csv, double? value, Span<char> buffer)
    {
        if (value is { } measured)
        {
            Write(csv, measured, "G6", buffer);
        }
        else
        {
            csv.Write(',');
        }
    }

    /// <summary>results.csv's columns for the metric's final and best value, where the fixed columns do not have them.</summary>
    private static string[] MetricColumns(SweepMetric metric) => metric.Name switch
    {
        MetricName.Loss => [],
        MetricName.Accuracy => ["best_acc"],
        _ => ["final_" + metric.SpecName, "best_" + metric.SpecName],
    };

    private static IEnumerable<string> MetricValues(string[] columns, TrialSummary trial) =>
        columns.Select(c => Num(c.StartsWith("final_", StringComparison.Ordinal) ? trial.FinalMetric : trial.BestMetric));

    private static string Num(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? text) => text is null ? "" : "\"" + text.Replace("\"", "\"\"").ReplaceLineEndings(" ") + "\"";
}
