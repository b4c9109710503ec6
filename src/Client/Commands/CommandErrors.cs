using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Commands;

/// <summary>Turns the problems a user can fix into a clear message and exit code 2, rather than a stack trace.</summary>
internal static class CommandErrors
{
    public static async Task<int> Guard(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        // SpecRejectedException: the sweep grain refused the spec (a client whose checks differ from the cluster's).
        catch (Exception e) when (e is SpecException or SpecRejectedException or UserException or FileNotFoundException)
        {
            AnsiConsole.MarkupLine("[red]{0}[/]", Markup.Escape(Printable(e.Message)));
            return 2;
        }
    }

    /// <summary>Messages quote what the user wrote: control characters (a terminal escape in a spec key) print as '?'.</summary>
    private static string Printable(string message) =>
        string.Concat(message.Select(c => char.IsControl(c) && c != '\n' ? '?' : c));

    public static void Say(string message) => AnsiConsole.MarkupLine("[grey]{0}[/]", Markup.Escape(message));
}
