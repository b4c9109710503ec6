using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

public sealed class RandomSearchTests
{
    private const string Spec = """
        name: random
        task: cumsum
        method: random
        trials: 12
        parameters:
          direction: [forward, backward, bidirectional]
          merge_mode: { choice: [concat, sum, mul, ave] }
          hidden: { int_uniform: [8, 64] }
          learning_rate: { log_uniform: [0.0003, 0.01] }
        repeats: 2
        epochs: 5
        """;

    [Fact]
    public void TheSameSpecSamplesTheSameConfigurations()
    {
        var first = SweepPlanner.Expand(SweepSpecParser.Parse(Spec).Spec);
        var again = SweepPlanner.Expand(SweepSpecParser.Parse(Spec).Spec);
        var otherSeed = SweepPlanner.Expand(SweepSpecParser.Parse(Spec, overrides: ["seed=1"]).Spec);

        Assert.Equal(first.Select(t => t.Config), again.Select(t => t.Config));
        Assert.NotEqual(first.Select(t => (t.Config.Hidden, t.Config.LearningRate)), otherSeed.Select(t => (t.Config.Hidden, t.Config.LearningRate)));
    }

    [Fact]
    public void SamplesStayInsideTheirDistributionsAndMergeModesOnlyGoToBidirectional()
    {
        var trials = SweepPlanner.Expand(SweepSpecParser.Parse(Spec).Spec);

        Assert.Equal(24, trials.Count);
        Assert.Equal(12, trials.Select(t => t.Variant).Distinct().Count());
        Assert.All(trials, t => Assert.InRange(t.Config.HiddenOrDefault, 8, 64));
        Assert.All(trials, t => Assert.InRange(t.Config.LearningRate, 0.0003, 0.01));
        Assert.All(trials.Where(t => t.Config.Direction != Direction.Bidirectional), t => Assert.Equal("", t.Parameters["merge_mode"]));
        Assert.True(trials.Select(t => t.Config.HiddenOrDefault).Distinct().Count() > 3, "hidden sizes should vary");
        Assert.All(trials, t => Assert.Empty(t.Config.Validate()));
        Assert.Equal(["direction", "merge_mode", "hidden", "learning_rate"], trials[0].Parameters.Keys);
        Assert.Contains("-h", trials[0].Variant);
        Assert.Contains("-lr", trials[0].Variant);
    }

    [Fact]
    public void LogUniformSpreadsOverDecades()
    {
        var trials = SweepPlanner.Expand(SweepSpecParser.Parse(Spec, overrides: ["trials=200", "repeats=1"]).Spec);

        var belowOneThousandth = trials.Count(t => t.Config.LearningRate < 0.001);
        Assert.InRange(belowOneThousandth, 40, 120); // log-uniform puts ~47% below 1e-3; uniform would put ~7%
    }

    [Theory]
    [InlineData("method: random\nparameters: { hidden: [10] }", "trials", "is required for method: random")]
    [InlineData("trials: 5\nparameters: { hidden: [10] }", "trials", "only applies to method: random")]
    [InlineData("parameters: { learning_rate: { log_uniform: [0.001, 0.1] } }", "parameters.learning_rate.log_uniform", "need method: random")]
    [InlineData("method: random\ntrials: 3\nparameters: { hidden: { log_uniform: [8, 64] } }", "parameters.hidden.log_uniform", "does not apply to hidden")]
    [InlineData("method: random\ntrials: 3\nparameters: { hidden: { int_uniform: [64, 8] } }", "parameters.hidden.int_uniform", "low < high")]
    [InlineData("method: random\ntrials: 3\nparameters: { learning_rate: { normal: [0, 1] } }", "parameters.learning_rate.normal", "unknown distribution")]
    [InlineData("method: bayes", "method", "'bayes' is not one of grid, random")]
    public void ABadRandomSearchIsRejectedWithItsField(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse("task: cumsum\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message));
    }
}
