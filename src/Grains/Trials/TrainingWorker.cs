using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using SweepCluster.Abstractions.Cluster;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Cluster;
using SweepCluster.Grains.Observability;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// Trains the silo's trials on its <see cref="TrainingSlots"/>, off the Orleans scheduler. Each trial's epochs go to the
/// sweeps that follow it through its <see cref="TrialOutbox"/>, batched, so training never waits on a grain call (except
/// at the epochs a sweep's early-stopping rule judges). A trial is only accepted while a slot is free, so waiting trials
/// stay in their sweep's queue. When the silo shuts down, running trials stop at their epoch's end, checkpoint, and go
/// back to their sweeps.
/// </summary>
public sealed partial class TrainingWorker : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan MinReportInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxReportInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, RunningTrial> _running = new();

    /// <summary>Trials whose training is over but whose end is still being delivered to their sweeps and grain.</summary>
    private readonly ConcurrentDictionary<string, Task> _finishing = new();
    private readonly Lock _gate = new();
    private readonly TrainingSlots _slots;
    private readonly PackAssembly _packs;
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
    private int _reportsSent;

    public TrainingWorker(
        IGrainFactory grains, IOptions<TrainingOptions> options, ICheckpointStore checkpoints, ITrialTrainer trainer, SweepMetrics metrics,
        ILogger<TrainingWorker> logger)
    {
        _grains = grains;
        _trainer = trainer;
        _logger = logger;
        _checkpoints = checkpoints;
        _metrics = metrics;
        _slots = new TrainingSlots(options.Value.SlotsOrDefault);
        _packs = new PackAssembly(_gate, _slots, TrainPack);
        metrics.ObserveSlots(() => (Busy, Slots));
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

    public int Slots => _slots.Count;

    /// <summary>Whether CUDA trials may be placed here (detected from TorchSharp unless <c>Silo:Cuda</c> says otherwise).</summary>
    public bool Cuda { get; }

    /// <summary>Slots in use: a pack of trials takes one.</summary>
    public int Busy => _slots.Busy;

    /// <summary>The most trials this silo trains packed on one slot (<c>Silo:MaxPack</c>; 1: no packing).</summary>
    public int MaxPack { get; }

    /// <summary>False once the silo is shutting down: no new trial starts here.</summary>
    public bool Accepting => !_stopping.IsCancellationRequested;

    /// <summary>The most slots this worker has used at once (tests assert it never exceeds <see cref="Slots"/>).</summary>
    public int PeakBusy => _slots.Peak;

    /// <summary>Trials this worker has started training since the silo started.</summary>
    public int Started { get; private set; }

    /// <summary>Packs started on this silo (tests check packing happened).</summary>
    public int PacksStarted => _packs.Started;

    /// <summary>Reports sent to sweeps since the silo started (tests check the silo's report budget).</summary>
    public int ReportsSent => _reportsSent;

    public SiloCapacity Capacity(SiloAddress silo) =>
        new(silo.ToParsableString(), silo.Endpoint.ToString(), Slots, Busy, Cuda, Accepting, MaxPack);

    /// <summary>Training, or trained with its end still on the way to its sweeps and grain.</summary>
    public bool IsActive(string trialId) => _running.ContainsKey(trialId) || _finishing.ContainsKey(trialId);

    public bool TryStart(TrialJob job)
    {
        lock (_gate)
        {
            if (IsActive(job.TrialId))
            {
                return true;
            }

            if (!Accepting || !_slots.TryTake())
            {
                return false;
            }

            var trial = Register(job);
            _slots.Run(() => Train(trial));
            return true;
        }
    }

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

            var trial = new RunningTrial(job, NewOutbox(job));
            if (!_packs.TryJoin(ticket, trial))
            {
                return false;
            }

            _running[job.TrialId] = trial;
            Started++;
            return true;
        }
    }

    /// <summary>Starts a pack being assembled here with the members that joined (<see cref="PackAssembly.Start"/>).</summary>
    public void StartPack(string packId) => _packs.Start(packId);

    /// <summary>
    /// <paramref name="sweepId"/> wants the trial while it trains: its epochs (all of them, from 1) and its end go there
    /// too. False when it does not train (any more).
    /// </summary>
    public bool Follow(string trialId, string sweepId)
    {
        lock (_gate)
        {
            return _running.TryGetValue(trialId, out var trial) && trial.Outbox.Follow(sweepId);
        }
    }

    /// <summary><paramref name="sweepId"/> no longer wants the trial, which trains on for others.</summary>
    public void Unfollow(string trialId, string sweepId)
    {
        if (_running.TryGetValue(trialId, out var trial))
        {
            trial.Outbox.Unfollow(sweepId);
        }
    }

    public void Cancel(string trialId)
    {
        if (_running.TryGetValue(trialId, out var trial))
        {
            trial.Cancellation.Cancel();
        }
    }

    /// <summary>Like <see cref="Cancel"/>, but the trial ends <see cref="TrialStatus.Stopped"/>: a sweep decided it had trained enough.</summary>
    public void StopEarly(string trialId)
    {
        if (_running.TryGetValue(trialId, out var trial))
        {
            trial.StoppedEarly = true;
            trial.Cancellation.Cancel();
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TrainingWorker), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    /// <summary>
    /// How long a trial's report pump waits between reports: the silo's <see cref="TrainingOptions.ReportsPerSecond"/>
    /// shared by the <paramref name="training"/> trials, between <see cref="MinReportInterval"/> and <see cref="MaxReportInterval"/>
    /// (a millisecond-epoch trial would otherwise spend more CPU on reporting than on training; measured: a pack's
    /// members reporting every 0.1 s made a packed sweep ~6% slower).
    /// </summary>
    internal static TimeSpan ReportInterval(int training, double reportsPerSecond) =>
        TimeSpan.FromSeconds(Math.Clamp(training / reportsPerSecond, MinReportInterval.TotalSeconds, MaxReportInterval.TotalSeconds));

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

        _slots.Close();
    }

    /// <summary>Under <see cref="_gate"/>: the trial is running here from now on (its slot already taken).</summary>
    private RunningTrial Register(TrialJob job)
    {
        var trial = new RunningTrial(job, NewOutbox(job));
        _running[job.TrialId] = trial;
        Started++;
        return trial;
    }

    private TrialOutbox NewOutbox(TrialJob job) =>
        new(job.TrialId, job.SweepId, job.JudgedEpochs, SendAsync, _delivery, () => StopEarly(job.TrialId), _logger);

    private Task<ReportAck> SendAsync(string sweepId, TrialReport report)
    {
        Interlocked.Increment(ref _reportsSent);
        return _grains.GetGrain<ISweepGrain>(sweepId).ReportAsync(report);
    }
}
