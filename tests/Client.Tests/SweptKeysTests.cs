using System.Globalization;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;
using SweepCluster.Client.Specs;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

/// <summary>Any key a trial uses can be swept, task options by their path, and a parameter may say when it applies.</summary>
public sealed class SweptKeysTests : IDisposable
{
    private static readonly string Sweeps = Path.Combine(FindRepository(), "sweeps");

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sweep-keys-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task ASweptTaskOptionIsAResultsColumnNamedAsInTheSpecEmptyWhereItsKeyDoesNotApply()
    {
        var planned = SweepPlanner.Expand(SweepSpecParser.ParseFile(Path.Combine(Sweeps, "task-options.yaml")).Spec);
        var sweep = new FakeSweep(
            [.. planned.Select(t => new TrialSummary(t, TrialStatus.Completed, 100, 0.25, 0.2, 0.9, 0.25, 0.3, 0.8, 1, Error: null))], new Dictionary<string, TrialCurve>());

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "task-options");

        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory.FullName, "results.csv"));
        var columns = lines[0].Split(',');
        Assert.Equal(["direction", "merge_mode", "hidden", "task_options.timesteps"], columns.Where(c => planned[0].Parameters.ContainsKey(c)));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(cells => cells[0], cells => columns.Zip(cells).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(30, rows.Count);
        var wide = rows[planned.Single(t => t.Variant == "bidirectional-sum-h50-t40" && t.Config.Seed == 1).Id];
        Assert.Equal(("bidirectional", "sum", "50", "40"), (wide["direction"], wide["merge_mode"], wide["hidden"], wide["task_options.timesteps"]));
        var shortForward = rows[planned.Single(t => t.Variant == "forward-t10" && t.Config.Seed == 0).Id];
        Assert.Equal(("forward", "", "", "10"), (shortForward["direction"], shortForward["merge_mode"], shortForward["hidden"], shortForward["task_options.timesteps"]));
    }

    [Fact]
    public async Task SweptEpochsAreAColumnOfTheirOwnBesideTheEpochsATrialTrained()
    {
        var planned = SweepPlanner.Expand(SweepSpecParser.Parse("name: ep\ntask: cumsum\nparameters: { epochs: [3, 6] }\n").Spec);
        var sweep = new FakeSweep(
            [.. planned.Select(t => new TrialSummary(t, TrialStatus.Stopped, 2, 0.5, 0.5, 0.5, 0.5, null, null, 1, Error: null))], new Dictionary<string, TrialCurve>());

        await ResultsWriter.WriteAsync(_directory.FullName, sweep, "ep");

        var lines = await File.ReadAllLinesAsync(Path.Combine(_directory.FullName, "results.csv"));
        var columns = lines[0].Split(',');
        Assert.Equal(columns.Length, columns.Distinct().Count());
        Assert.Equal(["2", "2"], lines.Skip(1).Select(l => l.Split(',')[Array.IndexOf(columns, "epochs")]));
        Assert.Equal(["3", "6"], lines.Skip(1).Select(l => l.Split(',')[Array.IndexOf(columns, "parameters.epochs")]));
    }

    [Fact]
    public void TheTaskOptionsSpecCrossesTimestepsWithHiddenOnlyWhereItsConditionHolds()
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Sweeps, "task-options.yaml")).Spec;

        var trials = SweepPlanner.Expand(spec);

        Assert.Equal(30, trials.Count);
        Assert.Equal(SweepSpecValidator.CountTrials(spec).Trials, trials.Count);
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());
        Assert.All(trials, t => Assert.Empty(t.Config.Validate()));

        // 10-step trials keep the default hidden size, once; longer ones try both.
        var shortOnes = trials.Where(t => t.Config.TaskOptions.Timesteps == 10).ToList();
        Assert.Equal(6, shortOnes.Count); // forward + 2 merge modes, x 2 seeds
        Assert.All(shortOnes, t => Assert.Null(t.Config.Hidden));
        Assert.All(shortOnes, t => Assert.Equal("", t.Parameters["hidden"]));
        Assert.Equal([20, 50], trials.Where(t => t.Config.TaskOptions.Timesteps == 40).Select(t => t.Config.HiddenOrDefault).Distinct().Order());

        // Forward trials are not repeated per merge mode, and show no merge mode.
        Assert.Equal(10, trials.Count(t => t.Config.Direction == Direction.Forward));
        Assert.All(trials.Where(t => t.Config.Direction == Direction.Forward), t => Assert.Equal("", t.Parameters["merge_mode"]));

        // Columns named as in the spec, in a fixed order; values as the trial trains with them.
        Assert.Equal(["direction", "merge_mode", "hidden", "task_options.timesteps"], trials[0].Parameters.Keys);
        var wide = trials.Single(t => t.Variant == "bidirectional-sum-h50-t40" && t.Config.Seed == 1);
        Assert.Equal(("40", "50", "sum"), (wide.Parameters["task_options.timesteps"], wide.Parameters["hidden"], wide.Parameters["merge_mode"]));
        Assert.Equal(40, wide.Config.TaskOptions.TimestepsOrDefault);
        Assert.Contains(trials, t => t.Variant == "forward-t10");
        Assert.All(trials, t => Assert.True(t.Variant.Length <= 40, t.Variant));
    }

    [Fact]
    public void ANewKeyChangesOnlyTheTrialsThatSetIt()
    {
        var plain = SweepPlanner.Expand(SweepSpecParser.Parse("name: p\ntask: cumsum\nparameters: { direction: [forward, backward] }\nepochs: 5\n").Spec);
        var withBatches = SweepPlanner.Expand(SweepSpecParser.Parse("name: p\ntask: cumsum\nparameters: { direction: [forward, backward], batch_size: [1, 4] }\nepochs: 5\n").Spec);
        var fixedBatch = SweepPlanner.Expand(SweepSpecParser.Parse("name: p\ntask: cumsum\nparameters: { direction: [forward, backward] }\nbatch_size: 4\nepochs: 5\n").Spec);

        // A swept value is the same trial as the same value fixed at the top: finished trials are found either way.
        Assert.Equal(fixedBatch.Select(t => t.Config), withBatches.Where(t => t.Config.BatchSize == 4).Select(t => t.Config));
        Assert.Empty(plain.Select(t => t.Id).Intersect(withBatches.Select(t => t.Id)));
        Assert.Equal(["forward-b1", "forward-b4", "backward-b1", "backward-b4"], withBatches.Select(t => t.Variant));
    }

    [Fact]
    public void RandomSearchDrawsNewKeysTaskOptionsAndConditionalOnesReproducibly()
    {
        const string Yaml = """
            name: random-keys
            task: cumsum
            method: random
            trials: 40
            parameters:
              direction: [forward, bidirectional]
              batch_size: [1, 2, 4]
              epochs: { int_uniform: [10, 30] }
              task_options.timesteps: { int_uniform: [5, 50] }
              layers: { choice: [1, 2], when: { batch_size: 4 } }
            """;
        var trials = SweepPlanner.Expand(SweepSpecParser.Parse(Yaml).Spec);
        var again = SweepPlanner.Expand(SweepSpecParser.Parse(Yaml).Spec);

        Assert.Equal(40, trials.Count);
        Assert.Equal(trials.Select(t => t.Id), again.Select(t => t.Id));
        Assert.All(trials, t => Assert.Empty(t.Config.Validate()));
        Assert.All(trials, t => Assert.InRange(t.Config.Epochs, 10, 30));
        Assert.All(trials, t => Assert.InRange(t.Config.TaskOptions.TimestepsOrDefault, 5, 50));
        Assert.All(trials, t => Assert.Equal(t.Config.TaskOptions.TimestepsOrDefault.ToString(CultureInfo.InvariantCulture), t.Parameters["task_options.timesteps"]));
        Assert.All(trials.Where(t => t.Config.BatchSize != 4), t => Assert.Equal((1, ""), (t.Config.Layers, t.Parameters["layers"])));
        Assert.Contains(trials, t => t.Config.BatchSize == 4 && t.Config.Layers == 2);
        Assert.True(trials.Select(t => t.Config.TaskOptions.Timesteps).Distinct().Count() > 10, "timesteps should vary");
        Assert.All(trials, t => Assert.Matches(@"-e\d+-t\d+$", t.Variant));
    }

    [Theory]
    [InlineData("parameters: { direction: [forward, bidirectional], merge_mode: [sum, mul], hidden: [10, 20], task_options.timesteps: [5, 10, 20] }")]
    [InlineData("parameters: { direction: [forward, backward, bidirectional], merge_mode: { values: [sum, ave], when: { direction: bidirectional } }, layers: { values: [1, 2, 3], when: { direction: [forward, backward] } } }")]
    [InlineData("parameters: { batch_size: [1, 2], hidden: { values: [4, 8, 16], when: { batch_size: 2, direction: bidirectional } }, epochs: [3, 4] }")]
    [InlineData("parameters: { task_options.timesteps: [4, 8], learning_rate: { values: [0.01, 0.1], when: { task_options.timesteps: 8 } }, hidden: { values: [4, 8], when: { task_options.timesteps: 4 } } }")]
    public void TheTrialCountOfAConditionalGridIsTheNumberOfTrialsItExpandsTo(string parameters)
    {
        var spec = SweepSpecParser.Parse($"name: count\ntask: cumsum\nrepeats: 2\n{parameters}\n").Spec;

        var trials = SweepPlanner.Expand(spec);

        Assert.Equal(trials.Count, SweepSpecValidator.CountTrials(spec).Trials);
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("parameters: { task_options.timesteps: [0] }", "parameters.task_options.timesteps[0]", "must be at least 1")]
    [InlineData("parameters: { task_options: { timesteps: [20000] } }", "parameters.task_options.timesteps[0]", "must be at most 10,000")]
    [InlineData("parameters: { task_options.size: [10] }", "parameters.task_options.size[0]", "does not apply to task cumsum")]
    [InlineData("parameters: { task_options.timesteps: [../../etc/passwd] }", "parameters.task_options.timesteps[0]", "is not a whole number")]
    [InlineData("parameters: { hidden: [99999999999] }", "parameters.hidden[0]", "must be a whole number in 1..4,096")]
    [InlineData("parameters: { learning_rate: [.nan] }", "parameters.learning_rate[0]", "is not a number")]
    [InlineData("parameters: { batch_size: [0, 70000] }", "parameters.batch_size[1]", "must be at most 65,536")]
    [InlineData("parameters: { epochs: [0] }", "parameters.epochs[0]", "must be at least 1")]
    [InlineData("parameters: { task_options.path: [/etc] }", "parameters.task_options.path", "unknown key")]
    [InlineData("parameters: { dropout: [0.1] }", "parameters.dropout", "unknown key")]
    [InlineData("parameters: { device: [cpu, cuda] }", "parameters.device", "unknown key")]
    [InlineData("task_options: { timesteps: 10 }\nparameters: { task_options.timesteps: [5, 10] }", "parameters.task_options.timesteps", "also fixed at task_options.timesteps")]
    [InlineData("epochs: 5\nparameters: { epochs: [5, 10] }", "parameters.epochs", "also fixed at epochs")]
    [InlineData("batch_size: 2\nparameters: { batch_size: [1, 2] }", "parameters.batch_size", "also fixed at batch_size")]
    [InlineData("parameters: { epochs: [20, 40] }\nearly_stopping: asha", "parameters.epochs", "cannot be swept with early_stopping")]
    [InlineData("method: random\ntrials: 3\nparameters: { task_options.timesteps: { int_uniform: [1, 10000000000] } }", "parameters.task_options.timesteps.int_uniform", "<= 10000")]
    [InlineData("method: random\ntrials: 3\nparameters: { batch_size: { uniform: [1, 3] } }", "parameters.batch_size.uniform", "does not apply to batch_size")]
    [InlineData("method: random\ntrials: 3\nparameters: { direction: { int_uniform: [1, 3] } }", "parameters.direction.int_uniform", "does not apply to direction")]
    [InlineData("parameters: { hidden: { values: [10, 20], when: { colour: red } } }", "parameters.hidden.when.colour", "unknown key")]
    [InlineData("parameters: { hidden: { values: [10, 20], when: { direction: sideways } } }", "parameters.hidden.when.direction", "'sideways' is not one of forward, backward, bidirectional")]
    [InlineData("parameters: { hidden: { values: [10, 20], when: direction } }", "parameters.hidden.when", "must be a mapping")]
    [InlineData("parameters: { hidden: { values: [10, 20], uniform: [1, 2] } }", "parameters.hidden", "give one of")]
    [InlineData("parameters: { hidden: { values: [10, 20], when: { direction: forward } } }", "parameters.hidden.when.direction[0]", "direction is bidirectional in every trial")]
    [InlineData("parameters: { direction: forward, hidden: { values: [10, 20], when: { direction: bidirectional } } }", "parameters.hidden.when.direction[0]", "is not among parameters.direction's values (forward)")]
    [InlineData("parameters: { layers: [1, 2], hidden: { values: [10], when: { layers: 3 } } }", "parameters.hidden.when.layers[0]", "is not among parameters.layers's values (1, 2)")]
    [InlineData("parameters: { direction: [forward, bidirectional], merge_mode: [sum, mul], hidden: { values: [10, 20], when: { merge_mode: sum } } }", "parameters.hidden.when.merge_mode", "conditional itself")]
    [InlineData("parameters: { hidden: { values: [10, 20], when: { hidden: 10 } } }", "parameters.hidden.when.hidden", "cannot depend on itself")]
    [InlineData("method: random\ntrials: 3\nparameters: { hidden: { int_uniform: [4, 8] }, layers: { values: [1, 2], when: { hidden: 4 } } }", "parameters.layers.when.hidden", "drawn from a distribution")]
    public void ABadSweptKeyIsRejectedWithItsPath(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse("name: bad\ntask: cumsum\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SweepCluster.sln not found above the test directory");
    }
}
