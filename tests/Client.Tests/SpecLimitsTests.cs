using System.Diagnostics;
using System.Globalization;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Tests;

/// <summary>The YAML-level limits of a spec (depth, aliases, documents, duplicate keys, size) and where they are reported.</summary>
public sealed class SpecLimitsTests
{
    private const string Valid = "name: limits\ntask: cumsum\nepochs: 5\n";

    [Theory]
    [InlineData("task: cumsum\nx: &five 5\nepochs: *five\n", "epochs", "alias *five")]
    [InlineData("task: cumsum\nparameters: { hidden: &h [10], layers: *h }\n", "parameters.layers", "alias *h")]
    [InlineData("task: cumsum\nearly_stopping: { rule: asha, eta: 3, eta: 4 }\n", "early_stopping.eta", "more than once")]
    [InlineData("task: cumsum\nparameters:\n  hidden: [10]\n  hidden: [20]\n", "parameters.hidden", "more than once (line 4)")]
    [InlineData("task: cumsum\n---\ntask: cumsum\n", "spec", "second YAML document")]
    [InlineData("task: cumsum\nparameters: { hidden: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[10]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] }\n", "parameters.hidden", "nests deeper than 64 levels")]
    public void AYamlConstructASpecNeverNeedsIsRefusedWhereItIs(string yaml, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(yaml));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("parameters.hidden=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "--set parameters.hidden", "nests deeper")]
    [InlineData("name=../../elsewhere", "name", "is not a sweep name")]
    [InlineData("epochs=99999999999999999999999", "epochs", "must be at most 10,000,000")]
    [InlineData("time_limit=20000000d", "time_limit", "must be at most 365d")]
    public void ASetOverrideIsHeldToTheSameLimitsAsTheFile(string assignment, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse(Valid, overrides: [assignment]));

        Assert.Contains(error.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void ANameTakenFromAnUnsafeFileNameSaysWhereItCameFrom()
    {
        var error = Assert.Throws<SpecException>(() => SweepSpecParser.Parse("task: cumsum\n", source: "/tmp/my sweep [v2].yaml"));

        Assert.Contains(error.Errors, e => e.Path == "name" && e.Message.Contains("taken from the file name", StringComparison.Ordinal));
    }

    [Fact]
    public void TrialsAreCountedFromListLengthsWithoutExpanding()
    {
        var spec = SweepSpecParser.Parse(Valid).Spec;
        var huge = spec with
        {
            Repeats = 10_000,
            Grid = new SweepGrid(
            [
                .. spec.Grid.Parameters,
                new SweptParameter("hidden", [.. Enumerable.Range(1, 4000).Select(h => h.ToString(CultureInfo.InvariantCulture))]),
                new SweptParameter("layers", [.. Enumerable.Range(1, 16).Select(l => l.ToString(CultureInfo.InvariantCulture))]),
                new SweptParameter("learning_rate", [.. Enumerable.Range(1, 5000).Select(i => (i * 1e-5).ToString("R", CultureInfo.InvariantCulture))]),
            ]),
        };
        var clock = Stopwatch.StartNew();

        var (configurations, trials) = SweepSpecValidator.CountTrials(huge);
        var errors = SweepSpecValidator.Validate(huge);

        Assert.Equal(4000d * 16 * 5000, configurations);
        Assert.Equal(4000d * 16 * 5000 * 10_000, trials);
        Assert.Contains(errors, e => e.Field == "parameters" && e.Message.Contains("at most 100,000", StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"validating took {clock.Elapsed}");
        Assert.Throws<SpecRejectedException>(() => SweepPlanner.Expand(huge));
    }

    [Fact]
    public void TheLargestSweepAllowedStillExpands()
    {
        var spec = SweepSpecParser.Parse(Valid + "parameters: { hidden: [" + string.Join(",", Enumerable.Range(1, 100)) + "] }\nrepeats: 1000\n").Spec;

        Assert.Equal(100_000, SweepPlanner.Expand(spec).Count);
    }

    [Fact]
    public void TheReadmeStatesTheLimitsTheCodeEnforces()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "SweepCluster.sln")))
        {
            directory = directory.Parent;
        }

        var readme = File.ReadAllText(Path.Combine(directory.FullName, "README.md"));

        Assert.Contains($"at most **{Experiments.Limits.MaxTrialsPerSweep:N0}**", readme, StringComparison.Ordinal);
        Assert.Contains($"at most **{Experiments.Limits.MaxTrialBytes >> 30} GiB**", readme, StringComparison.Ordinal);
        Assert.Contains($"1-{Experiments.Limits.MaxNameLength} of `A-Z a-z 0-9 . _ -`", readme, StringComparison.Ordinal);
        Assert.Contains($"`hidden` 1-{Experiments.Limits.Hidden.Max:N0}", readme, StringComparison.Ordinal);
        Assert.Contains($"`epochs` 1-{Experiments.Limits.Epochs.Max:N0}", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTimeLeftOfTheLargestSweepAllowedIsUnknownRatherThanAnOverflow()
    {
        // 100,000 trials of 10,000,000 epochs, one epoch done after a minute.
        var remaining = RemainingTime.Estimate(TimeSpan.FromMinutes(1), done: 1, total: 1_000_000_000_000);

        Assert.Null(remaining);
        Assert.Equal(TimeSpan.FromMinutes(3), RemainingTime.Estimate(TimeSpan.FromMinutes(1), done: 25, total: 100));
        Assert.Null(RemainingTime.Estimate(TimeSpan.FromMinutes(1), done: 0, total: 100));
    }
}
