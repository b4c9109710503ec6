namespace SweepCluster.Observability.Tests;

/// <summary>One series of an instant query's result: its labels (the metric name as <c>__name__</c>, when kept) and its value.</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.GetValueOrDefault(name, "");

    public override string ToString() => $"{{{string.Join(", ", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value}";
}
