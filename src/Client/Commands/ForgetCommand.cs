using System.CommandLine;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep forget &lt;sweep-id&gt;</c>: delete a sweep (cancelling what still runs), its listing, curves and checkpoints.</summary>
public static class ForgetCommand
{
    public static Command Create()
    {
        var id = SweepIdArgument.Create();
        var cluster = ClusterOption.Create();
        var command = new Command("forget", "Delete a sweep: cancel what still runs, then remove its state, its row in ./sweep list, its curves and checkpoints")
        {
            id, cluster,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            var sweepId = result.GetValue(id)!;
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: true, CommandErrors.Say, cancellationToken);
            var sweep = connection.Grains.GetGrain<ISweepGrain>(sweepId);
            // Read first, to say what went: after ForgetAsync there is nothing left to ask.
            var overview = await sweep.GetOverviewAsync(0, 0);
            if (!await sweep.ForgetAsync())
            {
                throw UserException.UnknownSweep(sweepId);
            }

            AnsiConsole.MarkupLine(
                "forgot sweep {0}{1}: its state, its row in ./sweep list, its curves and checkpoints (those no other sweep uses) are deleted",
                Markup.Escape(sweepId),
                overview is null ? "" : Markup.Escape($" ({overview.Trials} trials, {overview.EpochsDone} epochs trained)"));
            return 0;
        }));
        return command;
    }
}
