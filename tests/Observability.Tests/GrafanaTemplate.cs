using System.Text.RegularExpressions;

namespace SweepCluster.Observability.Tests;

/// <summary>
/// What Grafana does to a query before it sends it to Prometheus: template variables (<c>$name</c>,
/// <c>${name}</c>, <c>${name:format}</c>, <c>[[name]]</c>) become their values and its macros fixed durations.
/// A name that is neither a variable nor a known macro is an error, as it would reach Prometheus unreplaced.
/// </summary>
public static partial class GrafanaTemplate
{
    /// <summary>What the macros stand for here: a dashboard over the last 5 minutes, data points every 5 s.</summary>
    public static IReadOnlyDictionary<string, string> Macros { get; } = new Dictionary<string, string>
    {
        ["__rate_interval"] = "30s",
        ["__interval"] = "5s",
        ["__interval_ms"] = "5000",
        ["__range"] = "5m",
        ["__range_s"] = "300",
        ["__range_ms"] = "300000",
    };

    public static string Interpolate(string expr, IReadOnlyDictionary<string, string> variables) =>
        Reference().Replace(expr, match =>
        {
            var name = match.Groups["name"].Value;
            return variables.TryGetValue(name, out var value) || Macros.TryGetValue(name, out value)
                ? value
                : throw new KeyNotFoundException($"'{match.Value}' in {expr} is neither a variable of the dashboard nor a Grafana macro");
        });

    /// <summary>
    /// A value as Grafana's Prometheus datasource writes it into a query: regex-escaped for a multi-value or
    /// include-All variable (it is meant for <c>=~</c>), otherwise only backslashes and quotes escaped.
    /// </summary>
    public static string Escape(string value, bool regex) =>
        regex
            ? RegexSpecial().Replace(value.Replace("\\", @"\\\\", StringComparison.Ordinal), @"\\$0")
            : value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("'", @"\\'", StringComparison.Ordinal);

    [GeneratedRegex(@"\$\{(?<name>\w+)(?::\w+)?\}|\$(?<name>\w+)|\[\[(?<name>\w+)\]\]")]
    private static partial Regex Reference();

    [GeneratedRegex(@"[$^*{}\[\]'+?.()|]")]
    private static partial Regex RegexSpecial();
}
