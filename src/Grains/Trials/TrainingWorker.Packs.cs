using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Training.Packing;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// Packs: several trials of one shape trained on one slot as one batched computation (<see cref="PackedSession"/>).
/// Each member stays a trial of its own: its grain gets its epochs and its end, and it can be stopped, cancelled,
/// suspended or diverge alone; its checkpoints are its own, in the single-trial format (<see cref="PackedSession.Unpack"/>).
/// </summary>
public sealed partial class TrainingWorker
{
    /// <summary>How long a pack waits for members that have not joined (they went elsewhere) before it starts without them.</summary>
    private static readonly TimeSpan PackAssembly = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, PendingPack> _pending = [];

    /// <summary>Packs started on this silo (tests check packing happened).</summary>
    public int PacksStarted { get; private set; }

    /// <summary>
    /// Adds a trial to the pack its sweep is assembling on this silo; the pack takes a slot when its first member
    /// joins and starts when all have joined, or shortly after. False when no slot is free or the silo is stopping.
    /// </summary>
    public bool TryJoinPack(PackTicket ticket, TrialJob job)
    {
        lock (_gate)
        {
            if (IsActive(job.TrialId))
            {
                return true;
            }

            if (!Accepting)
            {
                return false;
            }

            if (!_pending.TryGetValue(ticket.PackId, out var pack))
            {
                if (_busySlots >= Slots)
                {
                    return false;
                }

                TakeSlot();
                _pending[ticket.PackId] = pack = new PendingPack(ticket.Size);
                _ = Task.Delay(PackAssembly).ContinueWith(_ => StartPack(ticket.PackId), TaskScheduler.Default);
            }

            var running = new RunningTrial();
            _running[job.TrialId] = running;
            pack.Members.Add((job, running));
            Started++;
            if (pack.Members.Count >= pack.Size)
            {
                StartPack(ticket.PackId);
            }

            return true;
        }
    }

    private void StartPack(string packId)
    {
        lock (_gate)
        {
            if (!_pending.Remove(packId, out var pack))
            {
                return; // already started
            }

            if (_handOff.IsAddingCompleted)
            {
                return;
            }

            PacksStarted++;
            var members = pack.Members.ToList();
            _handOff.Add(() => TrainPack(members));
        }
    }

    private void TrainPack(IReadOnlyList<(TrialJob Job, RunningTrial Running)> joined)
    {
        var members = joined.Select(m => new PackMember(OpenLine(m.Job), m.Running)).ToList();
        var slotHeld = true;
        try
        {
            // Inside the try: a checkpoint store that is down fails the members, never the slot thread (and the silo).
            foreach (var member in members)
            {
                if (HasCheckpoint(member.Job))
                {
                    // A pack starts at epoch 0: handed back to its sweep, it comes again as a trial that trained before,
                    // which its grain starts alone, resuming from the checkpoint (the sweep may not know it has one: a
                    // sweep reactivated elsewhere, or a local silo that restarted, has lost the running trials' curves).
                    ResumesAlone(_logger, member.Job.TrialId);
                    Finish(member, null);
                }
            }

            members = [.. members.Where(m => !m.Ended)];
            if (members.Count == 0)
            {
                return;
            }

            // The pack holds its members at once: a silo short of memory for them fails them with the numbers, as it
            // does a single trial, rather than being taken down.
            if (TrialFootprint.Together(members.Select(m => TrialFootprint.Of(m.Job.Config))).Exceeds(AvailableMemory.Bytes()) is { } tooBig)
            {
                throw new InsufficientMemoryException(tooBig);
            }

            PackTraining(_logger, members.Count, members[0].Job.Config.Epochs);
            var sinceCheckpoint = Stopwatch.StartNew();
            var steps = new StepClock(_metrics, members[0].Job.Config);
            using var session = PackedSession.Start([.. members.Select(m => m.Job.Config)]);
            var epochs = members[0].Job.Config.Epochs;
            while (session.CompletedEpochs < epochs && members.Any(m => !m.Ended))
            {
                // Members stopped, cancelled or suspended since the last epoch leave first; the others go on.
                for (var k = 0; k < members.Count; k++)
                {
                    var member = members[k];
                    if (member.Ended)
                    {
                        continue;
                    }

                    if (member.Running.Suspend.IsCancellationRequested && !member.Running.StoppedEarly)
                    {
                        Checkpoint(session, k, member);
                        Finish(member, null);
                    }
                    else if (member.Running.Cancellation.IsCancellationRequested)
                    {
                        Finish(member, new TrialEnded(member.Job.TrialId, member.Running.StoppedEarly ? TrialStatus.Stopped : TrialStatus.Cancelled, member.Curve, null, null, null));
                    }
                }

                if (members.All(m => m.Ended))
                {
                    break;
                }

                var trained = session.RunEpoch(onStep: (_, _) => steps.Step());
                var checkpointDue = sinceCheckpoint.Elapsed >= _minCheckpointInterval;
                for (var k = 0; k < members.Count; k++)
                {
                    var member = members[k];
                    if (member.Ended)
                    {
                        continue; // its slice is computed with the others but nobody hears of it
                    }

                    var epoch = trained[k];
                    member.Curve.Add(Report(member.Line, epoch));
                    if (epoch.IsDiverged)
                    {
                        Finish(member, new TrialEnded(member.Job.TrialId, TrialStatus.Diverged, member.Curve, null, null, null));
                    }
                    else if (checkpointDue && !member.Running.StoppedEarly && member.Job.CheckpointEvery > 0 && epoch.Epoch % member.Job.CheckpointEvery == 0)
                    {
                        Checkpoint(session, k, member);
                        sinceCheckpoint.Restart();
                    }
                }

                steps.Restart();
            }

            var completed = new List<(PackMember Member, TrialEnded Ended)>();
            for (var k = 0; k < members.Count; k++)
            {
                if (!members[k].Ended)
                {
                    // Scored on its own held-out set exactly as if it had trained alone.
                    using var alone = session.Unpack(k);
                    var test = alone.Evaluate();
                    completed.Add((members[k], new TrialEnded(members[k].Job.TrialId, TrialStatus.Completed, members[k].Curve, test.Loss, test.Accuracy, null)));
                }
            }

            // The slot is free before the ends travel: the sweep hears of them to start what comes next, and a slot
            // still held then would only be noticed at its next dispatch.
            FreePackSlot(ref slotHeld);
            foreach (var (member, ended) in completed)
            {
                Finish(member, ended);
            }
        }
        catch (Exception e)
        {
            foreach (var member in members.Where(m => !m.Ended))
            {
                TrialFailed(_logger, e, member.Job.TrialId);
                Finish(member, new TrialEnded(member.Job.TrialId, TrialStatus.Failed, member.Curve, null, null, e.Message));
            }
        }
        finally
        {
            FreePackSlot(ref slotHeld);
        }
    }

    private void FreePackSlot(ref bool held)
    {
        if (!held)
        {
            return;
        }

        held = false;
        lock (_gate)
        {
            _busySlots--;
        }
    }

    private bool HasCheckpoint(TrialJob job)
    {
        if (job.CheckpointEvery <= 0)
        {
            return false;
        }

        using var checkpoint = _checkpoints.OpenRead(job.TrialId);
        return checkpoint is not null;
    }

    /// <summary>The member's checkpoint, as a trial training alone writes it, so it resumes packed or not.</summary>
    private void Checkpoint(PackedSession session, int trial, PackMember member)
    {
        if (member.Job.CheckpointEvery <= 0)
        {
            return;
        }

        using var alone = session.Unpack(trial);
        _checkpoints.Write(member.Job.TrialId, alone.SaveCheckpoint);
    }

    /// <summary>A member's training is over: handed over as a single trial's is, the pack keeping its slot.</summary>
    private void Finish(PackMember member, TrialEnded? ended)
    {
        member.Ended = true;
        HandOver(member.Line, member.Running, ended, freeSlot: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} has a checkpoint: handed back to resume alone rather than start over in a pack")]
    private static partial void ResumesAlone(ILogger logger, string trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training {Trials} trials packed as one computation, {Epochs} epochs")]
    private static partial void PackTraining(ILogger logger, int trials, int epochs);

    private sealed class PendingPack(int size)
    {
        public int Size { get; } = size;

        public List<(TrialJob Job, RunningTrial Running)> Members { get; } = [];
    }

    private sealed class PackMember(TrialLine line, RunningTrial running)
    {
        public TrialLine Line { get; } = line;

        public TrialJob Job => Line.Job;

        public RunningTrial Running { get; } = running;

        public List<EpochReport> Curve { get; } = [];

        public bool Ended { get; set; }
    }
}
