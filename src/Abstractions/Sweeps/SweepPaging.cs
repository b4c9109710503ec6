using System.Runtime.CompilerServices;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>Reads a sweep's trials and curves a page at a time, so a reader holds one page, whatever the sweep's size.</summary>
public static class SweepPaging
{
    /// <summary>Trials per call: a page of 250-epoch curves is ~6 MB on the wire.</summary>
    public const int DefaultPageSize = 1000;

    /// <summary>The most trials (or curves) one call may ask for; a sweep rejects more, naming this limit.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The most epochs one page of curves may hold (24 bytes each: ~48 MB, under Orleans' message limit).</summary>
    public const long MaxEpochsPerPage = 2_000_000;

    public static async IAsyncEnumerable<TrialSummary> ReadTrialsAsync(
        this ISweepGrain sweep, int pageSize = DefaultPageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var offset = 0; ; offset += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await sweep.GetTrialsAsync(offset, pageSize);
            foreach (var trial in page)
            {
                yield return trial;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Every trial's curve in queue order (the same order as <see cref="ReadTrialsAsync"/>). The default page of 100 curves
    /// fits <see cref="MaxEpochsPerPage"/> up to 20,000 epochs a trial; pass a smaller one for longer trials.
    /// </summary>
    public static async IAsyncEnumerable<TrialCurve> ReadCurvesAsync(
        this ISweepGrain sweep, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var offset = 0; ; offset += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await sweep.GetCurvesAsync(offset, pageSize);
            foreach (var curve in page)
            {
                yield return curve;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>Every curve by trial id, all in memory: for tests and small sweeps.</summary>
    public static async Task<IReadOnlyDictionary<string, TrialCurve>> ReadAllCurvesAsync(this ISweepGrain sweep)
    {
        var curves = new Dictionary<string, TrialCurve>();
        await foreach (var curve in sweep.ReadCurvesAsync())
        {
            curves[curve.TrialId] = curve;
        }

        return curves;
    }
}
