using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Tests;

/// <summary>The spec keys for early stopping, budgets and the target: defaults, forms, and bad values named by path.</summary>
public sealed class EarlyStoppingSpecTests
{
    private const string Base = """
        name: es
        task: cumsum
        epochs: 250
        """;

    private static SweepSpec Parse(string extra) => SweepSpecParser.Parse(Base + "\n" + extra).Spec;

    [Fact]
    public void ARuleNameAloneTakesTheRulesDefaults()
    {
        Assert.Equal(new EarlyStopping(StoppingRuleKind.Asha, MinEpochs: 9, Eta: 3), Parse("early_stopping: asha").EarlyStopping);
        Assert.Equal(new EarlyStopping(StoppingRuleKind.Median, GraceEpochs: 25, MinCompleted: 3), Parse("early_stopping: median").EarlyStopping);
        Assert.Null(Parse("").EarlyStopping);
    }

    [Fact]
    public void AMappingSetsTheRulesSettings()
    {
        Assert.Equal(new EarlyStopping(StoppingRuleKind.Asha, MinEpochs: 10, Eta: 4), Parse("early_stopping: { rule: asha, min_epochs: 10, eta: 4 }").EarlyStopping);
        Assert.Equal(
            new EarlyStopping(StoppingRuleKind.Median, GraceEpochs: 50, MinCompleted: 5),
            Parse("early_stopping: { rule: median, grace_epochs: 50, min_completed: 5 }").EarlyStopping);
    }

    [Fact]
    public void BudgetsAndTheTargetAreRead()
    {
        var spec = Parse("max_trials: 12\nmax_epochs_total: 100000\ntime_limit: 1h30m\nstop_when: { loss: 0.05, accuracy: 0.99 }");

        Assert.Equal(new SweepBudget(12, 100_000, TimeSpan.FromMinutes(90)), spec.Budget);
        Assert.Equal(new StopTarget(0.05, 0.99), spec.StopWhen);
        Assert.Equal(TimeSpan.FromSeconds(90), Parse("time_limit: 90s").Budget!.TimeLimit);
        Assert.Equal(TimeSpan.FromDays(1.5), Parse("time_limit: 1.5d").Budget!.TimeLimit);
        Assert.Null(Parse("").Budget);
    }

    [Theory]
    [InlineData("early_stopping: hyperband", "early_stopping", "'hyperband' is not one of median, asha")]
    [InlineData("early_stopping: { rule: sometimes }", "early_stopping.rule", "'sometimes' is not one of median, asha")]
    [InlineData("early_stopping: { eta: 3 }", "early_stopping.rule", "is required")]
    [InlineData("early_stopping: { rule: asha, grace_epochs: 5 }", "early_stopping.grace_epochs", "unknown key (known: rule, min_epochs, eta)")]
    [InlineData("early_stopping: { rule: median, eta: 3 }", "early_stopping.eta", "unknown key (known: rule, grace_epochs, min_completed)")]
    [InlineData("early_stopping: { rule: asha, eta: 1 }", "early_stopping.eta", "must be at least 2")]
    [InlineData("early_stopping: { rule: asha, min_epochs: 250 }", "early_stopping.min_epochs", "must be below epochs (250)")]
    [InlineData("early_stopping: { rule: median, grace_epochs: 300 }", "early_stopping.grace_epochs", "must be below epochs (250)")]
    [InlineData("early_stopping: { rule: median, min_completed: 0 }", "early_stopping.min_completed", "must be at least 1")]
    [InlineData("max_trials: 0", "max_trials", "must be at least 1")]
    [InlineData("max_epochs_total: lots", "max_epochs_total", "'lots' is not a whole number")]
    [InlineData("time_limit: 30 minutes", "time_limit", "'30 minutes' is not a duration such as 90s, 30m, 2h or 1h30m")]
    [InlineData("time_limit: 0s", "time_limit", "must be longer than zero")]
    [InlineData("stop_when: 0.05", "stop_when", "must be a mapping with loss and/or accuracy")]
    [InlineData("stop_when: { los: 0.05 }", "stop_when.los", "unknown key (known: loss, accuracy, val_loss, val_acc)")]
    [InlineData("stop_when: { accuracy: 99 }", "stop_when.accuracy", "must be between 0 and 1")]
    [InlineData("stop_when: { loss: low }", "stop_when.loss", "'low' is not a number")]
    public void ABadSettingIsRejectedWithItsPath(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(Base + "\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void SetOverridesReachEarlyStoppingSettings()
    {
        var spec = SweepSpecParser.Parse(Base + "\nearly_stopping: { rule: asha, min_epochs: 10 }", overrides: ["early_stopping.eta=2", "time_limit=10m"]).Spec;

        Assert.Equal(new EarlyStopping(StoppingRuleKind.Asha, MinEpochs: 10, Eta: 2), spec.EarlyStopping);
        Assert.Equal(TimeSpan.FromMinutes(10), spec.Budget!.TimeLimit);
    }
}
