namespace SweepCluster.Engine;

/// <summary>
/// The stopping rules' view of a whole sweep, kept sorted: at each judged epoch, the running best of every trial that
/// reached it (ASHA compares with all of them) and of every completed trial that did (the median rule's). A decision
/// is then a binary search, not a pass over 100,000 trials; a record's change moves only the values that changed.
/// </summary>
internal sealed class RungIndex(int judgedEpochs)
{
    private readonly List<double>[] _reached = [.. Enumerable.Range(0, judgedEpochs).Select(_ => new List<double>())];
    private readonly List<double>[] _completed = [.. Enumerable.Range(0, judgedEpochs).Select(_ => new List<double>())];

    /// <summary>Trials whose running best at judged epoch <paramref name="k"/> is known, that value sorted ascending.</summary>
    public IReadOnlyList<double> Reached(int k) => _reached[k];

    /// <summary>Completed trials' running bests at judged epoch <paramref name="k"/>, sorted ascending.</summary>
    public IReadOnlyList<double> Completed(int k) => _completed[k];

    /// <summary>How many values at judged epoch <paramref name="k"/> are below <paramref name="value"/>.</summary>
    public int CountBelow(int k, double value) => LowerBound(_reached[k], value);

    /// <summary>Adds many records at once (a restored ledger): appended, then sorted once.</summary>
    public void Load(IEnumerable<(IReadOnlyList<double> Values, int View, bool Completed)> records)
    {
        foreach (var (values, view, completed) in records)
        {
            for (var k = 0; k < view; k++)
            {
                _reached[k].Add(values[k]);
                if (completed)
                {
                    _completed[k].Add(values[k]);
                }
            }
        }

        foreach (var list in _reached.Concat(_completed))
        {
            list.Sort();
        }
    }

    /// <summary>One record's values went from <paramref name="before"/> to <paramref name="after"/> (its rule view).</summary>
    public void Update(ReadOnlySpan<double> before, bool wasCompleted, IReadOnlyList<double> afterValues, int after, bool isCompleted)
    {
        for (var k = 0; k < Math.Max(before.Length, after); k++)
        {
            double? old = k < before.Length ? before[k] : null;
            double? now = k < after ? afterValues[k] : null;
            Move(_reached[k], old, now);
            Move(_completed[k], wasCompleted ? old : null, isCompleted ? now : null);
        }
    }

    private static void Move(List<double> values, double? old, double? now)
    {
        if (old == now)
        {
            return;
        }

        if (old is { } gone && LowerBound(values, gone) is var at && at < values.Count && values[at].Equals(gone))
        {
            values.RemoveAt(at);
        }

        if (now is { } added)
        {
            values.Insert(LowerBound(values, added), added);
        }
    }

    /// <summary>The first position whose value is not below <paramref name="value"/> (values hold no NaN: running bests are finite or +∞).</summary>
    private static int LowerBound(List<double> values, double value)
    {
        var (low, high) = (0, values.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (values[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
