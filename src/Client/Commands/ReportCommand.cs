using System.CommandLine;
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
    public static Command Create() => ResultsCommand.Create(
        "report", "Write a sweep's results directory and print the path of its report.html (charts, opens offline)", printLeaderboard: false);
}
