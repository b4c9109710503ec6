using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;
using SweepCluster.Client.Specs;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

/// <summary>Adam's beta_1, beta_2 and epsilon as spec keys: fixed or swept, checked by their names, columns of results.csv.</summary>
public sealed class AdamKeysTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("adam-keys-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("parameters: { beta_1: 1 }", "parameters.beta_1[0]", "must be a number at least 0 and below 1, got 1")]
    [InlineData("parameters: { beta_1: [0.5, -0.1] }", "parameters.beta_1[1]", "must be a number at least 0 and below 1")]
    [InlineData("parameters: { beta_2: [.nan] }", "parameters.beta_2[0]", "is not a number")]
    [InlineData("parameters: { beta_2: [1e308000] }", "parameters.beta_2[0]", "is not a number")]
    [InlineData("parameters: { beta_2: [red] }", "parameters.beta_2[0]", "is not a number")]
    [InlineData("parameters: { epsilon: 0 }", "parameters.epsilon[0]", "must be a number between 1E-30 and 1, got 0")]
    [InlineData("parameters: { epsilon: [1e-300] }", "parameters.epsilon[0]", "must be a number between 1E-30 and 1")]
    [InlineData("parameters: { epsilon: [2] }", "parameters.epsilon[0]", "must be a number between 1E-30 and 1, got 2")]
    [InlineData("parameters: { epsilon: [.inf] }", "parameters.epsilon[0]", "is not a number")]
    [InlineData("parameters: { beta_1: { uniform: [0.5, 1] } }", "parameters.beta_1.uniform", "distributions need method: random or tpe")]
    [InlineData("method: random\ntrials: 3\nparameters: { beta_1: { uniform: [0.5, 1] } }", "parameters.beta_1.uniform", "0 <= low < high <= 0.9999, got [0.5, 1]")]
    [InlineData("method: tpe\ntrials: 3\nparameters: { beta_2: { log_uniform: [0, 0.99] } }", "parameters.beta_2.log_uniform", "must have low above 0")]
    [InlineData("method: random\ntrials: 3\nparameters: { epsilon: { log_uniform: [1e-40, 1e-3] } }", "parameters.epsilon.log_uniform", "1E-30 <= low < high <= 1, got [1E-40, 0.001]")]
    [InlineData("method: random\ntrials: 3\nparameters: { epsilon: { int_uniform: [1, 2] } }", "parameters.epsilon.int_uniform", "does not apply to epsilon")]
    [InlineData("beta_1: 0.9", "beta_1", "unknown key")]
    public void ABadAdamSettingIsRejectedWithItsName(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse("name: bad\ntask: cumsum\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TheSweepGrainRefusesHostileAdamSettingsItIsSentDirectly()
    {
        // What a client that skips the parser could send: the validator the grain runs names each field.
        var spec = SweepSpecParser.Parse("name: ok\ntask: cumsum\nmethod: random\ntrials: 2\nparameters: { beta_1: [0.5] }\n").Spec with
        {
            Grid = new SweepGrid(
            [
                new SweptParameter("beta_1", ["1"]),
                new SweptParameter("beta_2", [], new Distribution(DistributionKind.Uniform, 0.5, double.PositiveInfinity)),
                new SweptParameter("epsilon", ["-1E-07"]),
            ]),
        };

        var errors = SweepSpecValidator.Validate(spec);

        Assert.Contains(errors, e => e.Field == "parameters.beta_1[0]" && e.Message.Contains("below 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "parameters.beta_2.uniform" && e.Message.Contains("<= 0.9999", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "parameters.epsilon[0]" && e.Message.Contains("between 1E-30 and 1", StringComparison.Ordinal));
        Assert.Contains(new TrialConfig { Beta2 = double.NaN }.Validate(), e => e.Field == "beta_2");
    }

    [Fact]
    public void SpecsThatDoNotSetThemKeepTheirTrialsAndKerasDefaultsAreTheSameTrials()
    {
        const string plain = "name: p\ntask: cumsum\nparameters: { direction: [forward, backward] }\nepochs: 5\n";
        var before = SweepPlanner.Expand(SweepSpecParser.Parse(plain).Spec);
        var keras = SweepPlanner.Expand(SweepSpecParser.Parse(plain.Replace("backward] }", "backward], beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }", StringComparison.Ordinal)).Spec);
        var changed = SweepPlanner.Expand(SweepSpecParser.Parse(plain.Replace("backward] }", "backward], epsilon: 1e-3 }", StringComparison.Ordinal)).Spec);

        Assert.All(before, t => Assert.Equal(OptimizerSettings.Keras, t.Config.OptimizerSettings));
        Assert.All(before, t => Assert.DoesNotContain("beta", System.Text.Json.JsonSerializer.Serialize(t.Config), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before.Select(t => t.Id), keras.Select(t => t.Id));
        Assert.Empty(before.Select(t => t.Id).Intersect(changed.Select(t => t.Id)));
        Assert.All(changed, t => Assert.Equal(OptimizerSettings.Keras with { Epsilon = 1e-3 }, t.Config.OptimizerSettings));
    }

    [Fact]
    public async Task AGridOverBeta2ExpandsToItsValuesWithABeta2Column()
    {
        var planned = SweepPlanner.Expand(SweepSpecParser.Parse("name: b2\ntask: cumsum\nparameters: { direction: [forward], beta_2: [0.99, 0.999, 0.9999] }\nrepeats: 2\n").Spec);
        var sweep = new FakeSweep(
            [.. planned.Select(t => new TrialSummary(t, TrialStatus.Completed, 250, 0.25, 0.2, 0.9, 0.25, null, null, 1, Error: null))], new Dictionary<string, TrialCurve>());

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "b2");

        Assert.Equal(6, planned.Count);
        Assert.Equal(["forward-beta2_0.99", "forward-beta2_0.999", "forward-beta2_0.9999"], planned.Select(t => t.Variant).Distinct());
        Assert.All(planned, t => Assert.Matches(Limits.TrialIdPattern, t.Id)); // the stores' names: a bad label loses the results
        Assert.Equal([0.99, 0.999, 0.9999], planned.Select(t => t.Config.OptimizerSettings.Beta2).Distinct());
        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory.FullName, "results.csv"));
        var column = Array.IndexOf(lines[0].Split(','), "beta_2");
        Assert.True(column >= 0, $"no beta_2 column in {lines[0]}");
        Assert.Equal(["0.99", "0.99", "0.999", "0.999", "0.9999", "0.9999"], lines.Skip(1).Select(l => l.Split(',')[column]).Order(StringComparer.Ordinal));
    }
}
