using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// The silo's training slots: one long-lived thread per slot (TorchSharp's dispose scopes are per thread, a
/// trial must never occupy the Orleans scheduler, and a warm thread trains ~7% faster than a fresh one whose
/// allocator arena starts cold). Epochs flow back to the trial's grain through an ordered, batching pump so
/// training never waits on a grain call. A trial is only accepted while a slot is free, so waiting trials
/// stay in their sweep's queue; the hand-off queue below never holds more than the free slots.
/// </summary>
public sealed partial class TrainingWorker
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly BlockingCollection<(TrialJob Job, CancellationTokenSource Cancellation)> _handOff = new();
    private bool _threadsStarted;
    private readonly Lock _gate = new();
    private readonly IGrainFactory _grains;
    private readonly ICheckpointStore _checkpoints;
    private readonly ILogger<TrainingWorker> _logger;
    private readonly TimeSpan _minCheckpointInterval;

    public TrainingWorker(IGrainFactory grains, IOptions<TrainingOptions> options, ILogger<TrainingWorker> logger)
    {
        _grains = grains;
        _logger = logger;
        Slots = options.Value.SlotsOrDefault;
        _minCheckpointInterval = TimeSpan.FromSeconds(options.Value.MinCheckpointSeconds);
        _checkpoints = new DirectoryCheckpointStore(options.Value.CheckpointDirectory);
        TorchSharp.torch.set_num_threads(options.Value.ThreadsPerTrial);
    }

    public int Slots { get; }

    public int Busy => _running.Count;

    /// <summary>The most trials this worker has trained at once (tests assert it never exceeds <see cref="Slots"/>).</summary>
    public int PeakBusy { get; private set; }

    /// <summary>Trials this worker has started training since the silo started.</summary>
    public int Started { get; private set; }

    public bool IsRunning(string trialId) => _running.ContainsKey(trialId);

    public bool TryStart(TrialJob job)
    {
        lock (_gate)
        {
            if (_running.ContainsKey(job.TrialId))
            {
                return true;
            }

            if (_running.Count >= Slots)
            {
                return false;
            }

            var cancellation = new CancellationTokenSource();
            _running[job.TrialId] = cancellation;
            PeakBusy = Math.Max(PeakBusy, _running.Count);
            Started++;
            StartSlotThreads();
            _handOff.Add((job, cancellation));
            return true;
        }
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
                foreach (var (job, cancellation) in _handOff.GetConsumingEnumerable())
                {
                    Train(job, cancellation);
                }
            })
            { IsBackground = true, Name = $"training slot {slot}" }.Start();
        }
    }

    public void Cancel(string trialId)
    {
        if (_running.TryGetValue(trialId, out var cancellation))
        {
            cancellation.Cancel();
        }
    }

    private void Train(TrialJob job, CancellationTokenSource cancellation)
    {
        var trial = _grains.GetGrain<ITrialGrain>(job.TrialId);
        var reports = new ConcurrentQueue<EpochReport>();
        var trainingEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = Task.Run(() => PumpAsync(trial, reports, trainingEnded.Task));
        TrialEnded ended;
        try
        {
            TrialStarted(_logger, job.TrialId);
            var result = Trainer.Run(job.Config, new TrainerOptions
            {
                Checkpoints = job.CheckpointEvery > 0 && Environment.GetEnvironmentVariable("NOCK") is null ? _checkpoints : null,
                CheckpointKey = job.TrialId,
                CheckpointEvery = job.CheckpointEvery,
                MinCheckpointInterval = _minCheckpointInterval,
                OnEpoch = Environment.GetEnvironmentVariable("NOREPORT") is null ? epoch => reports.Enqueue(ToReport(job.TrialId, epoch)) : null,
            }, cancellation.Token);
            var status = result.Outcome switch
            {
                TrialOutcome.Completed => TrialStatus.Completed,
                TrialOutcome.Diverged => TrialStatus.Diverged,
                _ => TrialStatus.Cancelled,
            };
            ended = new TrialEnded(job.TrialId, status, result.Epochs.Select(e => ToReport(job.TrialId, e)).ToList(), result.Test?.Loss, result.Test?.Accuracy, null);
        }
        catch (Exception e)
        {
            TrialFailed(_logger, e, job.TrialId);
            ended = new TrialEnded(job.TrialId, TrialStatus.Failed, [], null, null, e.Message);
        }

        trainingEnded.SetResult();
        pump.GetAwaiter().GetResult();

        // The slot is free before the sweep hears of the end, so the trial it starts next finds room.
        _running.TryRemove(job.TrialId, out _);
        cancellation.Dispose();
        try
        {
            trial.CompleteAsync(ended).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            ReportFailed(_logger, e, job.TrialId);
        }
    }

    /// <summary>
    /// Sends epochs in order, at most one call per <see cref="ReportInterval"/> with everything that piled up
    /// (a millisecond-epoch trial would otherwise spend more CPU on reporting than on training). The epochs
    /// still queued when training ends are not sent: the trial's end carries its whole curve, and sending
    /// them first would only delay the next trial.
    /// </summary>
    private async Task PumpAsync(ITrialGrain trial, ConcurrentQueue<EpochReport> reports, Task trainingEnded)
    {
        while (await Task.WhenAny(trainingEnded, Task.Delay(ReportInterval)) != trainingEnded)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} started training")]
    private static partial void TrialStarted(ILogger logger, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed")]
    private static partial void TrialFailed(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report trial {TrialId} to its grain")]
    private static partial void ReportFailed(ILogger logger, Exception exception, string trialId);
}
