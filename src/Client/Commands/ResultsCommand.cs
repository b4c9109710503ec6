using System.CommandLine;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep results &lt;sweep-id&gt; [--out DIR]</c>: write a sweep's results directory (also mid-sweep: what is there so far).</summary>
public static class ResultsCommand
{
    public static Command Create() =>
        Create("results", "Write a sweep's results.csv, curves.csv, loss.png, report.html and spec.yaml", printLeaderboard: true);

    /// <summary>A command that writes a sweep's results directory; <c>report</c> is this without the terminal's leaderboard.</summary>
    internal static Command Create(string name, string description, bool printLeaderboard)
    {
        var id = SweepIdArgument.Create();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: runs/<sweep-id>-<time>)" };
        var cluster = ClusterOption.Create();
        var command = new Command(name, description) { id, output, cluster };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            var sweepId = result.GetValue(id)!;
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: true, CommandErrors.Say, cancellationToken);
            var sweep = connection.Grains.GetGrain<ISweepGrain>(sweepId);
            var overview = await sweep.GetOverviewAsync(0, SweepView.Top) ?? throw UserException.UnknownSweep(sweepId);
            var directory = result.GetValue(output)?.FullName ?? ResultsWriter.DefaultDirectory(sweepId);
            if (printLeaderboard)
            {
                AnsiConsole.Write(Leaderboard.Build(overview.Leaders, overview.Metric));
            }

            await ResultsWriter.WriteAndReportAsync(directory, sweep, overview.Name, cancellationToken);
            return 0;
        }));
        return command;
    }
}
