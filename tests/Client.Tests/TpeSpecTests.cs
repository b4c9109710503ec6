using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

/// <summary><c>method: tpe</c> in a spec: its keys parse, and each mistake is refused with its field named.</summary>
public sealed class TpeSpecTests
{
    private const string Spec = """
        name: tpe
        task: cumsum
        method: tpe
        trials: 24
        seed: 3
        tpe: { startup: 6, candidates: 48 }
        parameters:
          direction: [forward, bidirectional]
          merge_mode: { choice: [concat, sum] }
          hidden: { int_uniform: [8, 64] }
          learning_rate: { log_uniform: [0.0003, 0.03] }
        repeats: 2
        epochs: 5
        """;

    [Fact]
    public void ATpeSpecParsesWithItsTrialsSeedAndSettings()
    {
        var spec = SweepSpecParser.Parse(Spec).Spec;

        Assert.Equal(SearchMethod.Tpe, spec.Method);
        Assert.Equal((24, 3, 2), (spec.Trials, spec.Seed, spec.Repeats));
        Assert.Equal(new TpeOptions(6, 48), spec.Tpe);
        Assert.Equal(DistributionKind.IntUniform, spec.Grid.Find("hidden")!.Distribution!.Kind);
        Assert.Equal(DistributionKind.LogUniform, spec.Grid.Find("learning_rate")!.Distribution!.Kind);
        Assert.Equal(["forward", "bidirectional"], spec.Grid.Find("direction")!.Values);
        Assert.Equal((24d, 48d), SweepSpecValidator.CountTrials(spec));
    }

    [Fact]
    public void WithoutATpeBlockTheSamplerKeepsItsDefaultsAndTheSweepPlansNothingBeforeItsFirstSuggestion()
    {
        var spec = SweepSpecParser.Parse(Spec.Replace("tpe: { startup: 6, candidates: 48 }\n", "")).Spec;

        Assert.Null(spec.Tpe);
        Assert.Empty(SweepPlanner.Expand(spec));
    }

    [Fact]
    public void TheSuggestionLogExpandsToItsConfigurationsTimesRepeatsAndARepeatedOneAddsNoTrials()
    {
        var spec = SweepSpecParser.Parse(Spec).Spec;
        Dictionary<string, string> first = new() { ["direction"] = "bidirectional", ["merge_mode"] = "sum", ["hidden"] = "17", ["learning_rate"] = "0.001234" };
        Dictionary<string, string> second = new() { ["direction"] = "forward", ["hidden"] = "64", ["learning_rate"] = "0.01" };

        var trials = SweepPlanner.Expand(spec, [first, second, first]);

        Assert.Equal(4, trials.Count);
        Assert.Equal((Direction.Bidirectional, MergeMode.Sum, 17, 0.001234, 3), (trials[0].Config.Direction, trials[0].Config.MergeMode, trials[0].Config.Hidden, trials[0].Config.LearningRate, trials[0].Config.Seed));
        Assert.Equal(4, trials[1].Config.Seed);
        Assert.Equal((Direction.Forward, MergeMode.Concat, 64), (trials[2].Config.Direction, trials[2].Config.MergeMode, trials[2].Config.Hidden));
        Assert.Equal("", trials[2].Parameters["merge_mode"]);
        Assert.Equal(4, trials.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void NeighbouringSuggestedLearningRatesAreDistinctVariants()
    {
        var spec = SweepSpecParser.Parse(Spec.Replace("repeats: 2", "repeats: 1")).Spec;
        Dictionary<string, string> one = new() { ["direction"] = "forward", ["hidden"] = "17", ["learning_rate"] = "0.003012" };
        Dictionary<string, string> two = new() { ["direction"] = "forward", ["hidden"] = "17", ["learning_rate"] = "0.003009" };

        var trials = SweepPlanner.Expand(spec, [one, two]);

        Assert.Equal(["forward-h17-lr0.003012", "forward-h17-lr0.003009"], trials.Select(t => t.Variant));
    }

    [Fact]
    public void TheShippedTpeSpecIsValid()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "SweepCluster.sln")))
        {
            directory = directory.Parent;
        }

        var spec = SweepSpecParser.ParseFile(Path.Combine(directory.FullName, "sweeps", "tpe.yaml")).Spec;

        Assert.Empty(SweepSpecValidator.Validate(spec));
        Assert.Equal((SearchMethod.Tpe, 24), (spec.Method, spec.Trials));
        Assert.Equal(["direction", "merge_mode", "hidden", "learning_rate"], spec.Grid.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData("method: tpe\nparameters: { hidden: [8, 16] }", "trials", "is required for method: tpe")]
    [InlineData("method: tpe\ntrials: 20000\nparameters: { hidden: [8, 16] }", "trials", "at most 10,000")]
    [InlineData("method: tpe\ntrials: 0\nparameters: { hidden: [8, 16] }", "trials", "at least 1")]
    [InlineData("method: tpe\ntrials: 5\nparameters: { hidden: [8] }", "parameters", "needs something to search")]
    [InlineData("method: tpe\ntrials: 5\nmax_trials: 3\nparameters: { hidden: [8, 16] }", "max_trials", "does not apply to method: tpe")]
    [InlineData("method: tpe\ntrials: 5\ntpe: { startup: -1 }\nparameters: { hidden: [8, 16] }", "tpe.startup", "at least 0")]
    [InlineData("method: tpe\ntrials: 5\ntpe: { candidates: 0 }\nparameters: { hidden: [8, 16] }", "tpe.candidates", "at least 1")]
    [InlineData("method: tpe\ntrials: 5\ntpe: { candidates: 99999999999999999999 }\nparameters: { hidden: [8, 16] }", "tpe.candidates", "at most 1,000")]
    [InlineData("method: tpe\ntrials: 5\ntpe: { candidates: NaN }\nparameters: { hidden: [8, 16] }", "tpe.candidates", "")]
    [InlineData("method: tpe\ntrials: 5\ntpe: { prior: 2 }\nparameters: { hidden: [8, 16] }", "tpe.prior", "")]
    [InlineData("method: tpe\ntrials: 5\ntpe: 10\nparameters: { hidden: [8, 16] }", "tpe", "must be a mapping")]
    [InlineData("method: random\ntrials: 5\ntpe: { startup: 3 }\nparameters: { hidden: [8, 16] }", "tpe", "only applies to method: tpe")]
    [InlineData("method: tpe\ntrials: 5\nparameters: { hidden: { int_uniform: [64, 8] } }", "parameters.hidden.int_uniform", "low < high")]
    [InlineData("method: tpe\ntrials: 5\nparameters: { learning_rate: { log_uniform: [0, 0.1] } }", "parameters.learning_rate.log_uniform", "")]
    public void ABadTpeSpecIsRejectedWithItsField(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse("task: cumsum\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void TheSweepGrainsCheckRefusesBadTpeValuesByField()
    {
        var spec = SweepSpecParser.Parse(Spec).Spec;

        Assert.Empty(SweepSpecValidator.Validate(spec));
        Assert.Contains(SweepSpecValidator.Validate(spec with { Tpe = new TpeOptions(Candidates: -5) }), e => e.Field == "tpe.candidates");
        Assert.Contains(SweepSpecValidator.Validate(spec with { Tpe = new TpeOptions(Startup: int.MaxValue) }), e => e.Field == "tpe.startup");
        Assert.Contains(SweepSpecValidator.Validate(spec with { Trials = int.MaxValue }), e => e.Field == "trials");
        Assert.Contains(SweepSpecValidator.Validate(spec with { Method = SearchMethod.Grid, Trials = 0 }), e => e.Field == "tpe");
        Assert.Contains(SweepSpecValidator.Validate(spec with { Method = (SearchMethod)7 }), e => e.Field == "method");
    }
}
