using System.Collections;

namespace SweepCluster.Sampling;

/// <summary>
/// A value for each dimension that applies (name -> value). Names are compared and enumerated in ordinal order, so
/// nothing depends on hash or insertion order.
/// </summary>
public sealed class Assignment : IReadOnlyDictionary<string, ParameterValue>, IEquatable<Assignment>
{
    private readonly SortedDictionary<string, ParameterValue> _values = new(StringComparer.Ordinal);

    public Assignment(IEnumerable<KeyValuePair<string, ParameterValue>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (name, value) in values)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(values));
            if (!_values.TryAdd(name, value))
            {
                throw new ArgumentException($"'{name}' is assigned twice", nameof(values));
            }
        }
    }

    public ParameterValue this[string key] => _values[key];

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<ParameterValue> Values => _values.Values;

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out ParameterValue value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, ParameterValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Assignment? other) =>
        other is not null && other.Count == Count && _values.All(pair => other.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override bool Equals(object? obj) => Equals(obj as Assignment);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (name, value) in _values)
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _values.Select(pair => $"{pair.Key}: {pair.Value}")) + "}";
}
