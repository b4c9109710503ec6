using System.CommandLine;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;
using SweepCluster.Client.Output;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep run &lt;spec.yaml&gt;</c>: validate the spec, submit it to the (local) silo, follow it, write results.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The sweep spec (YAML), e.g. sweeps/merge-modes.yaml" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: runs/<name>-<time>)" };
        var overrides = new Option<string[]>("--set")
        {
            Description = "Override a spec key, e.g. --set epochs=50 --set parameters.hidden=[10,20] (repeatable)",
        };
        var detach = new Option<bool>("--detach") { Description = "Submit and return at once; follow later with ./sweep watch <sweep-id>" };
        var quiet = new Option<bool>("--quiet") { Description = "Plain line-by-line progress (automatic when output is not a terminal)" };
        var cluster = ClusterOption.Create();
        var metricsPort = new Option<int?>("--metrics-port")
        {
            Description = "Port of the local silo's Prometheus /metrics when this command starts it (default: a free one; printed at start)",
        };
        var command = new Command("run", "Run a sweep: train every trial of the spec on the local silo (or the cluster) and write results.csv, curves.csv, loss.png, report.html")
        {
            spec, output, overrides, detach, quiet, cluster, metricsPort,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(() => RunAsync(
            result.GetValue(spec)!, result.GetValue(output), result.GetValue(overrides) ?? [], result.GetValue(detach), result.GetValue(quiet), result.GetValue(cluster), result.GetValue(metricsPort), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo specFile, DirectoryInfo? output, string[] overrides, bool detach, bool quiet, string? cluster, int? metricsPort, CancellationToken cancellationToken)
    {
        // Everything is validated before any process starts or any file is written. A local silo of this build that
        // already runs is connected to meanwhile: the spec's parsing and the client's start then share the time.
        var parsing = Task.Run(() =>
        {
            var spec = SweepSpecParser.ParseFile(specFile.FullName, overrides);
            return (spec, spec.SweepId);
        }, cancellationToken);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var early = cluster is null && await LocalSilo.FindCurrentAsync() is { } running ? SweepConnection.ConnectAsync(running, abandon.Token) : null;
        ParsedSpec parsed;
        string sweepId;
        try
        {
            (parsed, sweepId) = await parsing;
            if (cluster is not null && metricsPort is not null)
            {
                throw new UserException("--metrics-port sets the local silo's port; cluster silos take it at start: ./sweep silo --metrics-port N");
            }
        }
        catch
        {
            await AbandonAsync(early, abandon);
            throw;
        }

        var directory = output?.FullName ?? ResultsWriter.DefaultDirectory(parsed.Spec.Name);
        await using var connection = await ConnectedAsync(early) ??
            await SweepConnection.OpenAsync(cluster, startLocal: true, CommandErrors.Say, cancellationToken, metricsPort);
        if (cluster is null && await LocalSilo.MetricsUrlAsync() is { } metrics)
        {
            CommandErrors.Say($"metrics: {metrics}");
            if (metricsPort is { } wanted && !metrics.Contains($":{wanted}/", StringComparison.Ordinal))
            {
                CommandErrors.Say($"(the local silo was already running; stop it to move /metrics to port {wanted})");
            }
        }
        var sweep = connection.Grains.GetGrain<ISweepGrain>(sweepId);
        // The counts come from the sweep: expanding 100,000 trials here too would hold them for the whole run.
        var submitted = await sweep.SubmitAsync(parsed.Spec, parsed.ResolvedYaml);
        AnsiConsole.MarkupLine(
            "[bold]{0}[/]: sweep [bold]{1}[/], {2} trials ({3} configurations x {4} seeds), {5}{6}",
            Markup.Escape(parsed.Spec.Name), Markup.Escape(sweepId), submitted.Trials, submitted.Trials / parsed.Spec.Repeats,
            parsed.Spec.Repeats, parsed.Spec.Grid.Find("epochs") is null ? $"{parsed.Spec.Epochs} epochs each" : "epochs swept",
            submitted.Count(TrialStatus.Completed) > 0 ? $"; {submitted.Count(TrialStatus.Completed)} already completed" : "");
        if (detach)
        {
            AnsiConsole.MarkupLine("submitted. ./sweep watch {0} to follow it, ./sweep results {0} --out DIR for its results", Markup.Escape(sweepId));
            return 0;
        }

        var overview = await SweepView.FollowAsync(sweep, sweepId, quiet, cancellationToken);
        await ResultsWriter.WriteAndReportAsync(directory, sweep, parsed.Spec.Name);
        return await SweepOutcome.ReportAsync(sweep, overview, cancellationToken.IsCancellationRequested);
    }

    /// <summary>The early connection, or null when there was none or it failed (a silo that stopped meanwhile: the usual way starts one).</summary>
    private static async Task<SweepConnection?> ConnectedAsync(Task<SweepConnection>? early)
    {
        try
        {
            return early is null ? null : await early;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or IOException)
        {
            return null;
        }
    }

    /// <summary>Closes the early connection of a command that stops before using it (its spec was refused).</summary>
    private static async Task AbandonAsync(Task<SweepConnection>? early, CancellationTokenSource abandon)
    {
        if (early is null)
        {
            return;
        }

        await abandon.CancelAsync();
        try
        {
            await (await early).DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or OrleansException or IOException)
        {
            // It never connected: nothing to close.
        }
    }
}
