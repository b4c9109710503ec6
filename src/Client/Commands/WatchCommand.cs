using System.CommandLine;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep watch &lt;sweep-id&gt;</c>: reattach to a running sweep and follow it to the end.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var id = SweepIdArgument.Create();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write the results directory when it finishes" };
        var quiet = new Option<bool>("--quiet") { Description = "Plain line-by-line progress" };
        var cluster = ClusterOption.Create();
        var command = new Command("watch", "Follow a sweep (live progress and leaderboard) until it finishes") { id, output, quiet, cluster };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            var sweepId = result.GetValue(id)!;
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: true, CommandErrors.Say, cancellationToken);
            var sweep = connection.Grains.GetGrain<ISweepGrain>(sweepId);
            var overview = await SweepView.FollowAsync(sweep, sweepId, result.GetValue(quiet), cancellationToken);
            if (result.GetValue(output) is { } directory)
            {
                await ResultsWriter.WriteAndReportAsync(directory.FullName, sweep, overview.Name);
            }

            return await SweepOutcome.ReportAsync(sweep, overview, cancellationToken.IsCancellationRequested);
        }));
        return command;
    }
}
