namespace SweepCluster.Experiments;

/// <summary>A configuration was rejected; <see cref="Errors"/> lists every problem, each naming its field.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public ConfigException(string field, string message)
        : this([new ConfigError(field, message)])
    {
    }

    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
