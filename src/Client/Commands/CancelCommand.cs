using System.CommandLine;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep cancel &lt;sweep-id&gt;</c>: drop queued trials and stop running ones within a step.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var id = SweepIdArgument.Create();
        var cluster = ClusterOption.Create();
        var command = new Command("cancel", "Cancel a sweep: queued trials are dropped, running ones stop within one step") { id, cluster };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            var sweepId = result.GetValue(id)!;
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: true, CommandErrors.Say, cancellationToken);
            var sweep = connection.Grains.GetGrain<ISweepGrain>(sweepId);
            if (await sweep.GetOverviewAsync(0, 0) is null)
            {
                throw UserException.UnknownSweep(sweepId);
            }

            await sweep.CancelAsync();
            AnsiConsole.MarkupLine("cancelling {0}; completed trials keep their results", Markup.Escape(sweepId));
            return 0;
        }));
        return command;
    }
}
