using System.Globalization;
using Xunit.Abstractions;

namespace SweepCluster.Sampling.Tests;

/// <summary>
/// The issue's acceptance test: at a budget of 50 trials (60 for Branin, whose three minima take longer to tell
/// apart), TPE's best beats random search's best in at least 7 of 10 seeds, one trial at a time and with 2-4 trials
/// in flight. Random search is the same sampler with an endless startup. Over 100 seeds the win rates are about 95%
/// (quadratic) and 75-80% (Branin); docs/sampling.md has the numbers.
/// </summary>
public sealed class TpeVersusRandomTests(ITestOutputHelper output)
{
    private const int Seeds = 10;
    private const int RequiredWins = 7;

    public static TheoryData<string, int> Objectives => new()
    {
        { SyntheticObjective.ShiftedQuadratic.Name, 50 },
        { SyntheticObjective.Branin.Name, 60 },
    };

    [Theory]
    [MemberData(nameof(Objectives))]
    public void TpeBeatsRandomSearchOneTrialAtATime(string objectiveName, int budget) =>
        AssertTpeWins(objectiveName, budget, (sampler, objective, seed) => SearchRun.Sequential(sampler, objective, budget, noiseSeed: (ulong)seed));

    [Theory]
    [MemberData(nameof(Objectives))]
    public void TpeBeatsRandomSearchWithTrialsInFlight(string objectiveName, int budget) =>
        AssertTpeWins(objectiveName, budget, (sampler, objective, seed) => SearchRun.Cluster(sampler, objective, budget, slots: 2 + (seed % 3), noiseSeed: (ulong)seed));

    private void AssertTpeWins(string objectiveName, int budget, Func<TpeSampler, SyntheticObjective, int, double> run)
    {
        var objective = objectiveName == SyntheticObjective.Branin.Name ? SyntheticObjective.Branin : SyntheticObjective.ShiftedQuadratic;
        var wins = 0;
        var tpeBests = new double[Seeds];
        var randomBests = new double[Seeds];
        for (var seed = 0; seed < Seeds; seed++)
        {
            tpeBests[seed] = run(new TpeSampler(objective.Space, TpeSettings.Default, seed), objective, seed);
            randomBests[seed] = run(new TpeSampler(objective.Space, new TpeSettings(StartupTrials: int.MaxValue), seed), objective, seed);
            wins += tpeBests[seed] < randomBests[seed] ? 1 : 0;
        }

        output.WriteLine($"{objective.Name} (minimum {Format(objective.Minimum)}), budget {budget}: TPE wins {wins}/{Seeds}");
        output.WriteLine($"  TPE best    median {Format(Median(tpeBests))}: {string.Join(" ", tpeBests.Select(Format))}");
        output.WriteLine($"  random best median {Format(Median(randomBests))}: {string.Join(" ", randomBests.Select(Format))}");
        Assert.True(wins >= RequiredWins, $"TPE won {wins} of {Seeds} seeds");
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Format(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
