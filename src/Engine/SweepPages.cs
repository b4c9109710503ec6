using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// The pages a sweep answers: trials offset.. in queue order, short only at the end of the sweep (readers stop at a
/// short page), and never more than a message can carry. Requests past those limits are rejected, naming the limit.
/// </summary>
public static class SweepPages
{
    /// <summary>The trial indexes of the page (offset, count) of a sweep of <paramref name="trials"/> trials.</summary>
    public static IEnumerable<int> Of(int offset, int count, int trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (count is < 0 or > SweepPaging.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"a page holds 0 to {SweepPaging.MaxPageSize:N0} trials");
        }

        var from = Math.Min(offset, trials);
        return Enumerable.Range(from, Math.Min(count, trials - from));
    }

    /// <summary>Rejects a page of more than one curve holding more than <see cref="SweepPaging.MaxEpochsPerPage"/> epochs.</summary>
    public static void CheckCurves(int offset, int curves, long epochs)
    {
        if (curves > 1 && epochs > SweepPaging.MaxEpochsPerPage)
        {
            throw new ArgumentOutOfRangeException(
                "count", curves,
                $"a page of curves holds at most {SweepPaging.MaxEpochsPerPage:N0} epochs; trials {offset}..{offset + curves - 1} hold {epochs:N0}: ask for fewer");
        }
    }
}
