using System.Globalization;
using System.Text.Json.Serialization;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// The spec's swept keys (<c>parameters:</c>) in <see cref="SweepKeys"/> order, each a column of results.csv. A key
/// not listed keeps its fixed or default value in every trial.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepGrid")]
public sealed record SweepGrid
{
    [Id(7)]
    private readonly IReadOnlyList<SweptParameter>? _parameters;

    public SweepGrid(IReadOnlyList<SweptParameter> parameters) => _parameters = parameters;

    public static SweepGrid Empty { get; } = new([]);

    public IReadOnlyList<SweptParameter> Parameters
    {
        get => _parameters ?? FromFixedLists();
        init => _parameters = value;
    }

    // A sweep stored before any key was sweepable (grain state of an older build) holds five fixed lists instead; they
    // are read back so that its trials are expanded exactly as they were. Nothing writes them any more.
    [Id(0), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Direction>? Directions { get; init; }

    [Id(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MergeMode>? MergeModes { get; init; }

    [Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int?>? Hidden { get; init; }

    [Id(3), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? Layers { get; init; }

    [Id(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? LearningRates { get; init; }

    [Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Swept { get; init; }

    [Id(6), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, Distribution>? Distributions { get; init; }

    public SweptParameter? Find(string name) => Parameters?.FirstOrDefault(p => p is not null && p.Name == name);

    /// <summary>
    /// The parameter's condition: its own <c>when</c>, or its key's default (merge_mode: bidirectional only), and what its
    /// key requires (an optimizer's setting: that optimizer), where both name a key the values they share.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>>? ConditionOf(SweptParameter parameter)
    {
        var key = SweepKeys.Find(parameter.Name);
        var when = parameter.When ?? key?.DefaultWhen;
        if (key?.Requires is not { } requires || when is null)
        {
            return when ?? key?.Requires;
        }

        var both = new Dictionary<string, IReadOnlyList<string>>(when);
        foreach (var (name, values) in requires)
        {
            both[name] = both.TryGetValue(name, out var given) ? [.. (given ?? []).Intersect(values)] : values;
        }

        return both;
    }

    /// <summary>The old lists as parameters: those the spec listed, or that differ from the defaults they held otherwise.</summary>
    private List<SweptParameter> FromFixedLists()
    {
        if (Swept is null)
        {
            return null!; // neither shape: the validator reports "parameters is missing"
        }

        var lists = new (string Name, IEnumerable<string?>? Values, string? Default)[]
        {
            ("direction", Directions?.Select(Names.Of), "bidirectional"),
            ("merge_mode", MergeModes?.Select(Names.Of), "concat"),
            ("hidden", Hidden?.Select(h => h?.ToString(CultureInfo.InvariantCulture)), null),
            ("layers", Layers?.Select(l => l.ToString(CultureInfo.InvariantCulture)), "1"),
            ("learning_rate", LearningRates?.Select(r => r.ToString("R", CultureInfo.InvariantCulture)), "0.001"),
        };
        var parameters = new List<SweptParameter>();
        foreach (var (name, values, fallback) in lists)
        {
            if (Distributions?.GetValueOrDefault(name) is { } distribution)
            {
                parameters.Add(new SweptParameter(name, [], distribution));
            }
            else if (values?.ToList() is { } listed && (Swept.Contains(name) || listed.Count != 1 || listed[0] != fallback))
            {
                parameters.Add(new SweptParameter(name, [.. listed.OfType<string>()]));
            }
        }

        return parameters;
    }
}
