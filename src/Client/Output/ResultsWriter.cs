using System.Globalization;
using System.Text;
using ScottPlot;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// Writes a sweep's results directory: results.csv (one row per trial), curves.csv (one row per trial and
/// epoch), loss.png (the tutorial's plot) and spec.yaml (the resolved spec). All of it from the same epoch reports.
/// </summary>
public static class ResultsWriter
{
    /// <summary><c>runs/&lt;name&gt;-&lt;local time&gt;</c>, where results go unless <c>--out</c> says otherwise.</summary>
    public static string DefaultDirectory(string name) =>
        Path.Combine("runs", $"{name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    /// <summary>Writes the directory and tells the user where it is.</summary>
    public static void WriteAndReport(string directory, SweepResults results)
    {
        Write(directory, results);
        Spectre.Console.AnsiConsole.MarkupLine("results: {0}", Spectre.Console.Markup.Escape(Path.GetFullPath(directory)));
    }

    public static void Write(string directory, SweepResults results)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "results.csv"), ResultsCsv(results.Progress));
        File.WriteAllText(Path.Combine(directory, "curves.csv"), CurvesCsv(results));
        File.WriteAllText(Path.Combine(directory, "spec.yaml"), results.SpecYaml);
        LossPlot.Save(Path.Combine(directory, "loss.png"), results);
    }

    private static string ResultsCsv(SweepProgress progress)
    {
        var swept = progress.Trials.SelectMany(t => t.Trial.Parameters.Keys).Distinct().ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', ["trial_id", "status", "epochs", "final_loss", "best_loss", "final_acc", "seconds", "test_loss", "test_acc", .. swept, "seed", "variant", "silo", "error", "stop_reason"]);
        csv.Append('\n');
        foreach (var t in progress.Trials)
        {
            csv.AppendJoin(',', [
                t.Trial.Id, t.Status.Name(), Num(t.Epochs), Num(t.FinalLoss), Num(t.BestLoss), Num(t.LastAccuracy), Num(t.Seconds),
                Num(t.TestLoss), Num(t.TestAccuracy), .. swept.Select(p => t.Trial.Parameters.GetValueOrDefault(p, "")),
                Num(t.Trial.Config.Seed), t.Trial.Variant, t.Silo ?? "", Quote(t.Error), Quote(t.StopReason)]);
            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string CurvesCsv(SweepResults results)
    {
        var csv = new StringBuilder("trial_id,epoch,loss,acc,seconds\n");
        foreach (var trial in results.Progress.Trials)
        {
            foreach (var e in results.Curves.GetValueOrDefault(trial.Trial.Id, []))
            {
                csv.AppendJoin(',', trial.Trial.Id, Num(e.Epoch), Num(e.Loss), Num(e.Accuracy), Num(e.Seconds));
                csv.Append('\n');
            }
        }

        return csv.ToString();
    }

    private static string Num(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? text) => text is null ? "" : "\"" + text.Replace("\"", "\"\"").ReplaceLineEndings(" ") + "\"";

    /// <summary>One line per configuration: mean loss over its seeds, with the seeds' min-max as a band, lightly smoothed.</summary>
    private static class LossPlot
    {
        public static void Save(string path, SweepResults results)
        {
            var plot = new Plot();
            var longest = results.Curves.Values.Select(c => c.Count).DefaultIfEmpty(0).Max();
            var window = Math.Max(1, longest / 50);
            // Colours assigned per configuration: left to the plot, the bands would take palette colours too.
            var palette = new ScottPlot.Palettes.Category10();
            var index = 0;
            foreach (var variant in results.Progress.Trials.GroupBy(t => t.Trial.Variant))
            {
                var color = palette.GetColor(index++);
                var curves = variant.Select(t => results.Curves.GetValueOrDefault(t.Trial.Id, [])).Where(c => c.Count > 0).ToList();
                if (curves.Count == 0)
                {
                    continue;
                }

                var length = curves.Min(c => c.Count);
                var smoothed = curves.Select(c => Smooth(c.Take(length).Select(e => e.Loss).ToArray(), window)).ToList();
                var xs = Enumerable.Range(1, length).Select(i => (double)i).ToArray();
                var mean = xs.Select((_, i) => smoothed.Average(c => c[i])).ToArray();
                var line = plot.Add.ScatterLine(xs, mean);
                line.Color = color;
                line.LegendText = $"{variant.Key} ({curves.Count} seed{(curves.Count == 1 ? "" : "s")})";
                line.LineWidth = 2;
                if (curves.Count > 1)
                {
                    var band = plot.Add.FillY(xs, xs.Select((_, i) => smoothed.Min(c => c[i])).ToArray(), xs.Select((_, i) => smoothed.Max(c => c[i])).ToArray());
                    band.FillColor = color.WithAlpha(0.15);
                    band.LineWidth = 0;
                }
            }

            var smoothing = window > 1 ? $", moving average of {window} epochs" : "";
            plot.Title($"{results.Progress.Name}: loss per epoch (mean over seeds, band = min-max{smoothing})");
            plot.XLabel("epoch");
            plot.YLabel("loss (binary cross-entropy)");
            plot.ShowLegend(Alignment.UpperRight);
            plot.SavePng(path, 1200, 700);
        }

        private static double[] Smooth(double[] values, int window) =>
            values.Select((_, i) => values[Math.Max(0, i - window + 1)..(i + 1)].Average()).ToArray();
    }
}
