using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// The silo's training slots. Each started trial trains on its own dedicated thread (TorchSharp's dispose
/// scopes are per thread, and a trial must never occupy the Orleans scheduler); epochs flow back to the
/// trial's grain through an ordered, batching pump so training never waits on a grain call.
/// A trial is only accepted while a slot is free: waiting trials stay in their sweep's queue.
/// </summary>
public sealed partial class TrainingWorker
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly Lock _gate = new();
    private readonly IGrainFactory _grains;
    private readonly ICheckpointStore _checkpoints;
    private readonly ILogger<TrainingWorker> _logger;

    public TrainingWorker(IGrainFactory grains, IOptions<TrainingOptions> options, ILogger<TrainingWorker> logger)
    {
        _grains = grains;
        _logger = logger;
        Slots = options.Value.SlotsOrDefault;
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
            new Thread(() => Train(job, cancellation)) { IsBackground = true, Name = $"trial {job.TrialId}" }.Start();
            return true;
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
        var reports = Channel.CreateUnbounded<EpochReport>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pump = Task.Run(() => PumpAsync(trial, reports.Reader));
        TrialEnded ended;
        try
        {
            TrialStarted(_logger, job.TrialId);
            var result = Trainer.Run(job.Config, new TrainerOptions
            {
                Checkpoints = job.CheckpointEvery > 0 ? _checkpoints : null,
                CheckpointKey = job.TrialId,
                CheckpointEvery = job.CheckpointEvery,
                OnEpoch = epoch => reports.Writer.TryWrite(ToReport(job.TrialId, epoch)),
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

        reports.Writer.Complete();
        pump.GetAwaiter().GetResult();
        try
        {
            trial.CompleteAsync(ended).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            ReportFailed(_logger, e, job.TrialId);
        }
        finally
        {
            _running.TryRemove(job.TrialId, out _);
            cancellation.Dispose();
        }
    }

    /// <summary>Sends epochs in order, as many per call as have piled up since the last one.</summary>
    private async Task PumpAsync(ITrialGrain trial, ChannelReader<EpochReport> reader)
    {
        var batch = new List<EpochReport>();
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var report))
            {
                batch.Add(report);
            }

            try
            {
                await trial.ReportEpochsAsync(batch.ToArray());
            }
            catch (Exception e)
            {
                // The final TrialEnded carries the whole curve, so a lost batch costs liveness, not data.
                ReportFailed(_logger, e, trial.GetPrimaryKeyString());
            }

            batch.Clear();
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
