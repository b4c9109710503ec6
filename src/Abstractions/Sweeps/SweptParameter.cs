namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One swept key of a spec (a <see cref="SweepKey"/> by its <see cref="Name"/>): its <see cref="Values"/> in their spec
/// spelling, or for random search a <see cref="Distribution"/> instead, and when it applies (<see cref="When"/>: every
/// named key has one of the listed values; null: the key's <see cref="SweepKey.DefaultWhen"/>, for most keys always).
/// A trial it does not apply to keeps the key's fixed or default value and shows an empty cell in its column.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweptParameter")]
public sealed record SweptParameter(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> Values,
    [property: Id(2)] Distribution? Distribution = null,
    [property: Id(3)] IReadOnlyDictionary<string, IReadOnlyList<string>>? When = null);
