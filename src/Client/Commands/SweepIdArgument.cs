using System.CommandLine;

namespace SweepCluster.Client.Commands;

/// <summary>The <c>&lt;sweep-id&gt;</c> argument that watch, cancel and results share.</summary>
internal static class SweepIdArgument
{
    public static Argument<string> Create() => new("sweep-id") { Description = "The sweep's id, as run and list print it" };
}
