namespace SweepCluster.Sampling;

/// <summary>
/// The named dimensions a sampler draws, in the order given (a conditional dimension after the one it depends on).
/// The constructor rejects a space the estimators cannot use, naming the dimension.
/// </summary>
public sealed class SearchSpace
{
    private readonly Dictionary<string, Dimension> _byName = new(StringComparer.Ordinal);

    /// <exception cref="SearchSpaceException">A dimension is invalid; its name and the problem are in the message.</exception>
    public SearchSpace(IReadOnlyList<Dimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count == 0)
        {
            throw new ArgumentException("a search space needs at least one dimension", nameof(dimensions));
        }

        foreach (var dimension in dimensions)
        {
            ArgumentNullException.ThrowIfNull(dimension, nameof(dimensions));
            if (string.IsNullOrWhiteSpace(dimension.Name))
            {
                throw new SearchSpaceException(dimension.Name ?? "", "a dimension needs a name");
            }

            Validate(dimension);
            if (!_byName.TryAdd(dimension.Name, dimension))
            {
                throw new SearchSpaceException(dimension.Name, "is declared twice");
            }
        }

        Dimensions = dimensions.ToArray();
    }

    public IReadOnlyList<Dimension> Dimensions { get; }

    public Dimension this[string name] => _byName[name];

    /// <summary>Whether <paramref name="dimension"/> applies to an assignment whose earlier dimensions hold <paramref name="values"/>.</summary>
    internal static bool Applies(Dimension dimension, IReadOnlyDictionary<string, ParameterValue> values) =>
        dimension.When is not { } when || (values.TryGetValue(when.Dimension, out var parent) && when.Values.Contains(parent));

    private void Validate(Dimension dimension)
    {
        var name = dimension.Name;
        switch (dimension.Kind)
        {
            case DimensionKind.Choices:
                if (dimension.Choices.Count == 0)
                {
                    throw new SearchSpaceException(name, "choices is empty");
                }

                for (var i = 0; i < dimension.Choices.Count; i++)
                {
                    var choice = dimension.Choices[i];
                    if (!choice.IsText && !double.IsFinite(choice.Number))
                    {
                        throw new SearchSpaceException(name, $"choice {i} is not a finite number ({choice})");
                    }

                    if (dimension.Choices.Take(i).Contains(choice))
                    {
                        throw new SearchSpaceException(name, $"choice '{choice}' is listed twice");
                    }
                }

                break;
            default:
                var kind = KindName(dimension.Kind);
                if (!double.IsFinite(dimension.Low) || !double.IsFinite(dimension.High))
                {
                    throw new SearchSpaceException(name, $"{kind} bounds must be finite numbers (got [{dimension.Low}, {dimension.High}])");
                }

                if (dimension.Low >= dimension.High)
                {
                    throw new SearchSpaceException(name, $"{kind} needs low < high (got [{dimension.Low}, {dimension.High}])");
                }

                if (dimension.Kind == DimensionKind.LogUniform && dimension.Low <= 0)
                {
                    throw new SearchSpaceException(name, $"log_uniform needs low > 0 (got {dimension.Low})");
                }

                if (dimension.Kind == DimensionKind.IntUniform)
                {
                    if (dimension.Low < int.MinValue || dimension.High > int.MaxValue)
                    {
                        throw new SearchSpaceException(name, $"int_uniform bounds must lie within [{int.MinValue}, {int.MaxValue}]");
                    }

                    if (dimension.Low != Math.Round(dimension.Low) || dimension.High != Math.Round(dimension.High))
                    {
                        throw new SearchSpaceException(name, $"int_uniform bounds must be whole numbers (got [{dimension.Low}, {dimension.High}])");
                    }
                }

                break;
        }

        if (dimension.When is { } when)
        {
            ValidateCondition(name, when);
        }
    }

    // The parent must already be declared, so conditions cannot form cycles and one pass in order decides them.
    private void ValidateCondition(string name, DimensionCondition when)
    {
        if (when.Dimension is null || !_byName.TryGetValue(when.Dimension, out var parent))
        {
            throw new SearchSpaceException(name, $"its condition names '{when.Dimension}', which is not a dimension declared before it");
        }

        if (parent.Kind != DimensionKind.Choices)
        {
            throw new SearchSpaceException(name, $"its condition names '{parent.Name}', which is not a choices dimension");
        }

        if (when.Values is null || when.Values.Count == 0)
        {
            throw new SearchSpaceException(name, "its condition lists no values");
        }

        foreach (var value in when.Values)
        {
            if (!parent.Choices.Contains(value))
            {
                throw new SearchSpaceException(name, $"its condition value '{value}' is not one of {parent.Name}'s choices");
            }
        }
    }

    private static string KindName(DimensionKind kind) => kind switch
    {
        DimensionKind.LogUniform => "log_uniform",
        DimensionKind.IntUniform => "int_uniform",
        _ => "uniform",
    };
}
