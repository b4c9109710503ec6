using SweepCluster.Client.Output;

namespace SweepCluster.Client.Tests;

/// <summary>The main-effect variance shares on data whose answer is known.</summary>
public sealed class ParameterImportanceTests
{
    [Fact]
    public void OnAFullGridTheSharesAreEachMainEffectsVarianceOverTheTotal()
    {
        // y = a + b with a in {0, 1} (variance 0.25) and b in {0, 2} (variance 1); c changes nothing.
        var grid =
            from a in new[] { 0, 1 }
            from b in new[] { 0, 2 }
            from c in new[] { "x", "y" }
            select ((IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["a"] = $"{a}", ["b"] = $"{b}", ["c"] = c }, (double)(a + b));

        var effects = ParameterImportance.Rank(["a", "b", "c"], [.. grid]);

        Assert.Equal(["b", "a", "c"], effects.Select(e => e.Parameter));
        Assert.Equal(0.8, effects[0].Share, 12);
        Assert.Equal(0.2, effects[1].Share, 12);
        Assert.Equal(0.0, effects[2].Share, 12);
    }

    [Fact]
    public void ARandomSearchsContinuousParameterThatDrivesTheObjectiveRanksFirst()
    {
        // 60 configurations, each with its own learning rate (log-uniform) and batch size; the loss follows log(lr).
        var rnd = new Random(7);
        var configurations = Enumerable.Range(0, 60).Select(_ =>
        {
            var lr = Math.Pow(10, -4 + 3 * rnd.NextDouble());
            var batch = new[] { 16, 32, 64 }[rnd.Next(3)];
            var values = new Dictionary<string, string> { ["learning_rate"] = lr.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ["batch"] = $"{batch}" };
            return ((IReadOnlyDictionary<string, string>)values, 0.1 * Math.Abs(Math.Log10(lr) + 2.5) + 0.01 * rnd.NextDouble());
        }).ToList();

        var effects = ParameterImportance.Rank(["batch", "learning_rate"], configurations);

        Assert.Equal("learning_rate", effects[0].Parameter);
        Assert.Equal(ParameterImportance.Bins, effects[0].Levels); // 60 distinct values, binned
        Assert.True(effects[0].Share > 0.8, $"learning_rate explains {effects[0].Share:P0}");
        Assert.True(effects[1].Share < 0.1, $"batch explains {effects[1].Share:P0}");
    }

    [Fact]
    public void AnObjectiveThatNeverChangesGivesEveryParameterNoShare()
    {
        IReadOnlyDictionary<string, string> x = new Dictionary<string, string> { ["a"] = "1" }, y = new Dictionary<string, string> { ["a"] = "2" };

        Assert.Equal(0, ParameterImportance.Rank(["a"], [(x, 0.5), (y, 0.5)]).Single().Share);
    }
}
