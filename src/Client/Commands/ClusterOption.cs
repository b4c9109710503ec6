using System.CommandLine;

namespace SweepCluster.Client.Commands;

/// <summary>The <c>--cluster</c> option every verb that talks to silos shares; without it they use the local silo.</summary>
internal static class ClusterOption
{
    public const string Variable = "SWEEP_CLUSTER";

    public static Option<string?> Create() => new("--cluster")
    {
        Description = $"Use the cluster kept in this Redis (e.g. redis-host:6379,password=...,ssl=true) instead of the local silo; default ${Variable}",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } redis ? redis : null,
    };
}
