namespace SweepCluster.Observability.Tests;

/// <summary>
/// A Prometheus template variable's query, <c>label_values(label)</c> or <c>label_values(series selector, label)</c>,
/// which Grafana answers from <c>/api/v1/label/&lt;label&gt;/values?match[]=&lt;selector&gt;</c>.
/// </summary>
public sealed record LabelValuesQuery(string? Match, string Label)
{
    private const string Function = "label_values(";

    public static LabelValuesQuery Parse(string query)
    {
        var text = query.Trim();
        if (!text.StartsWith(Function, StringComparison.Ordinal) || !text.EndsWith(')'))
        {
            throw new FormatException($"'{query}' is not label_values(...)");
        }

        var arguments = text[Function.Length..^1];
        var comma = LastTopLevelComma(arguments);
        return comma < 0
            ? new LabelValuesQuery(null, arguments.Trim())
            : new LabelValuesQuery(arguments[..comma].Trim(), arguments[(comma + 1)..].Trim());
    }

    /// <summary>The comma between selector and label: not one inside the selector's braces or quotes.</summary>
    private static int LastTopLevelComma(string arguments)
    {
        var (depth, quoted, last) = (0, false, -1);
        for (var i = 0; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '{' or '(' when !quoted:
                    depth++;
                    break;
                case '}' or ')' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    last = i;
                    break;
            }
        }

        return last;
    }
}
