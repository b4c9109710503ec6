namespace SweepCluster.Experiments;

/// <summary>One problem with a configuration value, named by its field path (e.g. <c>task_options.timesteps</c>).</summary>
public sealed record ConfigError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
