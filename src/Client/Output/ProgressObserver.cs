using System.Collections.Concurrent;
using Spectre.Console;
using SweepCluster.Client.Running;
using SweepCluster.Client.Specs;
using SweepCluster.Training.Training;

namespace SweepCluster.Client.Output;

/// <summary>Live terminal view: a bar for the whole sweep (in epochs) and one per running trial with its latest loss.</summary>
public sealed class ProgressObserver(ProgressContext context, int totalEpochs) : ISweepObserver
{
    private readonly ProgressTask _sweep = context.AddTask("[bold]sweep[/]", maxValue: totalEpochs);
    private readonly ConcurrentDictionary<string, ProgressTask> _running = new();

    public void TrialStarted(PlannedTrial trial) =>
        _running[trial.Id] = context.AddTask(Markup.Escape(trial.Id), maxValue: trial.Config.Epochs);

    public void StepCompleted(PlannedTrial trial, int epoch, int step, int stepsPerEpoch)
    {
        // Per-step updates only matter when an epoch has many steps; skip the seed loop's one-step epochs.
        if (stepsPerEpoch > 1 && _running.TryGetValue(trial.Id, out var bar))
        {
            bar.Value = epoch - 1 + (double)step / stepsPerEpoch;
        }
    }

    public void EpochCompleted(PlannedTrial trial, EpochMetrics epoch)
    {
        _sweep.Increment(1);
        if (_running.TryGetValue(trial.Id, out var bar))
        {
            bar.Value = epoch.Epoch;
            bar.Description = $"{Markup.Escape(trial.Id)} [grey]loss[/] {epoch.Loss:F4}";
        }
    }

    public void TrialFinished(TrialRecord record)
    {
        // Epochs a trial will not run (diverged, cancelled, failed) still count as done for the sweep bar.
        _sweep.Increment(record.Trial.Config.Epochs - record.Epochs.Count);
        if (_running.TryRemove(record.Trial.Id, out var bar))
        {
            bar.Value = bar.MaxValue;
            bar.StopTask();
        }
    }
}
