namespace SweepCluster.Sampling.Tests;

public sealed class TpeSamplerTests
{
    private static readonly SearchSpace Space = new(
    [
        Dimension.LogUniform("learning_rate", 1e-5, 1),
        Dimension.IntUniform("hidden", 8, 256),
        Dimension.Uniform("dropout", 0, 0.8),
        Dimension.Choice("optimizer", ["sgd", "adam", "rmsprop"]),
        Dimension.Choice("layers", [1, 2, 3]),
    ]);

    [Fact]
    public void TheSameSeedAndHistoryGiveTheSameSuggestionOnEveryThread()
    {
        var history = History(Space, count: 20, seed: 3);
        var pending = new[] { History(Space, count: 1, seed: 4)[0].Assignment };
        var expected = new TpeSampler(Space, TpeSettings.Default, seed: 11).Suggest(history, pending);

        var suggestions = new Assignment[16];
        Parallel.For(0, suggestions.Length, i => suggestions[i] = new TpeSampler(Space, TpeSettings.Default, seed: 11).Suggest(history, pending));

        Assert.All(suggestions, suggestion => Assert.Equal(expected, suggestion));
    }

    [Fact]
    public void AnotherSeedOrHistoryGivesAnotherSuggestion()
    {
        var history = History(Space, count: 20, seed: 3);
        var suggestion = new TpeSampler(Space, TpeSettings.Default, seed: 11).Suggest(history, []);

        Assert.NotEqual(suggestion, new TpeSampler(Space, TpeSettings.Default, seed: 12).Suggest(history, []));
        Assert.NotEqual(suggestion, new TpeSampler(Space, TpeSettings.Default, seed: 11).Suggest(history.Reverse().ToArray(), []));
    }

    [Fact]
    public void StartupSuggestionsAreRandomDrawsInsideTheSpace()
    {
        var sampler = new TpeSampler(Space, TpeSettings.Default, seed: 5);
        var pending = new List<Assignment>();
        for (var i = 0; i < TpeSettings.Default.StartupTrials; i++)
        {
            pending.Add(sampler.Suggest([], pending));
        }

        Assert.Equal(pending.Count, pending.Distinct().Count());
        Assert.All(pending, AssertInside);
        // Log-uniform startup draws spread over the decades rather than crowding the top one.
        Assert.Contains(pending, assignment => assignment["learning_rate"].Number < 1e-2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SuggestionsAfterStartupStayInsideTheSpaceAndOnItsGrids(bool multivariate)
    {
        var sampler = new TpeSampler(Space, new TpeSettings(Multivariate: multivariate), seed: 9);
        var finished = new List<Observation>();
        for (var i = 0; i < 60; i++)
        {
            var assignment = sampler.Suggest(finished, []);
            AssertInside(assignment);
            finished.Add(new Observation(assignment, (assignment["hidden"].Number - 100) * (assignment["hidden"].Number - 100)));
        }
    }

    [Fact]
    public void APendingSuggestionMakesTheNextOneDiffer()
    {
        var sampler = new TpeSampler(Space, TpeSettings.Default, seed: 21);
        var history = History(Space, count: 30, seed: 8);

        var first = sampler.Suggest(history, []);
        var second = sampler.Suggest(history, [first]);
        var third = sampler.Suggest(history, [first, second]);

        // (They would differ by their random draws alone; TheConstantLiarSteersParallelSuggestionsAwayFromPendingOnes shows the lie moves them.)
        Assert.NotEqual(first, second);
        Assert.NotEqual(first, third);
        Assert.NotEqual(second, third);
    }

    [Fact]
    public void TheConstantLiarSteersParallelSuggestionsAwayFromPendingOnes()
    {
        // With few good trials and many pending ones near them, g(x) rises there and pushes suggestions away.
        var space = new SearchSpace([Dimension.Uniform("x", 0, 1)]);
        var finished = Enumerable.Range(0, 20).Select(i => new Observation(Of(("x", i / 20.0)), Math.Abs((i / 20.0) - 0.3))).ToArray();
        var crowd = Enumerable.Range(0, 10).Select(i => Of(("x", 0.3 + ((i - 5) * 0.002)))).ToArray();

        double MeanDistance(bool liar) => Enumerable.Range(0, 40)
            .Select(seed => Math.Abs(new TpeSampler(space, new TpeSettings(ConstantLiar: liar), seed).Suggest(finished, crowd)["x"].Number - 0.3))
            .Average();

        Assert.True(MeanDistance(liar: true) > MeanDistance(liar: false), $"liar {MeanDistance(true)} vs no liar {MeanDistance(false)}");
    }

    [Fact]
    public void DivergedTrialsAreNeverCountedGood()
    {
        var finished = new[]
        {
            new Observation(Of(("x", 0.1)), double.NaN),
            new Observation(Of(("x", 0.2)), double.NegativeInfinity),
            new Observation(Of(("x", 0.3)), 5),
            new Observation(Of(("x", 0.4)), double.PositiveInfinity),
        };

        var split = GoodBadSplit.Of(finished, [], new TpeSettings(GoodFraction: 1));

        Assert.Equal([0.3], split.Good.Select(assignment => assignment["x"].Number));
        Assert.Equal([0.1, 0.2, 0.4], split.Bad.Select(assignment => assignment["x"].Number));
    }

    [Fact]
    public void AllDivergedTrialsStillGiveASuggestion()
    {
        var space = new SearchSpace([Dimension.Uniform("x", 0, 1)]);
        var finished = Enumerable.Range(0, 12).Select(i => new Observation(Of(("x", i / 12.0)), double.NaN)).ToArray();

        var suggestion = new TpeSampler(space, TpeSettings.Default, seed: 1).Suggest(finished, []);

        Assert.InRange(suggestion["x"].Number, 0, 1);
    }

    [Fact]
    public void GoodTrialsAreTheBestTenthRoundedUp()
    {
        var finished = Enumerable.Range(0, 31).Select(i => new Observation(Of(("x", i)), 100 - i)).ToArray();

        var split = GoodBadSplit.Of(finished, [Of(("x", -1))], TpeSettings.Default);

        // 31 finished + 1 pending: ceil(0.1 * 32) = 4 good, in arrival order; the pending one is the last bad.
        Assert.Equal([27.0, 28, 29, 30], split.Good.Select(assignment => assignment["x"].Number));
        Assert.Equal(-1, split.Bad[^1]["x"].Number);
    }

    [Fact]
    public void TheModelFavoursTheChoiceOfTheGoodTrials()
    {
        var history = History(Space, count: 40, seed: 6)
            .Select((observation, i) => observation with { Objective = (observation.Assignment["optimizer"].Text == "rmsprop" ? 0 : 1) + (i * 1e-3) })
            .ToArray();

        var picks = Enumerable.Range(0, 30).Select(seed => new TpeSampler(Space, TpeSettings.Default, seed).Suggest(history, [])["optimizer"].Text);

        Assert.InRange(picks.Count(pick => pick == "rmsprop"), 20, 30);
    }

    [Fact]
    public void WithoutStartupTheFirstSuggestionComesFromThePriorAlone()
    {
        var suggestion = new TpeSampler(Space, new TpeSettings(StartupTrials: 0), seed: 3).Suggest([], []);

        AssertInside(suggestion);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AConditionalDimensionIsSuggestedOnlyWhenItApplies(bool multivariate)
    {
        var space = new SearchSpace(
        [
            Dimension.Choice("direction", ["forward", "bidirectional"]),
            Dimension.Choice("merge_mode", ["sum", "concat"], new DimensionCondition("direction", ["bidirectional"])),
            Dimension.Uniform("dropout", 0, 0.5),
        ]);
        var sampler = new TpeSampler(space, new TpeSettings(Multivariate: multivariate), seed: 2);
        var finished = new List<Observation>();
        for (var i = 0; i < 40; i++)
        {
            var assignment = sampler.Suggest(finished, []);
            var bidirectional = assignment["direction"].Text == "bidirectional";
            Assert.Equal(bidirectional, assignment.ContainsKey("merge_mode"));
            var merge = bidirectional && assignment["merge_mode"].Text == "concat" ? 0 : 1;
            finished.Add(new Observation(assignment, merge + assignment["dropout"].Number));
        }

        Assert.True(finished.Skip(20).Count(observation => observation.Assignment.TryGetValue("merge_mode", out var merge) && merge.Text == "concat") >= 10);
    }

    [Fact]
    public void ObservationsWithMissingOrForeignValuesAreIgnoredForThatDimension()
    {
        var finished = Enumerable.Range(0, 15).Select(i => new Observation(
            (i % 3) switch
            {
                0 => Of(("learning_rate", 1e-3), ("optimizer", "adam")),
                1 => Of(("learning_rate", 50.0), ("optimizer", "lion"), ("hidden", 64.5)),
                _ => Of(("hidden", "many"), ("unknown", 1.0)),
            },
            i)).ToArray();

        var suggestion = new TpeSampler(Space, TpeSettings.Default, seed: 4).Suggest(finished, []);

        AssertInside(suggestion);
    }

    internal static Assignment Of(params (string Name, ParameterValue Value)[] values) =>
        new(values.Select(pair => KeyValuePair.Create(pair.Name, pair.Value)));

    private static Observation[] History(SearchSpace space, int count, int seed)
    {
        var random = new TpeSampler(space, new TpeSettings(StartupTrials: int.MaxValue), seed);
        var history = new List<Observation>();
        for (var i = 0; i < count; i++)
        {
            var assignment = random.Suggest(history, []);
            history.Add(new Observation(assignment, Math.Abs(Math.Log10(assignment["learning_rate"].Number) + 3)));
        }

        return history.ToArray();
    }

    private static void AssertInside(Assignment assignment)
    {
        Assert.Equal(Space.Dimensions.Count, assignment.Count);
        Assert.InRange(assignment["learning_rate"].Number, 1e-5, 1);
        Assert.InRange(assignment["hidden"].Number, 8, 256);
        Assert.Equal(Math.Round(assignment["hidden"].Number), assignment["hidden"].Number);
        Assert.InRange(assignment["dropout"].Number, 0, 0.8);
        Assert.Contains(assignment["optimizer"], Space["optimizer"].Choices);
        Assert.Contains(assignment["layers"], Space["layers"].Choices);
    }
}
