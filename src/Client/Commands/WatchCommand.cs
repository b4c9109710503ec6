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
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: false, CommandErrors.Say, cancellationToken);
            var sweep = connection.Grains.GetGrain<ISweepGrain>(result.GetValue(id)!);
            var progress = await SweepView.FollowAsync(sweep, result.GetValue(quiet), cancellationToken);
            if (result.GetValue(output) is { } directory && await sweep.GetResultsAsync() is { } results)
            {
                ResultsWriter.WriteAndReport(directory.FullName, results);
            }

            return SweepOutcome.Report(progress, cancellationToken.IsCancellationRequested);
        }));
        return command;
    }
}
