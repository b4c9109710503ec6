using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Tests;

/// <summary>The spec keys <c>metric</c> and <c>validate_every</c>: defaults, goals, cadences, and bad values named by path.</summary>
public sealed class MetricSpecTests
{
    private const string Base = """
        name: metric
        task: cumsum
        epochs: 250
        """;

    private static SweepSpec Parse(string extra, string @base = Base) => SweepSpecParser.Parse(@base + "\n" + extra).Spec;

    [Fact]
    public void WithoutAMetricTheSweepMinimizesTrainingLossAndDoesNotValidate()
    {
        var spec = Parse("");

        Assert.Null(spec.Metric);
        Assert.Equal(new SweepMetric(MetricName.Loss, MetricGoal.Minimize), spec.Objective);
        Assert.Null(spec.ValidationCadence);
        Assert.All(SweepPlanner.Expand(spec), t => Assert.Null(t.Config.ValidateEvery));
    }

    [Theory]
    [InlineData("metric: { name: val_loss }", MetricName.ValLoss, MetricGoal.Minimize)]
    [InlineData("metric: { name: val_acc }", MetricName.ValAccuracy, MetricGoal.Maximize)]
    [InlineData("metric: { name: acc }", MetricName.Accuracy, MetricGoal.Maximize)]
    [InlineData("metric: { name: loss }", MetricName.Loss, MetricGoal.Minimize)]
    [InlineData("metric: val_acc", MetricName.ValAccuracy, MetricGoal.Maximize)]
    [InlineData("metric: { name: val_acc, goal: minimize }", MetricName.ValAccuracy, MetricGoal.Minimize)]
    public void TheGoalDefaultsFromTheName(string yaml, MetricName name, MetricGoal goal)
    {
        Assert.Equal(new SweepMetric(name, goal), Parse(yaml).Metric);
    }

    [Fact]
    public void AValidationMetricValidatesAtTheTasksCadenceUnlessValidateEverySaysOtherwise()
    {
        // cumsum: about 20 validations per trial; sentiment and moving-square: every epoch.
        Assert.Equal(13, Parse("metric: val_loss").ValidationCadence);
        Assert.Equal(1, Parse("metric: val_loss", "name: m\ntask: cumsum\nepochs: 15").ValidationCadence);
        Assert.Equal(1, Parse("metric: val_acc", "name: s\ntask: sentiment\nepochs: 3").ValidationCadence);
        Assert.Equal(1, Parse("metric: val_acc", "name: s\ntask: moving-square\nepochs: 2").ValidationCadence);
        Assert.Equal(5, Parse("metric: val_loss\nvalidate_every: 5").ValidationCadence);

        // validate_every alone validates (for the curves) and leaves the objective training loss.
        var reported = Parse("validate_every: 50");
        Assert.Equal(50, reported.ValidationCadence);
        Assert.Equal(SweepMetric.Default, reported.Objective);
        Assert.All(SweepPlanner.Expand(reported), t => Assert.Equal(50, t.Config.ValidateEvery));
    }

    [Fact]
    public void ValidatingTrialsAreOtherTrialsButTheDefaultKeepsItsTrialIds()
    {
        var plain = SweepPlanner.Expand(Parse(""));
        var validated = SweepPlanner.Expand(Parse("validate_every: 10"));

        // The JSON of a config without validation is what it was before validate_every existed: no new key in it.
        Assert.DoesNotContain("ValidateEvery", System.Text.Json.JsonSerializer.Serialize(plain[0].Config));
        Assert.NotEqual(plain[0].Id, validated[0].Id);
        Assert.Equal(plain[0].Id, SweepPlanner.Expand(Parse("metric: loss"))[0].Id);
    }

    [Fact]
    public void StopWhenTakesValidationTargets()
    {
        Assert.Equal(new StopTarget(ValLoss: 0.3, ValAccuracy: 0.9), Parse("metric: val_loss\nstop_when: { val_loss: 0.3, val_acc: 0.9 }").StopWhen);
    }

    [Theory]
    [InlineData("metric: { name: val_los }", "metric.name", "'val_los' is not one of val_loss, val_acc, loss, acc")]
    [InlineData("metric: f1", "metric", "'f1' is not one of val_loss, val_acc, loss, acc")]
    [InlineData("metric: { goal: maximize }", "metric.name", "is required")]
    [InlineData("metric: { name: val_loss, goal: up }", "metric.goal", "'up' is not one of minimize, maximize")]
    [InlineData("metric: { name: val_loss, mode: min }", "metric.mode", "unknown key (known: name, goal)")]
    [InlineData("metric: [val_loss]", "metric", "must be a mapping such as { name: val_loss, goal: minimize }")]
    [InlineData("validate_every: 0", "validate_every", "must be at least 1")]
    [InlineData("validate_every: 251", "validate_every", "must be at most 250")]
    [InlineData("validate_every: 99999999999999999999", "validate_every", "must be at most")]
    [InlineData("validate_every: often", "validate_every", "'often' is not a whole number")]
    [InlineData("stop_when: { val_loss: 0.3 }", "stop_when.val_loss", "needs trials that validate")]
    [InlineData("metric: val_acc\nstop_when: { val_acc: 2 }", "stop_when.val_acc", "must be between 0 and 1")]
    [InlineData("metric: val_loss\nstop_when: { val_loss: -1 }", "stop_when.val_loss", "must be between 0 and")]
    public void ABadSettingIsRejectedWithItsPath(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(Base + "\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void TheSweepGrainsValidatorRejectsWhatAClientMightSendUnchecked()
    {
        var valid = Parse("metric: val_loss");

        Assert.Empty(SweepSpecValidator.Validate(valid));
        Assert.Contains(SweepSpecValidator.Validate(valid with { ValidateEvery = 0 }), e => e.Field == "validate_every");
        Assert.Contains(SweepSpecValidator.Validate(valid with { ValidateEvery = int.MaxValue }), e => e.Field == "validate_every");
        Assert.Contains(SweepSpecValidator.Validate(valid with { Metric = new SweepMetric((MetricName)17, MetricGoal.Minimize) }), e => e.Field == "metric.name");
        Assert.Contains(SweepSpecValidator.Validate(valid with { Metric = new SweepMetric(MetricName.ValLoss, (MetricGoal)9) }), e => e.Field == "metric.goal");
        Assert.Contains(SweepSpecValidator.Validate(valid with { StopWhen = new StopTarget(ValLoss: double.NaN) }), e => e.Field == "stop_when.val_loss");
    }
}
