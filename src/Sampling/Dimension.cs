using System.Globalization;

namespace SweepCluster.Sampling;

/// <summary>
/// One named axis of a <see cref="SearchSpace"/>. Build it with <see cref="Choice"/>, <see cref="Uniform"/>,
/// <see cref="LogUniform"/> or <see cref="IntUniform"/>; the space validates it.
/// </summary>
public sealed record Dimension
{
    private Dimension(string name, DimensionKind kind, double low, double high, IReadOnlyList<ParameterValue> choices, DimensionCondition? when)
    {
        Name = name;
        Kind = kind;
        Low = low;
        High = high;
        Choices = choices;
        When = when;
    }

    public string Name { get; }

    public DimensionKind Kind { get; }

    /// <summary>The lowest value of a numeric dimension (0 for choices).</summary>
    public double Low { get; }

    /// <summary>The highest value of a numeric dimension, included (0 for choices).</summary>
    public double High { get; }

    /// <summary>The values of a choices dimension (empty for numeric ones).</summary>
    public IReadOnlyList<ParameterValue> Choices { get; }

    /// <summary>When the dimension applies; null when always.</summary>
    public DimensionCondition? When { get; }

    public static Dimension Choice(string name, IReadOnlyList<ParameterValue> choices, DimensionCondition? when = null) =>
        new(name, DimensionKind.Choices, 0, 0, choices ?? throw new ArgumentNullException(nameof(choices)), when);

    public static Dimension Uniform(string name, double low, double high, DimensionCondition? when = null) =>
        new(name, DimensionKind.Uniform, low, high, [], when);

    public static Dimension LogUniform(string name, double low, double high, DimensionCondition? when = null) =>
        new(name, DimensionKind.LogUniform, low, high, [], when);

    public static Dimension IntUniform(string name, double low, double high, DimensionCondition? when = null) =>
        new(name, DimensionKind.IntUniform, low, high, [], when);

    /// <summary>
    /// The value where the estimators work: a choice's index, the logarithm for log_uniform, the number otherwise;
    /// null when the value is not in this dimension (another type, out of bounds, not a choice, off the int grid).
    /// </summary>
    internal double? ToInternal(ParameterValue value)
    {
        if (Kind == DimensionKind.Choices)
        {
            for (var i = 0; i < Choices.Count; i++)
            {
                if (Choices[i] == value)
                {
                    return i;
                }
            }

            return null;
        }

        if (value.IsText || !double.IsFinite(value.Number) || value.Number < Low || value.Number > High)
        {
            return null;
        }

        return Kind switch
        {
            DimensionKind.LogUniform => Math.Log(value.Number),
            DimensionKind.IntUniform when value.Number != Math.Round(value.Number) => null,
            _ => value.Number,
        };
    }

    /// <summary>The inverse of <see cref="ToInternal"/>, clamped into the bounds that rounding may leave.</summary>
    internal ParameterValue FromInternal(double value) => Kind switch
    {
        DimensionKind.Choices => Choices[(int)value],
        DimensionKind.LogUniform => Math.Clamp(Math.Exp(value), Low, High),
        DimensionKind.IntUniform => Math.Clamp(Math.Round(value), Low, High),
        _ => Math.Clamp(value, Low, High),
    };

    /// <summary>The internal interval the estimators cover.</summary>
    internal (double Low, double High) InternalBounds => Kind switch
    {
        DimensionKind.Choices => (0, Choices.Count - 1),
        DimensionKind.LogUniform => (Math.Log(Low), Math.Log(High)),
        _ => (Low, High),
    };

    /// <summary>A value drawn uniformly (in log space for log_uniform), as random search and the startup trials do.</summary>
    internal ParameterValue SampleUniformly(SamplingRandom random) => Kind switch
    {
        DimensionKind.Choices => Choices[random.NextInt(Choices.Count)],
        DimensionKind.IntUniform => random.NextInt64Inclusive((long)Low, (long)High),
        _ => FromInternal(InternalBounds.Low + (random.NextDouble() * (InternalBounds.High - InternalBounds.Low))),
    };

    public override string ToString() => Kind == DimensionKind.Choices
        ? $"{Name}: choices [{string.Join(", ", Choices)}]"
        : string.Create(CultureInfo.InvariantCulture, $"{Name}: {Kind} [{Low}, {High}]");
}
