using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using SweepCluster.Abstractions.Cluster;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Cluster;
using SweepCluster.Grains.Observability;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// The silo's training slots: one long-lived thread per slot (TorchSharp's dispose scopes are per thread, a
/// trial must never occupy the Orleans scheduler, and a warm thread trains ~7% faster than a fresh one whose
/// allocator arena starts cold). Epochs flow back to the trial's grain through an ordered, batching pump so
/// training never waits on a grain call. A trial is only accepted while a slot is free, so waiting trials
/// stay in their sweep's queue; the hand-off queue below never holds more than the free slots.
/// When the silo shuts down, running trials stop at their epoch's end, checkpoint, and go back to their sweeps.
/// </summary>
public sealed partial class TrainingWorker : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxReportInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, RunningTrial> _running = new();

    /// <summary>Trials whose training is over but whose end is still being delivered to their grain.</summary>
    private readonly ConcurrentDictionary<string, Task> _finishing = new();
    /// <summary>Work for the slot threads: one trial, or one pack of trials, each taking one slot.</summary>
    private readonly BlockingCollection<Action> _handOff = new();
    private readonly Lock _gate = new();
    private readonly IGrainFactory _grains;
    private readonly ICheckpointStore _checkpoints;
    private readonly ITrialTrainer _trainer;
    private readonly SweepMetrics _metrics;
    private readonly ILogger<TrainingWorker> _logger;
    private readonly TimeSpan _minCheckpointInterval;
    private readonly double _reportsPerSecond;
    private readonly ResiliencePipeline _delivery;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled at a stopping silo's shutdown deadline: ends still being delivered then are left to the sweeps' watchdogs.</summary>
    private readonly CancellationTokenSource _deliveryDeadline = new();
    private bool _threadsStarted;
    private int _busySlots;

    public TrainingWorker(
        IGrainFactory grains, IOptions<TrainingOptions> options, ICheckpointStore checkpoints, ITrialTrainer trainer, SweepMetrics metrics,
        ILogger<TrainingWorker> logger)
    {
        _grains = grains;
        _trainer = trainer;
        _logger = logger;
        _checkpoints = checkpoints;
        _metrics = metrics;
        metrics.ObserveSlots(() => (Busy, Slots));
        Slots = options.Value.SlotsOrDefault;
        MaxPack = options.Value.MaxPack;
        Cuda = options.Value.Cuda ?? TorchSharp.torch.cuda.is_available();
        _minCheckpointInterval = TimeSpan.FromSeconds(options.Value.MinCheckpointSeconds);
        _reportsPerSecond = options.Value.ReportsPerSecond;
        TorchSharp.torch.set_num_threads(options.Value.ThreadsPerTrial);

        SlotsReady(_logger, Slots, options.Value.ThreadsPerTrial, NativeAllocator.Current);

        // A trial's end is its result: keep delivering it through a grain-storage or network outage.
        _delivery = Retries.Exponential(
            attempts: 40, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15), (exception, attempt) => DeliveryRetry(_logger, exception, attempt));
    }

    public int Slots { get; }

    /// <summary>Whether CUDA trials may be placed here (detected from TorchSharp unless <c>Silo:Cuda</c> says otherwise).</summary>
    public bool Cuda { get; }

    /// <summary>Slots in use: a pack of trials takes one.</summary>
    public int Busy => _busySlots;

    /// <summary>The most trials this silo trains packed on one slot (<c>Silo:MaxPack</c>; 1: no packing).</summary>
    public int MaxPack { get; }

    /// <summary>False once the silo is shutting down: no new trial starts here.</summary>
    public bool Accepting => !_stopping.IsCancellationRequested;

    /// <summary>The most trials this worker has trained at once (tests assert it never exceeds <see cref="Slots"/>).</summary>
    public int PeakBusy { get; private set; }

    /// <summary>Trials this worker has started training since the silo started.</summary>
    public int Started { get; private set; }

    /// <summary>Epoch report batches sent to trial grains since the silo started (tests check the silo's report budget).</summary>
    public int ReportsSent => _reportsSent;

    private int _reportsSent;

    public SiloCapacity Capacity(SiloAddress silo) =>
        new(silo.ToParsableString(), silo.Endpoint.ToString(), Slots, Busy, Cuda, Accepting, MaxPack);

    /// <summary>Training, or trained with its end still on the way to its grain.</summary>
    public bool IsActive(string trialId) => _running.ContainsKey(trialId) || _finishing.ContainsKey(trialId);

    public bool TryStart(TrialJob job)
    {
        lock (_gate)
        {
            if (IsActive(job.TrialId))
            {
                return true;
            }

            if (_busySlots >= Slots || !Accepting)
            {
                return false;
            }

            var running = new RunningTrial();
            _running[job.TrialId] = running;
            TakeSlot();
            Started++;
            _handOff.Add(() => Train(job, running));
            return true;
        }
    }

    public void Cancel(string trialId)
    {
        if (_running.TryGetValue(trialId, out var running))
        {
            running.Cancellation.Cancel();
        }
    }

    /// <summary>Like <see cref="Cancel"/>, but the trial ends <see cref="TrialStatus.Stopped"/>: its sweep decided it had trained enough.</summary>
    public void StopEarly(string trialId)
    {
        if (_running.TryGetValue(trialId, out var running))
        {
            running.StoppedEarly = true;
            running.Cancellation.Cancel();
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TrainingWorker), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    /// <summary>
    /// First thing a stopping silo does: refuse new trials, let running ones finish their epoch and checkpoint,
    /// and hand them back to their sweeps while grain calls still work. If the host's shutdown deadline comes
    /// first, training is cancelled mid-epoch and the trials resume from their previous checkpoint instead; and
    /// the silo stops at its deadline even when a hand-back cannot be delivered (grain storage down): the sweep's
    /// watchdog then finds the trial no longer training and queues it again.
    /// </summary>
    private async Task StopAsync(CancellationToken deadline)
    {
        lock (_gate)
        {
            _stopping.Cancel();
        }

        var running = _running.Values.ToList();
        Suspending(_logger, running.Count);
        foreach (var trial in running)
        {
            trial.Suspend.Cancel();
        }

        void HardStop()
        {
            foreach (var trial in running)
            {
                trial.Cancellation.Cancel();
            }

            _deliveryDeadline.Cancel();
        }

        using var hardStop = deadline.Register(HardStop);
        try
        {
            await Task.WhenAll(running.Select(t => t.Handed.Task)).WaitAsync(deadline);
            await Task.WhenAll(_finishing.Values).WaitAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            // Here too, not only in the registration: this may run (inline, from the deadline's own callbacks) before
            // it does, and leaving disposes it.
            HardStop();
            ShutdownDeadlinePassed(_logger, _running.Count + _finishing.Count);
        }

        _handOff.CompleteAdding();
    }

    private void StartSlotThreads()
    {
        if (_threadsStarted)
        {
            return;
        }

        _threadsStarted = true;
        for (var slot = 0; slot < Slots; slot++)
        {
            new Thread(() =>
            {
                foreach (var work in _handOff.GetConsumingEnumerable())
                {
                    work();
                }
            })
            { IsBackground = true, Name = $"training slot {slot}" }.Start();
        }
    }

    private void Train(TrialJob job, RunningTrial running)
    {
        var line = OpenLine(job);
        var steps = new StepClock(_metrics, job.Config);
        TrialEnded? ended;
        try
        {
            // A trial this silo cannot hold fails with the numbers rather than taking the silo down (issue 14).
            if (TrialFootprint.Of(job.Config).Exceeds(AvailableMemory.Bytes()) is { } tooBig)
            {
                throw new InsufficientMemoryException(tooBig);
            }

            var result = _trainer.Train(job.Config, new TrainerOptions
            {
                Checkpoints = job.CheckpointEvery > 0 ? _checkpoints : null,
                CheckpointKey = job.TrialId,
                CheckpointEvery = job.CheckpointEvery,
                MinCheckpointInterval = _minCheckpointInterval,
                OnEpoch = epoch =>
                {
                    if (!running.Reported && epoch.Epoch > 1)
                    {
                        TrialResumed(_logger, job.TrialId, epoch.Epoch - 1);
                    }

                    running.Reported = true;
                    Report(line, epoch);
                    steps.Restart();
                },
                OnStep = (_, _, _) => steps.Step(),
                Suspend = running.Suspend.Token,
            }, running.Cancellation.Token);
            var curve = result.Epochs.Select(e => ToReport(job.TrialId, e)).ToList();
            ended = result.Outcome switch
            {
                TrialOutcome.Completed => new TrialEnded(job.TrialId, TrialStatus.Completed, curve, result.Test?.Loss, result.Test?.Accuracy, null),
                TrialOutcome.Diverged => new TrialEnded(job.TrialId, TrialStatus.Diverged, curve, null, null, null),
                _ when running.StoppedEarly => new TrialEnded(job.TrialId, TrialStatus.Stopped, curve, null, null, null),

                // Stopped by the silo's shutdown rather than by a user: it resumes elsewhere.
                _ when running.Suspend.IsCancellationRequested => null,
                _ => new TrialEnded(job.TrialId, TrialStatus.Cancelled, curve, null, null, null),
            };
        }
        catch (Exception e)
        {
            TrialFailed(_logger, e, job.TrialId);
            ended = new TrialEnded(job.TrialId, TrialStatus.Failed, [], null, null, e.Message);
        }

        HandOver(line, running, ended, freeSlot: true);
    }

    /// <summary>Starts a trial's line to its grain and sweep: the report pump, the early-stopping judge, its metrics.</summary>
    private TrialLine OpenLine(TrialJob job)
    {
        TrialStarted(_logger, job.TrialId);
        _metrics.TrialStarted(job.TrialId, job.SweepId, job.Config);
        var line = new TrialLine(job, _grains);
        line.Pump = Task.Run(() => PumpAsync(line.Grain, line.Reports, line.TrainingEnded.Task));
        return line;
    }

    /// <summary>One trained epoch: queued for the trial's grain, counted, and judged where its sweep's rule judges.</summary>
    private EpochReport Report(TrialLine line, EpochMetrics epoch)
    {
        var report = ToReport(line.Job.TrialId, epoch);
        line.Reports.Enqueue(report);
        _metrics.EpochTrained(line.Job.TrialId, epoch);
        if (line.Judge.MustStop(report, _logger))
        {
            StopEarly(line.Job.TrialId); // within the next step: the stopped trial's curve ends at the judged epoch
        }

        return report;
    }

    /// <summary>
    /// A trial's training is over (<paramref name="ended"/> null: suspended). Its slot is free before the sweep hears
    /// of the end, so the trial it starts next finds room; the end is delivered off this thread, so a slow or retried
    /// delivery never holds a slot. A pack's members leave without the slot, which the pack frees once.
    /// </summary>
    private void HandOver(TrialLine line, RunningTrial running, TrialEnded? ended, bool freeSlot)
    {
        var trialId = line.Job.TrialId;
        line.TrainingEnded.SetResult();
        _metrics.TrialEnded(trialId, line.Job.SweepId, ended?.Status);
        lock (_gate)
        {
            // After the pump's last call (the end must not overtake a report), but not on this thread: a pack's members
            // end one after another, and waiting for each one's call here held the slot ~4 ms per member.
            var pump = line.Pump!;
            _finishing[trialId] = Task.Run(async () =>
            {
                await pump;
                await DeliverAsync(line.Grain, ended);
            });
            _running.TryRemove(trialId, out _);
            if (freeSlot)
            {
                _busySlots--;
            }
        }

        running.Handed.SetResult();
    }

    /// <summary>Under <see cref="_gate"/>: one more slot in use.</summary>
    private void TakeSlot()
    {
        _busySlots++;
        PeakBusy = Math.Max(PeakBusy, _busySlots);
        StartSlotThreads();
    }

    private async Task DeliverAsync(ITrialGrain trial, TrialEnded? ended)
    {
        try
        {
            await _delivery.ExecuteAsync(
                async deadline => await (ended is null ? trial.SuspendAsync() : trial.CompleteAsync(ended)).WaitAsync(deadline),
                _deliveryDeadline.Token);
        }
        catch (Exception e)
        {
            // Still not lost: the trial's sweep pings it, finds it neither training nor ended, and runs it again.
            ReportFailed(_logger, e, trial.GetPrimaryKeyString());
        }
        finally
        {
            _finishing.TryRemove(trial.GetPrimaryKeyString(), out _);
        }
    }

    /// <summary>
    /// How long a trial's report pump waits between batches: the silo's <see cref="TrainingOptions.ReportsPerSecond"/>
    /// shared by the <paramref name="training"/> trials, between <see cref="MinReportInterval"/> and <see cref="MaxReportInterval"/>.
    /// </summary>
    internal static TimeSpan ReportInterval(int training, double reportsPerSecond) =>
        TimeSpan.FromSeconds(Math.Clamp(training / reportsPerSecond, MinReportInterval.TotalSeconds, MaxReportInterval.TotalSeconds));

    /// <summary>
    /// Sends epochs in order, one call per <see cref="ReportInterval"/> with everything that piled up (a
    /// millisecond-epoch trial would otherwise spend more CPU on reporting than on training; measured: a pack's
    /// members reporting every 0.1 s made a packed sweep ~6% slower). The epochs still queued when training ends are
    /// not sent: the trial's end carries its whole curve, and sending them first would only delay the next trial.
    /// </summary>
    private async Task PumpAsync(ITrialGrain trial, ConcurrentQueue<EpochReport> reports, Task trainingEnded)
    {
        while (await Task.WhenAny(trainingEnded, Task.Delay(ReportInterval(_running.Count, _reportsPerSecond))) != trainingEnded)
        {
            var batch = new List<EpochReport>();
            while (reports.TryDequeue(out var report))
            {
                batch.Add(report);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                Interlocked.Increment(ref _reportsSent);
                await trial.ReportEpochsAsync(batch);
            }
            catch (Exception e)
            {
                // The final TrialEnded carries the whole curve, so a lost batch costs liveness, not data.
                ReportFailed(_logger, e, trial.GetPrimaryKeyString());
            }
        }
    }

    private static EpochReport ToReport(string trialId, EpochMetrics epoch) =>
        new(trialId, epoch.Epoch, epoch.Loss, epoch.Accuracy, epoch.Seconds);

    /// <summary>What connects a training trial to its grain and its sweep: ordered, batched reports and the verdicts.</summary>
    private sealed class TrialLine(TrialJob job, IGrainFactory grains)
    {
        public TrialJob Job { get; } = job;

        public ITrialGrain Grain { get; } = grains.GetGrain<ITrialGrain>(job.TrialId);

        public EpochJudge Judge { get; } = new(grains.GetGrain<ISweepGrain>(job.SweepId), job.JudgedEpochs);

        public ConcurrentQueue<EpochReport> Reports { get; } = new();

        public TaskCompletionSource TrainingEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task? Pump { get; set; }
    }

    /// <summary>Times optimizer steps for the step-duration histogram: each from the end of the previous step (or epoch).</summary>
    private sealed class StepClock(SweepMetrics metrics, TrialConfig config)
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

    private sealed class RunningTrial
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public CancellationTokenSource Suspend { get; } = new();

        /// <summary>Set before cancelling (whose interlocked write publishes it), so the trial ends stopped rather than cancelled.</summary>
        public bool StoppedEarly { get; set; }

        /// <summary>Whether training reported an epoch yet (the first one tells whether it resumed from a checkpoint).</summary>
        public bool Reported { get; set; }

        /// <summary>Set once training is over and its end is on its way, so a stopping silo knows when to go on.</summary>
        public TaskCompletionSource Handed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Slots} training slots, {Threads} libtorch thread(s) per trial; allocator: {Allocator}")]
    private static partial void SlotsReady(ILogger logger, int slots, int threads, string allocator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} started training")]
    private static partial void TrialStarted(ILogger logger, string trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} resumed from its checkpoint after epoch {Epoch}")]
    private static partial void TrialResumed(ILogger logger, string trialId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed")]
    private static partial void TrialFailed(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report trial {TrialId} to its grain")]
    private static partial void ReportFailed(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering a trial's end failed (attempt {Attempt}); retrying")]
    private static partial void DeliveryRetry(ILogger logger, Exception? exception, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo stopping: its shutdown deadline passed with {Count} trial(s) not yet handed back; their sweeps will queue them again")]
    private static partial void ShutdownDeadlinePassed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopping: suspending {Count} running trial(s) at their epoch's end")]
    private static partial void Suspending(ILogger logger, int count);
}
