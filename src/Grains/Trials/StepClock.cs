using System.Diagnostics;
using SweepCluster.Experiments;
using SweepCluster.Grains.Observability;

namespace SweepCluster.Grains.Trials;

/// <summary>Times optimizer steps for the step-duration histogram: each from the end of the previous step (or epoch).</summary>
internal sealed class StepClock(SweepMetrics metrics, TrialConfig config)
{
    private readonly string _task = Names.Of(config.Task);
    private long _last = Stopwatch.GetTimestamp();

    public void Step()
    {
        var now = Stopwatch.GetTimestamp();
        metrics.StepTrained(_task, Stopwatch.GetElapsedTime(_last, now).TotalSeconds);
        _last = now;
    }

    /// <summary>After an epoch's reporting and checkpointing, which are not the next step's time.</summary>
    public void Restart() => _last = Stopwatch.GetTimestamp();
}
