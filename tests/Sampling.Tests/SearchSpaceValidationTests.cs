namespace SweepCluster.Sampling.Tests;

public sealed class SearchSpaceValidationTests
{
    public static TheoryData<string, Dimension, string> BadDimensions => new()
    {
        { "dropout", Dimension.Uniform("dropout", 0.5, 0.5), "low < high" },
        { "dropout", Dimension.Uniform("dropout", 0.6, 0.1), "low < high" },
        { "lr", Dimension.LogUniform("lr", 0, 1), "low > 0" },
        { "lr", Dimension.LogUniform("lr", -1e-3, 1), "low > 0" },
        { "dropout", Dimension.Uniform("dropout", double.NaN, 1), "finite" },
        { "lr", Dimension.LogUniform("lr", 1e-4, double.PositiveInfinity), "finite" },
        { "optimizer", Dimension.Choice("optimizer", []), "empty" },
        { "optimizer", Dimension.Choice("optimizer", ["adam", "adam"]), "twice" },
        { "hidden", Dimension.Choice("hidden", [32, double.NaN]), "finite" },
        { "hidden", Dimension.IntUniform("hidden", 1, 3e9), "within" },
        { "hidden", Dimension.IntUniform("hidden", -1e10, 3), "within" },
        { "hidden", Dimension.IntUniform("hidden", 1.5, 8), "whole" },
        { "merge", Dimension.Choice("merge", ["sum"], new DimensionCondition("nope", ["x"])), "not a dimension declared before it" },
        { "merge", Dimension.Choice("merge", ["sum"], new DimensionCondition("dropout_ok", ["x"])), "not a dimension declared before it" },
        { "merge", Dimension.Choice("merge", ["sum"], new DimensionCondition("layers", [1])), "not a choices dimension" },
        { "merge", Dimension.Choice("merge", ["sum"], new DimensionCondition("direction", ["sideways"])), "not one of direction's choices" },
        { "merge", Dimension.Choice("merge", ["sum"], new DimensionCondition("direction", [])), "no values" },
    };

    [Theory]
    [MemberData(nameof(BadDimensions))]
    public void ABadDimensionIsRejectedByName(string name, Dimension bad, string problem)
    {
        Dimension[] dimensions =
        [
            Dimension.Choice("direction", ["forward", "bidirectional"]),
            Dimension.IntUniform("layers", 1, 3),
            bad,
            Dimension.Choice("dropout_ok", ["x"]),
        ];

        var error = Assert.Throws<SearchSpaceException>(() => new SearchSpace(dimensions));

        Assert.Equal(name, error.DimensionName);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateNameIsRejectedByName()
    {
        var error = Assert.Throws<SearchSpaceException>(() => new SearchSpace(
            [Dimension.Uniform("dropout", 0, 0.5), Dimension.LogUniform("lr", 1e-4, 1), Dimension.Uniform("dropout", 0, 0.9)]));

        Assert.Equal("dropout", error.DimensionName);
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptySpaceAndBadSettingsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new SearchSpace([]));
        var space = new SearchSpace([Dimension.Uniform("x", 0, 1)]);

        var candidates = Assert.Throws<ArgumentException>(() => new TpeSampler(space, new TpeSettings(Candidates: 0), seed: 1));
        var fraction = Assert.Throws<ArgumentException>(() => new TpeSampler(space, new TpeSettings(GoodFraction: double.NaN), seed: 1));
        var prior = Assert.Throws<ArgumentException>(() => new TpeSampler(space, new TpeSettings(PriorWeight: 0), seed: 1));

        Assert.Equal("Candidates", candidates.ParamName);
        Assert.Equal("GoodFraction", fraction.ParamName);
        Assert.Equal("PriorWeight", prior.ParamName);
    }

    [Fact]
    public void AValidSpaceKeepsItsOrderAndLimits()
    {
        var space = new SearchSpace(
        [
            Dimension.Choice("direction", ["forward", "bidirectional"]),
            Dimension.Choice("merge", ["sum", "concat"], new DimensionCondition("direction", ["bidirectional"])),
            Dimension.IntUniform("hidden", int.MinValue, int.MaxValue),
        ]);

        Assert.Equal(["direction", "merge", "hidden"], space.Dimensions.Select(dimension => dimension.Name));
    }
}
