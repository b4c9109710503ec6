using Spectre.Console;
using static SweepCluster.Bench.Stats;

namespace SweepCluster.Bench;

/// <summary>
/// Only the command part of <c>--pytorch</c>: the merge-mode sweep (6 variants x 32 seeds x 250 epochs) as the whole
/// <c>./sweep run</c> in a fresh local silo, warm (started by a small sweep before) and cold, alternating, medians.
/// For comparing two builds of the local silo in one sitting without the peers' minutes.
/// </summary>
public static class CommandSweepBenchmark
{
    private const int Seeds = 32;

    public static async Task<int> RunAsync(bool quick)
    {
        var (epochs, repeats) = quick ? (50, 1) : (250, 3);
        AnsiConsole.MarkupLine("Merge-mode sweep (6 variants x {0} seeds x {1} epochs) as the whole ./sweep run command, warm and cold silo, {2} runs each...", Seeds, epochs, repeats);
        var warm = new List<(double Seconds, double Submitted, int StoreEntries)>();
        var cold = new List<(double Seconds, double Submitted, int StoreEntries)>();
        var (warmFloor, coldFloor) = (new List<(double Seconds, double Submitted, int StoreEntries)>(), new List<(double Seconds, double Submitted, int StoreEntries)>());
        for (var run = 0; run < repeats; run++)
        {
            warm.Add(await CommandSweep.RunAsync(Seeds, epochs, warmSilo: true));
            cold.Add(await CommandSweep.RunAsync(Seeds, epochs, warmSilo: false));
            warmFloor.Add(await CommandSweep.RunFloorAsync(warmSilo: true));
            coldFloor.Add(await CommandSweep.RunFloorAsync(warmSilo: false));
        }

        var table = new Table().RoundedBorder()
            .AddColumn($"./sweep run, {6 * Seeds} x {epochs}")
            .AddColumn(new TableColumn("median s").RightAligned())
            .AddColumn("runs s")
            .AddColumn(new TableColumn("submitted s").RightAligned())
            .AddColumn(new TableColumn("store entries").RightAligned());
        void Row(string what, List<(double Seconds, double Submitted, int StoreEntries)> runs) => table.AddRow(
            what, F(Median(runs.Select(r => r.Seconds))), string.Join(", ", runs.Select(r => F(r.Seconds))),
            F(Median(runs.Select(r => r.Submitted))), string.Join(", ", runs.Select(r => r.StoreEntries).Distinct()));
        Row("warm silo", warm);
        Row("cold (starts the silo)", cold);
        Row($"floor ({CommandSweep.FloorDescription}), warm silo", warmFloor);
        Row($"floor ({CommandSweep.FloorDescription}), cold", coldFloor);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]Each run in a fresh SWEEP_HOME; warm: its silo was started by a small sweep before. Submitted: when the command said so. "
            + "Store entries: files and folders the sweep added under SWEEP_HOME/store. "
            + "Floor: the same command for the same six variants with one seed and one epoch, i.e. its fixed cost.[/]");
        return 0;
    }
}
