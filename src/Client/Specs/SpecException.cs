namespace SweepCluster.Client.Specs;

/// <summary>A sweep spec was rejected before anything ran; every problem is listed.</summary>
public sealed class SpecException(string source, IReadOnlyList<SpecError> errors)
    : Exception($"{source} is not a valid sweep spec:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
