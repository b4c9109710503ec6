using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;

namespace SweepCluster.Client.Commands;

/// <summary><c>sweep list</c>: every sweep the silo knows, with trial counts by status.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var cluster = ClusterOption.Create();
        var command = new Command("list", "List the sweeps on the local silo (or the cluster)") { cluster };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: false, CommandErrors.Say, cancellationToken);
            var table = new Table().RoundedBorder().AddColumn("sweep").AddColumn("started").AddColumn("trials")
                .AddColumn("completed").AddColumn("running").AddColumn("queued").AddColumn("other").AddColumn(new TableColumn("epochs").RightAligned());
            foreach (var id in await connection.Grains.GetGrain<ISweepRegistryGrain>(0).ListAsync())
            {
                if (await connection.Grains.GetGrain<ISweepGrain>(id).GetProgressAsync() is not { } p)
                {
                    continue;
                }

                var other = p.Trials.Count - p.Count(TrialStatus.Completed) - p.Count(TrialStatus.Running) - p.Count(TrialStatus.Queued);
                table.AddRow(
                    Markup.Escape(id), p.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), N(p.Trials.Count),
                    N(p.Count(TrialStatus.Completed)), N(p.Count(TrialStatus.Running)), N(p.Count(TrialStatus.Queued)), N(other),
                    $"{p.EpochsDone}/{p.EpochsTotal}");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
