using System.Globalization;
using System.Text.Json;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Sampling;

namespace SweepCluster.Engine;

/// <summary>
/// Drives the <see cref="TpeSampler"/> for a <c>method: tpe</c> sweep. It holds the sweep's suggestion log (each entry
/// the swept parameters' values as the spec names them; <see cref="SweepPlanner.Expand"/> turns the log into trials),
/// says how many suggestions a dispatch pass should make, and makes them from the ledger: finished suggestions in the
/// order they ended with their <see cref="TpeObjective"/> (the mean over their <c>repeats</c> seeds), the rest pending
/// (the sampler's constant liar). The caller persists new entries before it records them and appends their trials.
/// </summary>
public sealed class TpeSuggester
{
    /// <summary>A suggestion that repeats a configuration of the sweep is drawn again this often before it is accepted (as a repeat that trains nothing).</summary>
    public const int DuplicateRetries = 3;

    private readonly SweepSpec _spec;
    private readonly TpeSampler _sampler;
    private readonly List<IReadOnlyDictionary<string, string>> _log = [];

    /// <summary>Per log entry, its trials' ids (one per seed); an entry that repeated an earlier configuration has that one's.</summary>
    private readonly List<string[]> _trials = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <param name="spec">A validated <c>method: tpe</c> spec.</param>
    /// <param name="log">The suggestions the sweep made so far, in order (empty for a new sweep).</param>
    public TpeSuggester(SweepSpec spec, IReadOnlyList<IReadOnlyDictionary<string, string>> log)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        var options = spec.Tpe ?? new TpeOptions();
        var settings = TpeSettings.Default with
        {
            StartupTrials = options.Startup ?? TpeOptions.DefaultStartup,
            Candidates = options.Candidates ?? TpeOptions.DefaultCandidates,
        };
        _sampler = new TpeSampler(SpaceOf(spec), settings, spec.Seed);
        Record(log);
    }

    /// <summary>The suggestions made so far, oldest first.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Log => _log;

    /// <summary>Suggestions still to make: <c>trials</c> minus those made.</summary>
    public int Remaining => Math.Max(0, _spec.Trials - _log.Count);

    /// <summary>
    /// The search space of <paramref name="spec"/>: every swept key with more than one value (a choice, in its spec
    /// spelling) or a distribution, in expansion order. A key's condition (merge_mode: bidirectional trials) becomes the
    /// dimension's when it names a key that is a choice here; one on a key the spec fixes either always holds (no
    /// condition) or never does (no dimension: the key keeps its default).
    /// </summary>
    public static SearchSpace SpaceOf(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var ordered = SweepPlanner.InExpansionOrder(spec.Grid.Parameters);
        var dimensions = new List<Dimension>();
        var fixedValues = SweepPlanner.Baseline(spec);
        foreach (var parameter in ordered.Where(p => p.Distribution is null && p.Values.Count == 1))
        {
            fixedValues = SweepKeys.Find(parameter.Name)!.Apply(fixedValues, parameter.Values[0]);
        }

        foreach (var parameter in ordered)
        {
            DimensionCondition? when = null;
            var never = false;
            foreach (var (name, values) in SweepGrid.ConditionOf(parameter) ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                if (dimensions.FirstOrDefault(d => d.Name == name) is { } dimension)
                {
                    when = new DimensionCondition(dimension.Name, [.. values.Select(ParameterValue.Of)]);
                }
                else if (SweepKeys.Find(name) is { } key && !values.Contains(key.Read(fixedValues)))
                {
                    never = true;
                }
            }

            if (never)
            {
                continue;
            }

            if (parameter.Distribution is { } distribution)
            {
                dimensions.Add(distribution.Kind switch
                {
                    DistributionKind.LogUniform => Dimension.LogUniform(parameter.Name, distribution.Low, distribution.High, when),
                    DistributionKind.IntUniform => Dimension.IntUniform(parameter.Name, distribution.Low, distribution.High, when),
                    _ => Dimension.Uniform(parameter.Name, distribution.Low, distribution.High, when),
                });
            }
            else if (parameter.Values.Count > 1)
            {
                dimensions.Add(Dimension.Choice(parameter.Name, [.. parameter.Values.Select(ParameterValue.Of)], when));
            }
        }

        return new SearchSpace(dimensions);
    }

    /// <summary>
    /// How many suggestions a dispatch pass makes: enough for the queued trials to cover <paramref name="freeSlots"/> (a
    /// suggestion is <c>repeats</c> trials), so every suggestion knows every result it can; and one when the sweep would
    /// otherwise have nothing queued or training (no free slot was seen), so it never looks finished while it has more to
    /// suggest. At most <see cref="Remaining"/>.
    /// </summary>
    public int Wanted(TrialLedger ledger, int freeSlots)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var missing = freeSlots - ledger.Queued.Count();
        var wanted = missing > 0 ? (missing + _spec.Repeats - 1) / _spec.Repeats : 0;
        if (wanted == 0 && ledger.AllFinished && !ledger.AwaitingEnd.Any())
        {
            wanted = 1;
        }

        return Math.Min(wanted, Remaining);
    }

    /// <summary>
    /// The next <paramref name="count"/> suggestions (fewer when <see cref="Remaining"/> is smaller), each made with the
    /// ones before it pending. Nothing is recorded: persist them, then <see cref="Record"/> them.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Suggest(TrialLedger ledger, int count)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var (finished, pending) = History(ledger);
        var made = new List<IReadOnlyDictionary<string, string>>();
        var batch = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(count, Remaining); i++)
        {
            var tried = new List<Assignment>();
            IReadOnlyDictionary<string, string> entry;
            while (true)
            {
                var assignment = _sampler.Suggest(finished, [.. pending, .. tried]);
                entry = Entry(assignment);
                var id = TrialIdsOf(entry)[0];
                if ((!_known.Contains(id) && batch.Add(id)) || tried.Count == DuplicateRetries)
                {
                    pending.Add(Assignment(entry));
                    break;
                }

                tried.Add(assignment); // a configuration the sweep has: pending, so the next draw moves away from it
            }

            made.Add(entry);
        }

        return made;
    }

    /// <summary>Adds persisted suggestions to the log; returns the trials to append to the ledger (none for a repeated configuration).</summary>
    public IReadOnlyList<PlannedTrial> Record(IReadOnlyList<IReadOnlyDictionary<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var trials = new List<PlannedTrial>();
        foreach (var entry in entries)
        {
            var planned = SweepPlanner.Expand(_spec, [entry]);
            var fresh = !_known.Contains(planned[0].Id);
            _log.Add(entry);
            _trials.Add([.. planned.Select(t => t.Id)]);
            if (fresh)
            {
                _known.UnionWith(planned.Select(t => t.Id));
                trials.AddRange(planned);
            }
        }

        return trials;
    }

    /// <summary>A log entry as the store keeps it: a JSON object of the parameters' values.</summary>
    public static string Encode(IReadOnlyDictionary<string, string> entry) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(entry.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> Decode(string text) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? throw new FormatException("a suggestion log entry is null");

    /// <summary>
    /// Finished suggestions in the order their last trial ended (objective: the mean over their seeds), and the rest
    /// pending, in log order. A repeated configuration counts again with its trials' result (after the first), so the
    /// history changes and the next suggestion moves on rather than repeating it once more.
    /// </summary>
    internal (List<Observation> Finished, List<Assignment> Pending) History(TrialLedger ledger)
    {
        var finished = new List<(long EndedAt, int Entry, Observation Observation)>();
        var pending = new List<Assignment>();
        for (var k = 0; k < _log.Count; k++)
        {
            var records = _trials[k].Select(id => ledger.IndexOf(id) is { } index ? ledger[index] : null).ToList();
            if (records.Any(r => r is null || !r.HasEnded))
            {
                pending.Add(Assignment(_log[k]));
                continue;
            }

            var objective = records.Average(r => TpeObjective.Of(ledger, r!));
            finished.Add((records.Max(r => r!.EndedAt), k, new Observation(Assignment(_log[k]), objective)));
        }

        return ([.. finished.OrderBy(f => f.EndedAt).ThenBy(f => f.Entry).Select(f => f.Observation)], pending);
    }

    private string[] TrialIdsOf(IReadOnlyDictionary<string, string> entry) => [.. SweepPlanner.Expand(_spec, [entry]).Select(t => t.Id)];

    /// <summary>The values a trial really uses, as the spec spells them: choices as listed, draws as random search rounds them.</summary>
    private Dictionary<string, string> Entry(Assignment assignment)
    {
        var entry = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in assignment)
        {
            var dimension = _sampler.Space[name];
            entry[name] = value.IsText
                ? value.Text!
                : SweepKeys.Find(name)!.FromSample(Math.Clamp(Math.Round(value.Number, dimension.Kind == DimensionKind.IntUniform ? 0 : 15), dimension.Low, dimension.High));
        }

        return entry;
    }

    /// <summary>A log entry as the sampler sees it: each dimension's value, text for text choices, else the number.</summary>
    private Assignment Assignment(IReadOnlyDictionary<string, string> entry) =>
        new(_sampler.Space.Dimensions
            .Where(d => entry.ContainsKey(d.Name))
            .Select(d => KeyValuePair.Create(d.Name, d.Kind == DimensionKind.Choices && d.Choices[0].IsText
                ? ParameterValue.Of(entry[d.Name])
                : ParameterValue.Of(double.Parse(entry[d.Name], NumberStyles.Float, CultureInfo.InvariantCulture)))));
}
