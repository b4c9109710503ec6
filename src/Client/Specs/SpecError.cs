namespace SweepCluster.Client.Specs;

/// <summary>One problem in a sweep spec, located by its path (<c>parameters.merge_mode[2]</c>).</summary>
public sealed record SpecError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
