namespace SweepCluster.Client.Specs;

/// <summary>A sweep spec was rejected before anything ran; every problem is listed.</summary>
public sealed class SpecException(string source, IReadOnlyList<SpecError> errors)
    : Exception($"{source} is not a valid sweep spec:{Environment.NewLine}" + string.Join(Environment.NewLine, Listed(errors)))
{
    /// <summary>The first problems only: a hostile spec can have a hundred thousand unknown keys.</summary>
    private const int Shown = 50;

    public IReadOnlyList<SpecError> Errors { get; } = errors;

    private static IEnumerable<string> Listed(IReadOnlyList<SpecError> errors) =>
        errors.Take(Shown).Select(e => "  " + e).Concat(errors.Count > Shown ? [$"  ... and {errors.Count - Shown} more"] : []);
}
