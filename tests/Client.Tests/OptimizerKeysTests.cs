using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;
using SweepCluster.Client.Specs;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

/// <summary>The optimizer (adam, rmsprop, sgd) and its settings as spec keys: swept, conditional on the optimizer, checked by name.</summary>
public sealed class OptimizerKeysTests : IDisposable
{
    private const string Head = "name: opt\ntask: cumsum\nepochs: 5\n";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("optimizer-keys-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("parameters: { optimizer: [adam, adagrad] }", "parameters.optimizer[1]", "'adagrad' is not one of adam, rmsprop, sgd")]
    [InlineData("parameters: { optimizer: [sgd], momentum: [0.5, 1] }", "parameters.momentum[1]", "must be a number at least 0 and below 1, got 1")]
    [InlineData("parameters: { optimizer: [rmsprop], rho: [-0.1] }", "parameters.rho[0]", "must be a number at least 0 and below 1")]
    [InlineData("parameters: { optimizer: [rmsprop], rho: [.nan] }", "parameters.rho[0]", "is not a number")]
    [InlineData("parameters: { optimizer: [sgd], nesterov: [maybe] }", "parameters.nesterov[0]", "'maybe' is not one of false, true")]
    [InlineData("parameters: { momentum: [0.9] }", "parameters.momentum", "only applies when optimizer is rmsprop, sgd, and no trial of this sweep has that")]
    [InlineData("parameters: { optimizer: [sgd], beta_1: [0.5] }", "parameters.beta_1", "only applies when optimizer is adam, and no trial")]
    [InlineData("parameters: { optimizer: [adam, sgd], momentum: { values: [0.9], when: { optimizer: [adam] } } }", "parameters.momentum.when.optimizer[0]", "momentum only applies where optimizer is rmsprop, sgd")]
    [InlineData("method: random\ntrials: 3\nparameters: { optimizer: [sgd], momentum: { uniform: [0.5, 1] } }", "parameters.momentum.uniform", "0 <= low < high <= 0.9999, got [0.5, 1]")]
    [InlineData("method: random\ntrials: 3\nparameters: { optimizer: { uniform: [0, 1] } }", "parameters.optimizer.uniform", "does not apply to optimizer (it takes only a list of values)")]
    [InlineData("optimizer: sgd", "optimizer", "unknown key")]
    public void ABadOptimizerOrSettingIsRejectedWithItsName(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(Head + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TheSweepGrainRefusesASettingOfAnotherOptimizerItIsSentDirectly()
    {
        // What a client that skips the parser could send: a condition that puts momentum on Adam trials.
        var spec = SweepSpecParser.Parse(Head + "parameters: { optimizer: [adam, sgd], momentum: [0.9] }\n").Spec with
        {
            Grid = new SweepGrid(
            [
                new SweptParameter("optimizer", ["adam", "sgd"]),
                new SweptParameter("momentum", ["0.9", "2"], When: new Dictionary<string, IReadOnlyList<string>> { ["optimizer"] = ["adam", "sgd"] }),
            ]),
        };

        var errors = SweepSpecValidator.Validate(spec);

        Assert.Contains(errors, e => e.Field == "parameters.momentum.when.optimizer[0]" && e.Message.Contains("only applies where optimizer is rmsprop, sgd", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "parameters.momentum[1]" && e.Message.Contains("below 1", StringComparison.Ordinal));
    }

    [Fact]
    public void ASweepOverOptimizersGivesEachOnlyItsOwnSettingsAndColumns()
    {
        var planned = SweepPlanner.Expand(SweepSpecParser.Parse(Head +
            "parameters: { direction: [forward], optimizer: [adam, rmsprop, sgd], momentum: [0, 0.9], nesterov: [false, true], beta_2: [0.99] }\nrepeats: 2\n").Spec);

        // adam: 1 configuration (beta_2); rmsprop: 2 (momentum); sgd: 2 x 2 (momentum, nesterov). Two seeds each.
        Assert.Equal(2 * (1 + 2 + 4), planned.Count);
        Assert.Equal(
            ["forward-adam", "forward-rmsprop-mom_0", "forward-rmsprop-mom_0.9", "forward-sgd-mom_0-nesterov_false",
                "forward-sgd-mom_0-nesterov_true", "forward-sgd-mom_0.9-nesterov_false", "forward-sgd-mom_0.9-nesterov_true"],
            planned.Select(t => t.Variant).Distinct());
        Assert.All(planned, t => Assert.Empty(t.Config.Validate()));
        Assert.All(planned, t => Assert.Matches(Limits.TrialIdPattern, t.Id));
        Assert.Equal(planned.Count, planned.Select(t => t.Id).Distinct().Count());
        var adam = planned.First(t => t.Variant.Contains("adam", StringComparison.Ordinal));
        Assert.Equal(("", "", "0.99"), (adam.Parameters["momentum"], adam.Parameters["nesterov"], adam.Parameters["beta_2"]));
        var sgd = planned.First(t => t.Variant == "forward-sgd-mom_0.9-nesterov_true");
        Assert.Equal(OptimizerSettings.Keras with { Kind = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true }, sgd.Config.OptimizerSettings);
        Assert.Equal("", sgd.Parameters["beta_2"]);
    }

    [Fact]
    public void AVariantTooLongForAStoreNameStillGetsATrialIdEveryStoreKeeps()
    {
        // Many swept keys at long exact values can make a variant longer than a trial id (a file name) may be.
        var planned = SweepPlanner.Expand(SweepSpecParser.Parse(Head +
            "parameters: { direction: [bidirectional], merge_mode: [concat, sum], hidden: [8, 9], layers: [1, 2], batch_size: [1, 2], task_options.timesteps: [9, 10], " +
            "task_options.steps_per_epoch: [999999, 1000000], optimizer: [rmsprop], momentum: [0.12345678901234567, 0.22345678901234567], " +
            "rho: [0.32345678901234567, 0.42345678901234567], epsilon: [1.2345678901234567e-5, 2.2345678901234567e-5] }\nmethod: random\ntrials: 20\n").Spec);
        var config = planned[0].Config;
        var variant = string.Join('-', Enumerable.Repeat(planned[0].Variant, 2));

        Assert.Equal(20, planned.Count);
        Assert.All(planned, t => Assert.Matches(Limits.TrialIdPattern, t.Id));
        Assert.Equal(planned.Count, planned.Select(t => t.Id).Distinct().Count());
        Assert.True(variant.Length > Limits.MaxTrialIdLength, $"{variant.Length} characters");
        var id = SweepPlanner.TrialId(variant, config);
        Assert.Matches(Limits.TrialIdPattern, id);
        Assert.Equal(Limits.MaxTrialIdLength, id.Length);
        Assert.EndsWith(planned[0].Id[^14..], id, StringComparison.Ordinal); // the seed and the configuration's hash are kept
        Assert.StartsWith("cumsum-" + variant[..50], id, StringComparison.Ordinal);
        Assert.NotEqual(id, SweepPlanner.TrialId(variant, config with { Seed = 1 }));
    }

    [Fact]
    public void AdamChosenByNameIsTheSameTrialAsLeavingTheOptimizerOut()
    {
        var plain = SweepPlanner.Expand(SweepSpecParser.Parse(Head + "parameters: { direction: [forward, backward] }\n").Spec);
        var named = SweepPlanner.Expand(SweepSpecParser.Parse(Head + "parameters: { direction: [forward, backward], optimizer: adam }\n").Spec);
        var sgd = SweepPlanner.Expand(SweepSpecParser.Parse(Head + "parameters: { direction: [forward, backward], optimizer: sgd }\n").Spec);

        Assert.Equal(plain.Select(t => t.Id), named.Select(t => t.Id));
        Assert.All(plain, t => Assert.DoesNotContain("Optimizer", System.Text.Json.JsonSerializer.Serialize(t.Config), StringComparison.Ordinal));
        Assert.Empty(plain.Select(t => t.Id).Intersect(sgd.Select(t => t.Id)));
    }

    [Fact]
    public void RandomSearchDrawsMomentumOnlyForTheOptimizersThatUseIt()
    {
        var planned = SweepPlanner.Expand(SweepSpecParser.Parse(Head + "method: random\ntrials: 12\nseed: 3\n" +
            "parameters: { optimizer: [adam, sgd, rmsprop], momentum: { uniform: [0.5, 0.99] }, learning_rate: { log_uniform: [1e-4, 1e-1] } }\n").Spec);

        Assert.Equal(12, planned.Count);
        Assert.All(planned, t => Assert.Empty(t.Config.Validate()));
        Assert.Equal(3, planned.Select(t => t.Config.OptimizerSettings.Kind).Distinct().Count());
        Assert.All(planned.Where(t => t.Config.OptimizerSettings.Kind == OptimizerKind.Adam), t => Assert.Null(t.Config.Momentum));
        Assert.All(planned.Where(t => t.Config.OptimizerSettings.Kind != OptimizerKind.Adam), t => Assert.InRange(t.Config.Momentum ?? 0, 0.5, 0.99));
    }

    [Fact]
    public async Task ResultsCsvHasAColumnPerOptimizerKeyEmptyWhereItDoesNotApply()
    {
        var planned = SweepPlanner.Expand(SweepSpecParser.Parse(Head + "parameters: { direction: [forward], optimizer: [adam, sgd], momentum: [0.9] }\n").Spec);
        var sweep = new FakeSweep(
            [.. planned.Select(t => new TrialSummary(t, TrialStatus.Completed, 5, 0.25, 0.2, 0.9, 0.25, null, null, 1, Error: null))], new Dictionary<string, TrialCurve>());

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "opt");

        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory.FullName, "results.csv"));
        var header = lines[0].Split(',');
        var (optimizer, momentum) = (Array.IndexOf(header, "optimizer"), Array.IndexOf(header, "momentum"));
        Assert.True(optimizer >= 0 && momentum >= 0, $"no optimizer/momentum columns in {lines[0]}");
        Assert.Equal(["adam,", "sgd,0.9"], lines.Skip(1).Select(l => l.Split(',')).Select(c => $"{c[optimizer]},{c[momentum]}").Order(StringComparer.Ordinal));
    }
}
