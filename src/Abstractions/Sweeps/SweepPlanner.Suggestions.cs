using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// <c>method: tpe</c>: the configurations come from the sweep's suggestion log (each entry the swept parameters' values
/// as the spec names them, e.g. <c>learning_rate: "0.003"</c>), in log order; a parameter an entry leaves out takes the
/// spec's only value, and one whose condition does not admit the trial keeps its default (merge_mode for forward
/// trials). An entry that repeats an earlier configuration adds no trials, so the log replays to the same trials and ids
/// it produced when the suggestions were made.
/// </summary>
public static partial class SweepPlanner
{
    private static List<TrialConfig> Suggested(
        TrialConfig baseline, IReadOnlyList<SweptParameter> ordered, IReadOnlyList<IReadOnlyDictionary<string, string>> suggestions)
    {
        var configurations = new List<TrialConfig>();
        var seen = new HashSet<TrialConfig>();
        foreach (var entry in suggestions)
        {
            var configuration = baseline;
            foreach (var parameter in ordered)
            {
                // In expansion order, so a condition sees the keys it names already set (merge_mode after direction).
                if (!Applies(parameter, configuration))
                {
                    continue;
                }

                var value = entry.TryGetValue(parameter.Name, out var text) && text.Length > 0 ? text
                    : parameter.Values.Count > 0 ? parameter.Values[0]
                    : null;
                if (value is not null)
                {
                    configuration = SweepKeys.Find(parameter.Name)!.Apply(configuration, value);
                }
            }

            if (seen.Add(configuration))
            {
                configurations.Add(configuration);
            }
        }

        return configurations;
    }
}
