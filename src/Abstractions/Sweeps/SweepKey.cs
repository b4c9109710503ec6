using System.Globalization;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A key of the spec that <c>parameters:</c> may sweep (see <see cref="SweepKeys"/>): how its values are spelled, set
/// on a <see cref="TrialConfig"/> and read back. Values travel as their spec spelling (<see cref="Canonical"/>), so
/// results.csv, conditions and trial ids all see the same text. Ranges are not checked here: a value is set on a
/// config and checked by <see cref="TrialConfig.Validate"/>, exactly as the fixed key is.
/// </summary>
public sealed class SweepKey
{
    private readonly Func<TrialConfig, string, TrialConfig> _apply;
    private readonly Func<TrialConfig, string> _read;

    private SweepKey(string name, string label, Func<TrialConfig, string, TrialConfig> apply, Func<TrialConfig, string> read)
    {
        Name = name;
        Label = label;
        _apply = apply;
        _read = read;
    }

    /// <summary>As written in a spec and as the field <see cref="TrialConfig.Validate"/> names: <c>task_options.timesteps</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Its prefix in a variant name (<c>h</c> for hidden: <c>bidirectional-sum-h20</c>); empty for a named key whose
    /// value names itself (<c>-sgd</c>). Direction and merge mode start every variant name instead.
    /// </summary>
    public string Label { get; }

    /// <summary>The spellings a named key takes (direction, merge_mode); null for numbers.</summary>
    public IReadOnlyList<string>? Choices { get; private init; }

    /// <summary>Whole numbers within this bound (the key's <see cref="Limits"/>), for <c>int_uniform</c>; null otherwise.</summary>
    public Bound? Whole { get; private init; }

    /// <summary>A real number's range, for <c>uniform</c> and <c>log_uniform</c>; null otherwise.</summary>
    public (double Low, double High)? Real { get; private init; }

    /// <summary>
    /// Whether a variant name shows the value as spelled rather than to 3 significant digits: beta_2's 0.999 and 0.9999
    /// would both be "1", and trials are ranked per variant.
    /// </summary>
    public bool NamedExactly { get; private init; }

    /// <summary>
    /// When the key applies if its parameter says nothing: merge_mode only to bidirectional trials (the rule before
    /// any parameter could say when it applies).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? DefaultWhen { get; private init; }

    /// <summary>
    /// What must hold for the key to apply at all, added to any condition its parameter gives: an optimizer's setting
    /// only where the trial uses that optimizer (momentum on an Adam trial would change nothing, yet make a trial).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Requires { get; private init; }

    /// <summary>
    /// <paramref name="config"/> changed, where needed, to meet <see cref="Requires"/> (the first value listed), so that
    /// a value of this key can be checked on it: momentum on an SGD trial.
    /// </summary>
    public TrialConfig Admitting(TrialConfig config)
    {
        foreach (var (name, values) in Requires ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (SweepKeys.Find(name) is { } required && !values.Contains(required.Read(config)))
            {
                config = required.Apply(config, values[0]);
            }
        }

        return config;
    }

    /// <summary>Whether <paramref name="config"/> (a spec's fixed settings) sets this key itself, so sweeping it too would be ambiguous.</summary>
    public bool IsFixedIn(TrialConfig config) => FixedIn?.Invoke(config) ?? false;

    private Func<TrialConfig, bool>? FixedIn { get; init; }

    /// <summary>Whether a value of this key can be drawn from <paramref name="kind"/>.</summary>
    public bool Takes(DistributionKind kind) =>
        kind == DistributionKind.IntUniform ? Whole is not null : Real is not null && kind is DistributionKind.Uniform or DistributionKind.LogUniform;

    /// <summary>The spec spelling of <paramref name="text"/> (<c>010</c> is <c>10</c>, <c>1e-3</c> is <c>0.001</c>), or a <see cref="ConfigException"/> naming <paramref name="path"/>.</summary>
    public string Canonical(string? text, string path)
    {
        var trimmed = text?.Trim() ?? "";
        if (Choices is not null)
        {
            var lower = trimmed.ToLowerInvariant();
            return Choices.Contains(lower) ? lower : throw new ConfigException(path, $"'{Shorten(trimmed)}' is not one of {string.Join(", ", Choices)}");
        }

        if (Whole is not null)
        {
            return trimmed.Length <= 20 && long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                ? whole is >= int.MinValue and <= int.MaxValue
                    ? whole.ToString(CultureInfo.InvariantCulture)
                    : throw new ConfigException(path, $"must be a whole number in {Whole}, got {trimmed}")
                : throw new ConfigException(path, $"'{Shorten(trimmed)}' is not a whole number");
        }

        return trimmed.Length <= 40 && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
            ? real.ToString("R", CultureInfo.InvariantCulture)
            : throw new ConfigException(path, $"'{Shorten(trimmed)}' is not a number");
    }

    /// <summary>The spelling of a value drawn from a distribution: whole numbers as such, real ones to 4 significant digits.</summary>
    public string FromSample(double value) => Whole is not null
        ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);

    /// <summary><paramref name="config"/> with this key set to <paramref name="value"/> (a <see cref="Canonical"/> spelling).</summary>
    public TrialConfig Apply(TrialConfig config, string value) => _apply(config, value);

    /// <summary>The value <paramref name="config"/> trains with, defaults resolved (hidden 20 for cumsum when unset).</summary>
    public string Read(TrialConfig config) => _read(config);

    internal static SweepKey Named<T>(string name, Func<T, string> spell, Func<TrialConfig, T, TrialConfig> set, Func<TrialConfig, T> get,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? defaultWhen = null)
        where T : struct, Enum
    {
        var byName = Enum.GetValues<T>().ToDictionary(spell);
        return new(name, "", (c, v) => set(c, byName[v]), c => spell(get(c))) { Choices = [.. byName.Keys], DefaultWhen = defaultWhen };
    }

    /// <summary>A yes/no setting, spelled <c>true</c> or <c>false</c>; <paramref name="label"/> and the value name it in a variant.</summary>
    internal static SweepKey Flag(
        string name, string label, Func<TrialConfig, bool, TrialConfig> set, Func<TrialConfig, bool> get,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? requires = null) =>
        new(name, label, (c, v) => set(c, v == "true"), c => get(c) ? "true" : "false") { Choices = ["false", "true"], Requires = requires };

    internal static SweepKey Integer(
        string name, string label, Bound bound, Func<TrialConfig, int, TrialConfig> set, Func<TrialConfig, int> get, Func<TrialConfig, bool>? fixedIn = null) =>
        new(name, label, (c, v) => set(c, int.Parse(v, CultureInfo.InvariantCulture)), c => get(c).ToString(CultureInfo.InvariantCulture))
        {
            Whole = bound, FixedIn = fixedIn,
        };

    internal static SweepKey Number(
        string name, string label, (double Low, double High) range, Func<TrialConfig, double, TrialConfig> set, Func<TrialConfig, double> get, bool namedExactly = false,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? requires = null) =>
        new(name, label, (c, v) => set(c, double.Parse(v, CultureInfo.InvariantCulture)), c => get(c).ToString("R", CultureInfo.InvariantCulture))
        {
            Real = range, NamedExactly = namedExactly, Requires = requires,
        };

    private static string Shorten(string text) =>
        new((text.Length > 40 ? text[..40] + "..." : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
