using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Spectre.Console;
using static SweepCluster.Bench.Stats;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Observability;
using SweepCluster.Training.Training;

namespace SweepCluster.Bench;

/// <summary>
/// What metrics cost: (1) the merge-mode sweep through the engine with an OpenTelemetry meter provider
/// collecting SweepCluster's, Orleans' and the runtime's meters every second (a scrape far more often than
/// Prometheus' usual 15 s), against the same engine with nothing listening, alternating; (2) a /metrics scrape
/// served by the Prometheus exporter with 500 trials live on the silo: time and size.
/// </summary>
public static class MetricsBenchmark
{
    private static readonly string[] Meters = [SweepMetrics.MeterName, "Microsoft.Orleans", "System.Runtime"];

    public static async Task<int> RunAsync(int epochs, int repeats)
    {
        await OverheadAsync(epochs, repeats);
        await ScrapeAsync(liveTrials: 500);
        return 0;
    }

    private static async Task OverheadAsync(int epochs, int repeats)
    {
        var slots = Math.Max(1, Environment.ProcessorCount);
        TorchSharp.torch.set_num_threads(1);
        var spec = InProcessEngine.MergeModeSweep("metrics", epochs);
        var checkpoints = Directory.CreateTempSubdirectory("sweep-bench-");
        AnsiConsole.MarkupLine("[bold]metrics overhead[/]: {0} trials x {1} epochs through the engine, {2} slots, {3} alternating runs each",
            SweepPlanner.Expand(spec).Count, epochs, slots, repeats);

        using var host = await InProcessEngine.StartAsync(slots, checkpoints.FullName);
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        // Unmeasured runs of both first: JIT tiering, and OpenTelemetry's own first-use costs.
        for (var warmUp = 1; warmUp <= 3; warmUp++)
        {
            await EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Seed = -100 * warmUp });
            await WithMetricsAsync(() => EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Seed = -100 * warmUp - 50 }));
        }

        var off = new List<double>();
        var on = new List<double>();
        for (var run = 0; run < repeats; run++)
        {
            off.Add(await EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Seed = 1000 * (run + 1) }));
            on.Add(await WithMetricsAsync(() => EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Seed = -1000 * (run + 1) - 7 })));
        }

        await host.StopAsync();
        checkpoints.Delete(recursive: true);
        AnsiConsole.MarkupLine("  metrics off: {0} s (runs {1})", F(Median(off)), string.Join(", ", off.Select(F)));
        AnsiConsole.MarkupLine("  metrics on:  {0} s (runs {1})", F(Median(on)), string.Join(", ", on.Select(F)));
        AnsiConsole.MarkupLine(
            "  on / off: [bold]{0}x[/] by medians, [bold]{1}x[/] by fastest runs (target <= 1.02)",
            (Median(on) / Median(off)).ToString("F3", CultureInfo.InvariantCulture), (on.Min() / off.Min()).ToString("F3", CultureInfo.InvariantCulture));
    }

    private static async Task<double> WithMetricsAsync(Func<Task<double>> run)
    {
        var collected = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(Meters)
            .AddInMemoryExporter(collected, reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1000)
            .Build();
        return await run();
    }

    private static async Task ScrapeAsync(int liveTrials)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton<SweepMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(Meters).AddPrometheusExporter());
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync();

        // 500 trials as the silo knows them mid-sweep: every label set distinct, every value set.
        var metrics = app.Services.GetRequiredService<SweepMetrics>();
        var directions = new[] { Direction.Forward, Direction.Backward, Direction.Bidirectional };
        for (var i = 0; i < liveTrials; i++)
        {
            var config = new TrialConfig { Task = TaskKind.Cumsum, Direction = directions[i % 3], MergeMode = (MergeMode)(i % 4), Hidden = 10 + i % 7, Seed = i, Epochs = 1000 };
            metrics.TrialStarted($"trial-{i}", $"sweep-{i % 5}", config);
            metrics.EpochTrained($"trial-{i}", new EpochMetrics(10, 0.1 + i * 1e-4, 0.9, 0.001) { Samples = 1 });
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var times = new List<double>();
        var body = "";
        for (var scrape = 0; scrape < 30; scrape++)
        {
            await Task.Delay(scrape == 0 ? 0 : 350); // past the exporter's 300 ms response cache
            var clock = Stopwatch.StartNew();
            body = await http.GetStringAsync("/metrics");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        var series = body.Split('\n').Count(line => line.Length > 0 && line[0] != '#');
        AnsiConsole.MarkupLine(
            "[bold]/metrics with {0} live trials[/]: {1} series, {2:F0} KiB, median {3:F1} ms per scrape (slowest {4:F1} ms, first {5:F1} ms)",
            liveTrials, series, body.Length / 1024.0, Median(times.Skip(1).ToList()), times.Skip(1).Max(), times[0]);
        await app.StopAsync();
    }
}
