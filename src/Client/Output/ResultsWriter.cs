using System.Globalization;
using System.Text;
using ScottPlot;
using SweepCluster.Client.Running;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Output;

/// <summary>Writes a sweep's results directory: results.csv (one row per trial), curves.csv (one row per epoch), loss.png.</summary>
public static class ResultsWriter
{
    public static void Write(string directory, string sweepName, IReadOnlyList<TrialRecord> records)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "results.csv"), ResultsCsv(records));
        File.WriteAllText(Path.Combine(directory, "curves.csv"), CurvesCsv(records));
        PlotLoss(Path.Combine(directory, "loss.png"), sweepName, records);
    }

    private static string ResultsCsv(IReadOnlyList<TrialRecord> records)
    {
        var csv = new StringBuilder("trial,variant,task,direction,merge_mode,hidden,layers,learning_rate,seed,status,epochs,final_loss,final_accuracy,test_loss,test_accuracy,train_seconds,error\n");
        foreach (var r in records)
        {
            var c = r.Trial.Config;
            csv.AppendJoin(',',
                r.Trial.Id, r.Trial.Variant, Names.Of(c.Task), Names.Of(c.Direction),
                c.Direction == Direction.Bidirectional ? Names.Of(c.MergeMode) : "",
                Num(c.HiddenOrDefault), Num(c.Layers), Num(c.LearningRate), Num(c.Seed), r.Status.ToString().ToLowerInvariant(),
                Num(r.Epochs.Count), Num(r.FinalLoss), Num(r.Epochs.LastOrDefault()?.Accuracy), Num(r.Test?.Loss), Num(r.Test?.Accuracy),
                Num(r.Epochs.Sum(e => e.Seconds)), Quote(r.Error));
            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string CurvesCsv(IReadOnlyList<TrialRecord> records)
    {
        var csv = new StringBuilder("trial,variant,seed,epoch,loss,accuracy,seconds\n");
        foreach (var r in records)
        {
            foreach (var e in r.Epochs)
            {
                csv.AppendJoin(',', r.Trial.Id, r.Trial.Variant, Num(r.Trial.Config.Seed), Num(e.Epoch), Num(e.Loss), Num(e.Accuracy), Num(e.Seconds));
                csv.Append('\n');
            }
        }

        return csv.ToString();
    }

    /// <summary>One line per variant: the loss averaged over its seeds, smoothed over ~2% of the epochs.</summary>
    private static void PlotLoss(string path, string sweepName, IReadOnlyList<TrialRecord> records)
    {
        var plot = new Plot();
        var longest = records.Select(r => r.Epochs.Count).DefaultIfEmpty(0).Max();
        var window = Math.Max(1, longest / 50);
        foreach (var variant in records.Where(r => r.Epochs.Count > 0).GroupBy(r => r.Trial.Variant))
        {
            var length = variant.Min(r => r.Epochs.Count);
            var mean = Enumerable.Range(0, length).Select(i => variant.Average(r => r.Epochs[i].Loss)).ToArray();
            var smoothed = Enumerable.Range(0, length).Select(i => mean[Math.Max(0, i - window + 1)..(i + 1)].Average()).ToArray();
            var line = plot.Add.ScatterLine(Enumerable.Range(1, length).Select(i => (double)i).ToArray(), smoothed);
            line.LegendText = $"{variant.Key} ({variant.Count()} seeds)";
            line.LineWidth = 2;
        }

        plot.Title(window > 1 ? $"{sweepName}: loss (mean over seeds, moving average of {window} epochs)" : $"{sweepName}: loss (mean over seeds)");
        plot.XLabel("epoch");
        plot.YLabel("loss (binary cross-entropy)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 700);
    }

    private static string Num(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? text) => text is null ? "" : "\"" + text.Replace("\"", "\"\"").ReplaceLineEndings(" ") + "\"";
}
