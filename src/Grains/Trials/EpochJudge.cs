using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// Holds a training thread at the epochs its sweep's early-stopping rule judges and asks the sweep for the verdict,
/// sending the whole curve so far: the sweep then has every epoch up to here even when a batched report is still on
/// its way, or when the sweep was reactivated elsewhere and lost the curves it held in memory. Only ever used from
/// the trial's training thread.
/// </summary>
internal sealed partial class EpochJudge(ISweepGrain sweep, IReadOnlyList<int> judgedEpochs)
{
    /// <summary>A sweep that cannot answer in this time lets the trial go on; its reports still reach it, and its rules with them.</summary>
    private static readonly TimeSpan VerdictTimeout = TimeSpan.FromSeconds(10);

    private readonly HashSet<int> _judged = [.. judgedEpochs];
    private readonly int _last = judgedEpochs.Count == 0 ? 0 : judgedEpochs.Max();
    private readonly List<EpochReport> _curve = [];

    /// <summary>Records the epoch; at a judged epoch, waits for the sweep's verdict and returns true when the trial must stop.</summary>
    public bool MustStop(EpochReport report, ILogger logger)
    {
        if (report.Epoch > _last)
        {
            return false;
        }

        _curve.Add(report);
        if (!_judged.Contains(report.Epoch))
        {
            return false;
        }

        var reported = new EpochsReported(report.TrialId, [.. _curve]);
        try
        {
            return sweep.JudgeAsync(reported).WaitAsync(VerdictTimeout).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            NoVerdict(logger, e, report.TrialId, report.Epoch);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} got no early-stopping verdict at epoch {Epoch}; it goes on")]
    private static partial void NoVerdict(ILogger logger, Exception exception, string trialId, int epoch);
}
