using System.Collections.Concurrent;
using SweepCluster.Client.Specs;
using SweepCluster.Training.Training;

namespace SweepCluster.Client.Running;

/// <summary>
/// Trains a sweep's trials in this process, <c>slots</c> at a time, each on its own thread (TorchSharp's
/// dispose scopes are per thread). Stand-in for the Orleans engine of the next milestone.
/// </summary>
public sealed class LocalSweepRunner(int slots, int checkpointEvery, string checkpointDirectory)
{
    public IReadOnlyList<TrialRecord> Run(IReadOnlyList<PlannedTrial> trials, ISweepObserver observer, CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<PlannedTrial>(trials);
        var records = new ConcurrentDictionary<string, TrialRecord>();
        var checkpoints = new DirectoryCheckpointStore(checkpointDirectory);
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(slots, trials.Count)))
            .Select(_ => new Thread(() =>
            {
                while (queue.TryDequeue(out var trial))
                {
                    records[trial.Id] = RunTrial(trial, observer, checkpoints, cancellationToken);
                }
            }) { IsBackground = true, Name = "sweep-trainer" })
            .ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return trials.Select(t => records[t.Id]).ToList();
    }

    private TrialRecord RunTrial(PlannedTrial trial, ISweepObserver observer, DirectoryCheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new TrialRecord(trial, TrialStatus.Cancelled, [], null, null);
        }

        var epochs = new List<EpochMetrics>();
        observer.TrialStarted(trial);
        try
        {
            var result = Trainer.Run(trial.Config, new TrainerOptions
            {
                Checkpoints = checkpointEvery > 0 ? checkpoints : null,
                CheckpointKey = trial.Id,
                CheckpointEvery = checkpointEvery,
                OnStep = (epoch, step, steps) => observer.StepCompleted(trial, epoch, step, steps),
                OnEpoch = epoch =>
                {
                    epochs.Add(epoch);
                    observer.EpochCompleted(trial, epoch);
                },
            }, cancellationToken);
            var status = result.Outcome switch
            {
                TrialOutcome.Completed => TrialStatus.Completed,
                TrialOutcome.Diverged => TrialStatus.Diverged,
                _ => TrialStatus.Cancelled,
            };
            var record = new TrialRecord(trial, status, result.Epochs, result.Test, null);
            observer.TrialFinished(record);
            return record;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var record = new TrialRecord(trial, TrialStatus.Failed, epochs, null, e.Message);
            observer.TrialFinished(record);
            return record;
        }
    }
}
