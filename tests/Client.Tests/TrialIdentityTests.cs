using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;

namespace SweepCluster.Client.Tests;

/// <summary>
/// The shipped specs' trials as they were before any key became sweepable: a re-submitted spec must find its finished
/// trials (same ids) in the same ledger positions (same order), with the same results.csv columns.
/// </summary>
public sealed class TrialIdentityTests
{
    private static readonly string Sweeps = Path.Combine(FindRepository(), "sweeps");

    [Fact]
    public void MergeModesTrialsKeepTheirIds()
    {
        var trials = SweepPlanner.Expand(SweepSpecParser.ParseFile(Path.Combine(Sweeps, "merge-modes.yaml")).Spec);

        Assert.Equal(PinnedMergeModesIds, trials.Where(t => t.Config.Seed == 0).Select(t => t.Id));
    }

    [Theory]
    [InlineData("merge-modes.yaml", "0fa1b35fd9948b38")]
    [InlineData("directions.yaml", "73ade84175361b18")]
    [InlineData("sizes.yaml", "15c65afb6054c64a")]
    [InlineData("cnn-lstm.yaml", "e90ca35fe9029dde")]
    [InlineData("sentiment.yaml", "7b3b6a106e7e00fc")]
    [InlineData("random.yaml", "208dcfb4c26a4e28")]
    [InlineData("merge-modes-asha.yaml", "0fa1b35fd9948b38")]
    [InlineData("adam.yaml", "525aaa3f2aa4ddd2")]
    public void ShippedSpecsKeepTheirTrialsInOrderWithTheirColumns(string file, string pinned)
    {
        var trials = SweepPlanner.Expand(SweepSpecParser.ParseFile(Path.Combine(Sweeps, file)).Spec);
        var text = string.Join('\n', trials.Select(t => $"{t.Id}|{t.Variant}|{string.Join(',', t.Parameters.Select(p => $"{p.Key}={p.Value}"))}"));

        Assert.Equal(pinned, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]);
    }

    [Fact]
    public void ASweepStoredByAnOlderBuildExpandsToTheTrialsItHad()
    {
        // merge-modes.yaml's spec as grain state written before any key was sweepable (System.Text.Json, enums as numbers).
        const string Stored = """
            {"Name":"merge-modes","Task":0,"TaskOptions":{"Timesteps":10},"Grid":{"Directions":[0,1,2],"MergeModes":[0,1,2,3],
             "Hidden":[20],"Layers":[1],"LearningRates":[0.001],"Swept":["direction","merge_mode","hidden","learning_rate"],"Distributions":{}},
             "Repeats":3,"Epochs":250,"BatchSize":1,"Device":0,"Seed":0,"CheckpointEvery":10,"Method":0,"Trials":0,"Pack":true,"PackSize":16}
            """;
        var parsed = SweepSpecParser.ParseFile(Path.Combine(Sweeps, "merge-modes.yaml")).Spec;
        var stored = JsonSerializer.Deserialize<SweepSpec>(Stored)!;

        var trials = SweepPlanner.Expand(stored);

        Assert.Empty(SweepSpecValidator.Validate(stored));
        Assert.Equal(PinnedMergeModesIds, trials.Where(t => t.Config.Seed == 0).Select(t => t.Id));
        Assert.Equal(SweepPlanner.Expand(parsed).Select(t => (t.Id, t.Variant, string.Join(',', t.Parameters))), trials.Select(t => (t.Id, t.Variant, string.Join(',', t.Parameters))));
    }

    [Fact]
    public void ASweepWithConditionsSurvivesItsGrainStateAsJson()
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Sweeps, "task-options.yaml")).Spec;

        var copy = JsonSerializer.Deserialize<SweepSpec>(JsonSerializer.Serialize(spec))!;

        Assert.DoesNotContain("Directions", JsonSerializer.Serialize(spec), StringComparison.Ordinal);
        Assert.Equal(SweepPlanner.Expand(spec).Select(t => t.Id), SweepPlanner.Expand(copy).Select(t => t.Id));
    }

    private static readonly string[] PinnedMergeModesIds =
    [
        "cumsum-forward-s0-9235e3f699", "cumsum-backward-s0-a8f3958a75", "cumsum-bidirectional-concat-s0-bc7400cb7e",
        "cumsum-bidirectional-sum-s0-a9cbf3c742", "cumsum-bidirectional-mul-s0-e915724b86", "cumsum-bidirectional-ave-s0-6c080f382a",
    ];

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
