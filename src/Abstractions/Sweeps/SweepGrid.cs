namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// The spec's swept keys (<c>parameters:</c>) in <see cref="SweepKeys"/> order, each a column of results.csv. A key
/// not listed keeps its fixed or default value in every trial. (Ids 0-6 held the five fixed lists of old; not reused.)
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepGrid")]
public sealed record SweepGrid([property: Id(7)] IReadOnlyList<SweptParameter> Parameters)
{
    public static SweepGrid Empty { get; } = new([]);

    public SweptParameter? Find(string name) => Parameters?.FirstOrDefault(p => p.Name == name);

    /// <summary>The parameter's condition: its own <c>when</c>, or its key's default (merge_mode: bidirectional only).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>>? ConditionOf(SweptParameter parameter) =>
        parameter.When ?? SweepKeys.Find(parameter.Name)?.DefaultWhen;
}
