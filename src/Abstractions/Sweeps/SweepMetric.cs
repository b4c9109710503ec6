using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A spec's <c>metric</c>: the objective that ranks trials and drives early stopping and <c>stop_when</c>. The rules and
/// rankings compare <see cref="Score"/>, which is lower-is-better whatever the goal, so they need no second code path.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepMetric")]
public sealed record SweepMetric([property: Id(0)] MetricName Name, [property: Id(1)] MetricGoal Goal)
{
    /// <summary>No <c>metric</c> in the spec: the training loss, minimized (today's behaviour).</summary>
    public static SweepMetric Default { get; } = new(MetricName.Loss, MetricGoal.Minimize);

    /// <summary>The metric is measured on held-out data, so the trials must validate.</summary>
    public bool IsValidation => Name is MetricName.ValLoss or MetricName.ValAccuracy;

    /// <summary>The spec spelling: <c>loss</c>, <c>acc</c>, <c>val_loss</c>, <c>val_acc</c> (also results.csv's column stem).</summary>
    public string SpecName => SpecNameOf(Name);

    /// <summary>The goal a name implies: losses are minimized, accuracies maximized.</summary>
    public static MetricGoal NaturalGoal(MetricName name) => name is MetricName.Accuracy or MetricName.ValAccuracy ? MetricGoal.Maximize : MetricGoal.Minimize;

    public static string SpecNameOf(MetricName name) => name switch
    {
        MetricName.Accuracy => "acc",
        MetricName.ValLoss => "val_loss",
        MetricName.ValAccuracy => "val_acc",
        _ => "loss",
    };

    public static MetricName ParseName(string text, string field = "metric.name") => text.Trim() switch
    {
        "loss" => MetricName.Loss,
        "acc" => MetricName.Accuracy,
        "val_loss" => MetricName.ValLoss,
        "val_acc" => MetricName.ValAccuracy,
        _ => throw new ConfigException(field, $"'{text}' is not one of val_loss, val_acc, loss, acc"),
    };

    public static MetricGoal ParseGoal(string text, string field = "metric.goal") => text.Trim() switch
    {
        "minimize" => MetricGoal.Minimize,
        "maximize" => MetricGoal.Maximize,
        _ => throw new ConfigException(field, $"'{text}' is not one of minimize, maximize"),
    };

    /// <summary>The metric's value in an epoch; null where the epoch has none (a validation metric at an epoch not validated).</summary>
    public double? ValueOf(EpochReport epoch) => Name switch
    {
        MetricName.Accuracy => epoch.Accuracy,
        MetricName.ValLoss => epoch.ValLoss,
        MetricName.ValAccuracy => epoch.ValAccuracy,
        _ => epoch.Loss,
    };

    /// <summary>A value turned lower-is-better (maximized metrics negated), as the rules and rankings compare it.</summary>
    public double Score(double value) => Goal == MetricGoal.Maximize ? -value : value;

    /// <summary>A score turned back into the metric's value (for messages).</summary>
    public double Value(double score) => Goal == MetricGoal.Maximize ? -score : score;

    /// <summary>Whether <paramref name="value"/> is better than <paramref name="than"/> under the goal.</summary>
    public bool IsBetter(double value, double than) => Score(value) < Score(than);
}
