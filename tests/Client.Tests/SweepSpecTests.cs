using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Experiments;

namespace SweepCluster.Client.Tests;

public sealed class SweepSpecTests
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public void MergeModesSpecExpandsToSixVariantsWithoutDuplicateForwardTrials()
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Repository, "sweeps", "merge-modes.yaml")).Spec;

        var trials = SweepPlanner.Expand(spec);

        Assert.Equal(18, trials.Count);
        Assert.Equal(
            ["backward", "bidirectional-ave", "bidirectional-concat", "bidirectional-mul", "bidirectional-sum", "forward"],
            trials.Select(t => t.Variant).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(trials.Count, trials.Select(t => t.Id).Distinct().Count());
        Assert.All(trials, t => Assert.Equal(250, t.Config.Epochs));
        Assert.Equal([0, 1, 2], trials.Where(t => t.Variant == "forward").Select(t => t.Config.Seed));
    }

    [Theory]
    [InlineData("merge-modes.yaml")]
    [InlineData("directions.yaml")]
    [InlineData("sizes.yaml")]
    [InlineData("cnn-lstm.yaml")]
    [InlineData("sentiment.yaml")]
    [InlineData("random.yaml")]
    [InlineData("merge-modes-asha.yaml")]
    [InlineData("task-options.yaml")]
    [InlineData("sentiment-val.yaml")]
    [InlineData("adam.yaml")]
    [InlineData("optimizers.yaml")]
    public void EveryShippedSpecIsValid(string file)
    {
        var trials = SweepPlanner.Expand(SweepSpecParser.ParseFile(Path.Combine(Repository, "sweeps", file)).Spec);

        Assert.NotEmpty(trials);
        Assert.All(trials, t => Assert.Empty(t.Config.Validate()));

        // The stores name files and keys after trial ids: a variant label outside their pattern loses every result.
        Assert.All(trials, t => Assert.Matches(Limits.TrialIdPattern, t.Id));
    }

    [Fact]
    public void SetOverridesAnyKeyIncludingNestedOnes()
    {
        var parsed = SweepSpecParser.Parse(
            Valid, overrides: ["epochs=50", "repeats=2", "parameters.hidden=[10, 30]", "task_options.timesteps=12"]);
        var spec = parsed.Spec;

        Assert.Equal(50, spec.Epochs);
        Assert.Equal(2, spec.Repeats);
        Assert.Equal(["10", "30"], spec.Grid.Find("hidden")!.Values);
        Assert.Equal(12, spec.TaskOptions.Timesteps);
        Assert.Contains("epochs: 50", parsed.ResolvedYaml);
    }

    [Fact]
    public void EveryProblemIsListedByItsPath()
    {
        const string yaml = """
            name: broken
            task: cumsum
            colour: blue
            task_options: { timesteps: -3, max_len: 20 }
            parameters:
              direction: [forward, bidirectional]
              merge_mode: [concat, sum, avg]
              hidden: []
              learning_rate: [fast]
            repeats: 0
            epochs: ten
            """;

        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(yaml));

        var byPath = error.Errors.ToDictionary(e => e.Path, e => e.Message);
        Assert.Contains("unknown key", byPath["colour"]);
        Assert.Contains("must be at least 1", byPath["task_options.timesteps"]);
        Assert.Contains("does not apply to task cumsum", byPath["task_options.max_len"]);
        Assert.Equal("'avg' is not one of concat, sum, mul, ave", byPath["parameters.merge_mode[2]"]);
        Assert.Contains("empty list", byPath["parameters.hidden"]);
        Assert.Contains("'fast' is not a number", byPath["parameters.learning_rate[0]"]);
        Assert.Contains("must be at least 1", byPath["repeats"]);
        Assert.Contains("'ten' is not a whole number", byPath["epochs"]);
        Assert.Contains("parameters.merge_mode[2]: 'avg'", error.Message);
    }

    [Theory]
    [InlineData("task: mnist", "task", "'mnist' is not one of cumsum, moving-square, sentiment")]
    [InlineData("epochs: 3", "task", "is required")]
    [InlineData("task: cumsum\nparameters: { direction: forward, merge_mode: sum }", "parameters.merge_mode", "only applies to bidirectional")]
    [InlineData("task: cumsum\nparameters: { hidden: [-5] }", "parameters.hidden[0]", "must be at least 1")]
    [InlineData("task: sentiment\ntask_options: { source: imdb-npz, path: /no/such/imdb.npz }", "task_options.path", "does not exist")]
    [InlineData("task: cumsum\ndevice: tpu", "device", "'tpu' is not one of cpu, cuda")]
    public void ABadValueIsRejectedWithItsField(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void PackingIsOnByDefaultAndTheSpecCanTurnItOffOrCapIt()
    {
        var defaults = SweepSpecParser.Parse(Valid).Spec;
        var custom = SweepSpecParser.Parse(Valid, overrides: ["pack=false", "pack_size=4"]).Spec;

        Assert.Equal((true, 16), (defaults.Pack, defaults.PackSize));
        Assert.Equal((false, 4), (custom.Pack, custom.PackSize));
    }

    [Theory]
    [InlineData("pack: maybe", "pack", "'maybe' is not true or false")]
    [InlineData("pack_size: 1", "pack_size", "must be at least 2")]
    public void ABadPackingSettingIsRejectedWithItsField(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(Valid + "\n" + yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void UnparsableYamlIsRejectedWithItsLocation()
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse("task: cumsum\nparameters: [unclosed"));

        Assert.StartsWith("line ", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public void AMissingSpecFileIsNamed()
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.ParseFile("/no/such/spec.yaml"));

        Assert.Contains("/no/such/spec.yaml", error.Message);
    }

    [Fact]
    public void TrialIdsAreDerivedFromConfigurationAndSeed()
    {
        var first = SweepPlanner.Expand(SweepSpecParser.Parse(Valid).Spec);
        var again = SweepPlanner.Expand(SweepSpecParser.Parse(Valid).Spec);
        var longer = SweepPlanner.Expand(SweepSpecParser.Parse(Valid, overrides: ["epochs=6"]).Spec);

        Assert.Equal(first.Select(t => t.Id), again.Select(t => t.Id));
        Assert.Equal(first.Select(t => t.Config), again.Select(t => t.Config));
        Assert.Contains(first, t => t.Id.StartsWith("cumsum-bidirectional-sum-s0-", StringComparison.Ordinal) && t.Config.MergeMode == MergeMode.Sum);
        Assert.Empty(first.Select(t => t.Id).Intersect(longer.Select(t => t.Id)));
    }

    [Fact]
    public void TheSweepIdFollowsTheSpecSoResubmittingReattaches()
    {
        Assert.Equal(SweepSpecParser.Parse(Valid).SweepId, SweepSpecParser.Parse(Valid).SweepId);
        Assert.NotEqual(SweepSpecParser.Parse(Valid).SweepId, SweepSpecParser.Parse(Valid, overrides: ["seed=1"]).SweepId);
        Assert.StartsWith("ok-", SweepSpecParser.Parse(Valid).SweepId);
    }

    private const string Valid = """
        name: ok
        task: cumsum
        parameters:
          direction: [forward, bidirectional]
          merge_mode: [concat, sum]
        repeats: 1
        epochs: 5
        """;

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
