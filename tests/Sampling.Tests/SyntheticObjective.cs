namespace SweepCluster.Sampling.Tests;

/// <summary>A test function with a known optimum over a mixed space; measured with Gaussian noise.</summary>
internal sealed record SyntheticObjective(string Name, SearchSpace Space, Func<Assignment, double> Value, double Minimum, double Noise)
{
    private static readonly string[] Optimizers = ["sgd", "adam", "rmsprop", "adagrad"];
    private static readonly double[] OptimizerPenalty = [1.0, 0, 0.4, 0.8];

    /// <summary>
    /// A shifted quadratic in four dimensions: learning_rate (log_uniform, best 3e-3), hidden (int_uniform, best
    /// 200), dropout (uniform, best 0.25), optimizer (choices, adam best). Minimum 0.
    /// </summary>
    public static SyntheticObjective ShiftedQuadratic { get; } = new(
        "shifted quadratic",
        new SearchSpace(
        [
            Dimension.LogUniform("learning_rate", 1e-5, 1),
            Dimension.IntUniform("hidden", 8, 512),
            Dimension.Uniform("dropout", 0, 0.9),
            Dimension.Choice("optimizer", [.. Optimizers.Select(ParameterValue.Of)]),
        ]),
        assignment =>
            Square((Math.Log10(assignment["learning_rate"].Number) - Math.Log10(3e-3)) / 1.5)
            + Square((assignment["hidden"].Number - 200) / 128)
            + Square((assignment["dropout"].Number - 0.25) / 0.3)
            + OptimizerPenalty[Array.IndexOf(Optimizers, assignment["optimizer"].Text)],
        Minimum: 0,
        Noise: 0.02);

    /// <summary>
    /// Branin over x1 (uniform [-5, 10]) and x2 (int_uniform [0, 15]), plus a log_uniform scale (best 3) and a
    /// choices offset (a best). Minimum 0.3979 + the grid's cost (x2 whole: 0.3979 at (pi, 2.275) becomes ~0.41).
    /// </summary>
    public static SyntheticObjective Branin { get; } = new(
        "branin",
        new SearchSpace(
        [
            Dimension.Uniform("x1", -5, 10),
            Dimension.IntUniform("x2", 0, 15),
            Dimension.LogUniform("scale", 1e-2, 1e2),
            Dimension.Choice("variant", ["a", "b", "c"]),
        ]),
        assignment =>
            BraninValue(assignment["x1"].Number, assignment["x2"].Number)
            + Square(Math.Log10(assignment["scale"].Number) - Math.Log10(3))
            + (assignment["variant"].Text switch { "a" => 0, "b" => 2, _ => 5 }),
        Minimum: 0.3979,
        Noise: 0.05);

    public double Measure(Assignment assignment, SamplingRandom noise) => Value(assignment) + (Noise * noise.NextGaussian());

    private static double BraninValue(double x1, double x2)
    {
        const double B = 5.1 / (4 * Math.PI * Math.PI);
        const double C = 5 / Math.PI;
        const double T = 1 / (8 * Math.PI);
        return Square(x2 - (B * x1 * x1) + (C * x1) - 6) + (10 * (1 - T) * Math.Cos(x1)) + 10;
    }

    private static double Square(double x) => x * x;
}
