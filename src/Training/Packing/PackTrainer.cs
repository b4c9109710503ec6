using System.Diagnostics;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Packing;

/// <summary>
/// The pack's loop, beside <see cref="Trainer.Run"/>: several trials of one shape trained as one batched computation
/// (<see cref="PackedSession"/>) on the calling thread. Each member stays a trial of its own: it reports its epochs,
/// and it can be stopped, cancelled, suspended or diverge alone; its checkpoints are its own, in the single-trial
/// format (<see cref="PackedSession.Unpack"/>), so it resumes packed or not.
/// </summary>
public sealed class PackTrainer(IReadOnlyList<PackedTrial> members, ICheckpointStore? checkpoints)
{
    /// <summary>Checkpoints due by a member's cadence are skipped until this long after the pack's previous one.</summary>
    public TimeSpan MinCheckpointInterval { get; init; }

    /// <summary>Member k trained an epoch (on the training thread; it may stop the member, which then leaves before the next epoch).</summary>
    public Action<int, EpochMetrics>? OnEpoch { get; init; }

    /// <summary>
    /// Member k's training is over: Completed (scored), Diverged, Cancelled (<see cref="PackedTrial.StoppedEarly"/>
    /// tells a stop from a cancel), or Suspended (checkpointed, to resume elsewhere). Called once per member.
    /// </summary>
    public Action<int, TrialResult>? OnEnd { get; init; }

    /// <summary>Member k failed with the pack (the exception ends every member still training).</summary>
    public Action<int, Exception>? OnFailed { get; init; }

    /// <summary>After each optimizer step of the pack.</summary>
    public Action? OnStep { get; init; }

    /// <summary>After each epoch's reports and checkpoints, which are not the next step's time.</summary>
    public Action? OnEpochDone { get; init; }

    /// <summary>After the last epoch and the members' scoring, before the completed members' ends (the slot is free by then).</summary>
    public Action? BeforeCompleted { get; init; }

    public void Run()
    {
        var ended = new bool[members.Count];
        var curves = members.Select(_ => new List<EpochMetrics>()).ToArray();
        void End(int k, TrialOutcome outcome, EvaluationMetrics? test = null)
        {
            ended[k] = true;
            OnEnd?.Invoke(k, new TrialResult(outcome, curves[k], test));
        }

        try
        {
            // The pack holds its members at once: a silo short of memory for them fails them with the numbers, as it
            // does a single trial, rather than being taken down.
            if (TrialFootprint.Together(members.Select(m => TrialFootprint.Of(m.Config))).Exceeds(AvailableMemory.Bytes()) is { } tooBig)
            {
                throw new InsufficientMemoryException(tooBig);
            }

            var sinceCheckpoint = Stopwatch.StartNew();
            using var session = PackedSession.Start([.. members.Select(m => m.Config)]);
            var epochs = members[0].Config.Epochs;
            while (session.CompletedEpochs < epochs && ended.Any(e => !e))
            {
                // Members stopped, cancelled or suspended since the last epoch leave first; the others go on.
                for (var k = 0; k < members.Count; k++)
                {
                    if (ended[k])
                    {
                        continue;
                    }

                    if (members[k].Suspend.IsCancellationRequested && !members[k].StoppedEarly())
                    {
                        Checkpoint(session, k);
                        End(k, TrialOutcome.Suspended);
                    }
                    else if (members[k].Cancellation.IsCancellationRequested)
                    {
                        End(k, TrialOutcome.Cancelled);
                    }
                }

                if (ended.All(e => e))
                {
                    break;
                }

                var trained = session.RunEpoch(onStep: (_, _) => OnStep?.Invoke());
                var checkpointDue = sinceCheckpoint.Elapsed >= MinCheckpointInterval;
                for (var k = 0; k < members.Count; k++)
                {
                    if (ended[k])
                    {
                        continue; // its slice is computed with the others but nobody hears of it
                    }

                    var epoch = trained[k];
                    if (!epoch.IsDiverged && members[k].Config.ValidatesAt(epoch.Epoch))
                    {
                        epoch = session.Validate(k);
                    }

                    curves[k].Add(epoch);
                    OnEpoch?.Invoke(k, epoch);
                    if (epoch.IsDiverged)
                    {
                        End(k, TrialOutcome.Diverged);
                    }
                    else if (checkpointDue && !members[k].StoppedEarly() && members[k].CheckpointEvery > 0 && epoch.Epoch % members[k].CheckpointEvery == 0)
                    {
                        Checkpoint(session, k);
                        sinceCheckpoint.Restart();
                    }
                }

                OnEpochDone?.Invoke();
            }

            var completed = new List<(int Member, EvaluationMetrics Test)>();
            for (var k = 0; k < members.Count; k++)
            {
                if (!ended[k])
                {
                    // Scored on its own held-out set with the data and arithmetic its own session would use.
                    completed.Add((k, session.Evaluate(k)));
                }
            }

            BeforeCompleted?.Invoke();
            foreach (var (k, test) in completed)
            {
                End(k, TrialOutcome.Completed, test);
            }
        }
        catch (Exception e)
        {
            for (var k = 0; k < members.Count; k++)
            {
                if (!ended[k])
                {
                    ended[k] = true;
                    OnFailed?.Invoke(k, e);
                }
            }
        }
    }

    /// <summary>The member's checkpoint, as a trial training alone writes it.</summary>
    private void Checkpoint(PackedSession session, int k)
    {
        if (checkpoints is null || members[k].CheckpointEvery <= 0)
        {
            return;
        }

        using var alone = session.Unpack(k);
        checkpoints.Write(members[k].CheckpointKey, alone.SaveCheckpoint);
    }
}
