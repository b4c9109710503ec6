using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// What the pages of trials say about each configuration, gathered as they stream by for the report and loss.png:
/// each configuration's values of the <paramref name="swept"/> parameters, and the trials
/// the leaderboard ranks, each kept as the few fields <see cref="ConfigurationRanking"/> reads (a configuration's
/// seeds share one <see cref="PlannedTrial"/>): about 150 bytes a trial, 15 MB at 100,000 trials.
/// </summary>
public sealed class ConfigurationScores(IReadOnlyList<string> swept, SweepMetric? metric = null)
{
    private readonly Dictionary<string, PlannedTrial> _configurations = [];
    private readonly List<TrialSummary> _trials = [];

    /// <summary>The swept parameters, as the spec names them, in the order the trials first name them.</summary>
    public IReadOnlyList<string> Swept => swept;

    public void Add(TrialSummary trial)
    {
        if (!_configurations.TryGetValue(trial.Trial.Variant, out var shared))
        {
            shared = trial.Trial;
            _configurations.Add(trial.Trial.Variant, shared);
        }

        _trials.Add(new TrialSummary(
            shared, trial.Status, trial.Epochs, null, trial.BestLoss, null, trial.FinalLoss, null, trial.TestAccuracy, 0, null,
            FinalMetric: trial.FinalMetric, BestMetric: trial.BestMetric));
    }

    /// <summary>The leaderboard: every configuration ranked as the CLI ranks it, best first.</summary>
    /// <summary>The sweep's objective, which ranks the configurations.</summary>
    public SweepMetric Metric { get; } = metric ?? SweepMetric.Default;

    public IReadOnlyList<ConfigurationRow> Rank() => ConfigurationRanking.Rank(_trials, Metric);

    /// <summary>A configuration's swept parameter values (empty for one the trials never named).</summary>
    public IReadOnlyDictionary<string, string> Parameters(string variant) =>
        _configurations.TryGetValue(variant, out var trial) ? trial.Parameters : new Dictionary<string, string>();
}
