using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A sweep spec was refused (by <see cref="SweepSpecValidator"/>, in the client or in the sweep grain); <see cref="Errors"/>
/// lists every problem by its spec path. Crosses the wire, so any client gets the same errors the CLI prints.
/// </summary>
[GenerateSerializer, Alias("sweep.SpecRejectedException")]
public sealed class SpecRejectedException : Exception
{
    public SpecRejectedException(IReadOnlyList<ConfigError> errors)
        : base("the sweep spec is not valid:" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e)))
    {
        Errors = errors;
    }

    [Id(0)]
    public IReadOnlyList<ConfigError> Errors { get; init; }
}
