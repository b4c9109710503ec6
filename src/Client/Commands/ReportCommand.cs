using System.CommandLine;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Commands;

/// <summary>
/// <c>sweep report &lt;sweep-id&gt; [--out DIR]</c>: write a sweep's results directory and say where its report.html is.
/// The report comes from the one pass <see cref="ResultsWriter"/> makes over the sweep (its charts are drawn from the
/// aggregates that pass gathers), so this writes the whole directory, as <c>results</c> does (without printing the
/// leaderboard: the report holds it), rather than read the sweep a second way.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var id = SweepIdArgument.Create();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: runs/<sweep-id>-<time>)" };
        var cluster = ClusterOption.Create();
        var command = new Command("report", "Write a sweep's results directory and print the path of its report.html (charts, opens offline)") { id, output, cluster };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            var sweepId = result.GetValue(id)!;
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: true, CommandErrors.Say, cancellationToken);
            var sweep = connection.Grains.GetGrain<ISweepGrain>(sweepId);
            var overview = await sweep.GetOverviewAsync(0, SweepView.Top) ?? throw UserException.UnknownSweep(sweepId);
            var directory = result.GetValue(output)?.FullName ?? ResultsWriter.DefaultDirectory(sweepId);
            await ResultsWriter.WriteAndReportAsync(directory, sweep, overview.Name, cancellationToken);
            return 0;
        }));
        return command;
    }
}
