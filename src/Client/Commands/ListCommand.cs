using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;

namespace SweepCluster.Client.Commands;

/// <summary>
/// <c>sweep list [--all]</c>: the sweeps the silo knows, newest first, with trial counts by status. Rows come from the
/// registry a page at a time (one call per page, none per sweep), so listing activates no sweep.
/// </summary>
public static class ListCommand
{
    /// <summary>Sweeps shown without <c>--all</c>.</summary>
    public const int Latest = 50;

    private const int PageSize = 500;

    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = $"Every sweep (default: the latest {Latest})" };
        var cluster = ClusterOption.Create();
        var command = new Command("list", "List the sweeps on the local silo (started if none runs) or the cluster, newest first") { all, cluster };
        command.SetAction((result, cancellationToken) => CommandErrors.Guard(async () =>
        {
            await using var connection = await SweepConnection.OpenAsync(result.GetValue(cluster), startLocal: true, CommandErrors.Say, cancellationToken);
            var registry = connection.Grains.GetGrain<ISweepRegistryGrain>(0);
            var table = new Table().RoundedBorder().AddColumn("sweep").AddColumn("started").AddColumn("trials")
                .AddColumn("completed").AddColumn("running").AddColumn("queued").AddColumn("other").AddColumn(new TableColumn("epochs").RightAligned());
            var (shown, total) = (0, 0);
            var wanted = result.GetValue(all) ? int.MaxValue : Latest;
            while (shown < wanted)
            {
                var page = await registry.ListAsync(shown, Math.Min(PageSize, wanted - shown));
                total = page.Total;
                foreach (var sweep in page.Sweeps)
                {
                    AddRow(table, sweep);
                }

                shown += page.Sweeps.Count;
                if (page.Sweeps.Count == 0 || shown >= total)
                {
                    break;
                }
            }

            AnsiConsole.Write(table);
            if (total > shown)
            {
                AnsiConsole.MarkupLine("[grey]and {0} older sweeps (./sweep list --all shows them)[/]", total - shown);
            }

            return 0;
        }));
        return command;
    }

    private static void AddRow(Table table, SweepListing s)
    {
        var other = s.Trials - s.Count(TrialStatus.Completed) - s.Count(TrialStatus.Running) - s.Count(TrialStatus.Queued);
        table.AddRow(
            Markup.Escape(s.SweepId), s.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), N(s.Trials),
            N(s.Count(TrialStatus.Completed)), N(s.Count(TrialStatus.Running)), N(s.Count(TrialStatus.Queued)), N(other),
            $"{s.EpochsDone}/{s.EpochsTotal}");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
