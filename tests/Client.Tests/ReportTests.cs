using System.Diagnostics;
using System.Text.RegularExpressions;
using SkiaSharp;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;
using SweepCluster.Client.Tests.Browser;
using Xunit.Abstractions;

namespace SweepCluster.Client.Tests;

/// <summary>report.html, written by the results writer from a 144-configuration, 10,080-trial sweep.</summary>
public sealed partial class ReportTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The report of <see cref="Grid"/> stays under this (it measured ~0.4 MB).</summary>
    private const int MaxBytes = 1 << 20;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sweep-report-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task TheReportOfA144ConfigurationSweepHoldsEveryChartAndTheLeaderboardOfflineAndSmall()
    {
        var clock = Stopwatch.StartNew();
        var html = await WriteGridReportAsync(_directory.FullName);
        var bytes = new FileInfo(Path.Combine(_directory.FullName, ResultsWriter.ReportFile)).Length;
        output.WriteLine($"results for {Grid.Trials} trials x {Grid.Epochs} epochs written in {clock.Elapsed.TotalSeconds:F1} s; report.html {bytes / 1024} KiB");

        Assert.True(bytes < MaxBytes, $"report.html is {bytes} bytes");
        Assert.DoesNotMatch("(?i)https?:|<link|\\ssrc=|@import|url\\((?!#)", html); // url(#id) names a clip path in the page
        Assert.Equal(Grid.Configurations, Count(html, "<tr data-c="));
        Assert.Equal(10, Count(html, "<th>")); // #, configuration, 3 parameters, seeds, final loss, best loss, test acc, status
        Assert.Equal(1, Count(html, "<svg class=\"importance\""));
        Assert.Equal(6 * 6, Count(html, "<svg class=\"curves\"")); // faceted by learning_rate x dropout, the two that matter
        Assert.Equal(3, Count(html, "<svg class=\"parameter\""));
        Assert.Equal(1, Count(html, "<svg class=\"parallel\""));
        Assert.Equal(1 + 6 * 6 + 3 + 1, Count(html, "<svg"));
        Assert.Equal(2 * Grid.Configurations, Count(html, "<path data-c=")); // one curve and one parallel line each
        Assert.Equal(Grid.Configurations * 3, Count(html, "<circle data-c="));
        Assert.All(CurvePaths().Matches(html), m => Assert.True(m.Groups[1].Value.Count(c => c == 'L') < HtmlReport.CurvePoints));
        Assert.Contains("<script>", html);

        // The best configuration (lowest learning rate, dropout 0, hidden 128) leads the table and is coloured.
        Assert.Matches("<tr data-c=\"0\"><td data-v=\"1\"><i style=\"background:#1f77b4\"></i>1</td><td>hidden=128 lr=0.001 dropout=0</td>", html);
    }

    [Fact]
    public async Task TheReportRanksTheParameterThatDrivesTheObjectiveFirst()
    {
        var html = await WriteGridReportAsync(_directory.FullName);

        var importance = html[html.IndexOf("<svg class=\"importance\"", StringComparison.Ordinal)..];
        var names = ImportanceNames().Matches(importance[..importance.IndexOf("</svg>", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["learning_rate", "dropout", "hidden"], names);
    }

    [Fact]
    public async Task ARandomSearchsContinuousParameterIsDrawnOnANumericAxisAndNotFaceted()
    {
        // 40 configurations of one seed: a distinct learning rate each (log-uniform), a batch size of 3 values.
        var rnd = new Random(11);
        var trials = Enumerable.Range(0, 40).Select(i =>
        {
            var lr = Math.Pow(10, -4 + 3 * rnd.NextDouble()).ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
            var batch = new[] { "16", "32", "64" }[i % 3];
            return ResultsWriterTests.Summary(
                $"t{i}", $"lr={lr} batch={batch}", 0, new() { ["learning_rate"] = lr, ["batch"] = batch }, TrialStatus.Completed, 50, 0.1 + i * 0.01, 0.1, 0.5, null, null, 1);
        }).ToList();
        var curves = trials.ToDictionary(t => t.Trial.Id, t => new TrialCurve(t.Trial.Id, [.. Enumerable.Range(1, 50).Select(e => t.FinalLoss!.Value + 1.0 / e)], new double[50], new double[50]));

        await ResultsWriter.WriteAsync(_directory.FullName, new FakeSweep(trials, curves), "random");

        var html = await File.ReadAllTextAsync(Path.Combine(_directory.FullName, ResultsWriter.ReportFile));
        Assert.Equal(3, Count(html, "<svg class=\"curves\"")); // one panel per batch size; the learning rate has 40 values
        Assert.Equal(40, Count(html, "<tr data-c="));
        var learningRate = html[html.IndexOf("<text x=\"50\" y=\"13\" class=\"t\">learning_rate</text>", StringComparison.Ordinal)..];
        learningRate = learningRate[..learningRate.IndexOf("</svg>", StringComparison.Ordinal)];
        Assert.Equal(0, Count(learningRate, "class=\"m\"")); // no per-value means on a numeric axis
        Assert.Equal(1 + 2, Count(learningRate, "text-anchor=\"middle\">")); // the loss axis title, then its smallest and largest value
    }

    [Fact]
    public async Task AConditionalParametersMissingPairsGetNoPanelAndItsMissingValueIsNamed()
    {
        // The merge-mode sweep: merge_mode applies to bidirectional trials only, so of direction x merge_mode's 15 pairs
        // 6 exist (forward and backward with no merge mode, bidirectional with each of 4).
        var variants = new[] { ("forward", ""), ("backward", ""), ("bidirectional", "sum"), ("bidirectional", "mul"), ("bidirectional", "ave"), ("bidirectional", "concat") };
        var trials = variants.SelectMany((v, c) => Enumerable.Range(0, 3).Select(seed => ResultsWriterTests.Summary(
            $"t{c}-{seed}", v.Item2 == "" ? v.Item1 : $"{v.Item1}-{v.Item2}", seed, new() { ["direction"] = v.Item1, ["merge_mode"] = v.Item2 },
            TrialStatus.Completed, 20, 0.1 + c * 0.05 + seed * 0.001, 0.1, 0.5, null, null, 1))).ToList();
        var curves = trials.ToDictionary(t => t.Trial.Id, t => new TrialCurve(t.Trial.Id, [.. Enumerable.Range(1, 20).Select(e => t.FinalLoss!.Value + 1.0 / e)], new double[20], new double[20]));

        await ResultsWriter.WriteAsync(_directory.FullName, new FakeSweep(trials, curves), "merge-modes");

        var html = await File.ReadAllTextAsync(Path.Combine(_directory.FullName, ResultsWriter.ReportFile));
        Assert.Equal(variants.Length, Count(html, "<svg class=\"curves\""));
        Assert.DoesNotContain("merge_mode= ", html);
        Assert.Contains("merge_mode=n/a", html);
        Assert.Contains(">n/a</text>", html); // the parameter charts' and parallel coordinates' axis label for it
    }

    [Fact]
    public async Task ReportRendersInHeadlessChromium()
    {
        await WriteGridReportAsync(_directory.FullName);

        var page = await HeadlessChromium.LoadAsync(
            Path.Combine(_directory.FullName, ResultsWriter.ReportFile), Path.Combine(_directory.FullName, "report-screenshot.png"));

        Assert.Empty(page.Requests);
        Assert.Equal(1 + 6 * 6 + 3 + 1, page.Count("svg")); // importance, 36 curve panels, 3 parameters, parallel coordinates
        Assert.Equal(Grid.Configurations, page.Count("tr") - 1);
        using var screenshot = SKBitmap.Decode(page.ScreenshotPath);
        Assert.NotNull(screenshot);
        var pixels = Enumerable.Range(0, screenshot.Height).SelectMany(y => Enumerable.Range(0, screenshot.Width).Select(x => screenshot.GetPixel(x, y))).ToHashSet();
        Assert.Contains(SKColor.Parse(ConfigurationColors.OfRank(0)), pixels); // the best configuration's swatch in the table
        Assert.Contains(SKColor.Parse("#4e79a7"), pixels); // the importance bars

        // The report's own script in the browser: a second click on "final loss" sorts the worst first, and pointing
        // at a configuration's curve highlights its table row, curve, parallel line and three dots.
        var driven = Path.Combine(_directory.FullName, "driven.html");
        await File.WriteAllTextAsync(driven, (await File.ReadAllTextAsync(Path.Combine(_directory.FullName, ResultsWriter.ReportFile))).Replace("</body>", """
            <script>
            const th = [...document.querySelectorAll('#board th')].find(h => h.textContent === 'final loss');
            th.click(); th.click();
            document.body.dataset.first = document.querySelector('#board tbody tr').dataset.c;
            document.querySelector('path[data-c="5"]').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
            document.body.dataset.highlighted = document.querySelectorAll('.hl').length;
            </script></body>
            """, StringComparison.Ordinal));
        var after = await HeadlessChromium.LoadAsync(driven, Path.Combine(_directory.FullName, "driven.png"));
        Assert.Contains($"data-first=\"{Grid.Configurations - 1}\"", after.Dom);
        Assert.Contains("data-highlighted=\"6\"", after.Dom);
    }

    private static async Task<string> WriteGridReportAsync(string directory)
    {
        await ResultsWriter.WriteAsync(directory, Grid.Sweep(), "grid");
        return await File.ReadAllTextAsync(Path.Combine(directory, ResultsWriter.ReportFile));
    }

    private static int Count(string text, string what) => Regex.Count(text, Regex.Escape(what));

    [GeneratedRegex("<path data-c=\"\\d+\" class=\"[fc]\" stroke=\"[^\"]+\" d=\"(M[^\"]*)\"")]
    private static partial Regex CurvePaths();

    [GeneratedRegex("text-anchor=\"end\">([^<]+)</text><rect")]
    private static partial Regex ImportanceNames();
}
