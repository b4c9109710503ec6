using Microsoft.Extensions.Logging;
using Polly;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// The one path of a training trial's epochs to the sweeps that follow it (<see cref="ISweepGrain.ReportAsync"/>). It
/// holds the trial's whole curve while it trains, so whatever a sweep lacks can be sent again, and per follower the
/// epoch its last ack covered: each report starts there (a sweep reactivated from older state asks for less, and gets
/// it again). When training ends it sends each follower the rest and the end until it answers Done, then hands the end
/// to the trial's grain. Calls to one follower never overlap, so its acks come back in order.
/// </summary>
public sealed partial class TrialOutbox
{
    /// <summary>The most epochs one report carries: a long curve reaches a new follower in several calls, none of them big.</summary>
    public const int MaxEpochsPerReport = 2000;

    /// <summary>How long a judged epoch waits for its sweep's verdict; a sweep that cannot answer in this time lets the trial go on.</summary>
    public static readonly TimeSpan VerdictTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<EpochReport> _curve = [];
    private readonly Dictionary<string, Follower> _followers = [];
    private readonly HashSet<int> _judged;
    private readonly Func<string, TrialReport, Task<ReportAck>> _send;
    private readonly ResiliencePipeline _delivery;
    private readonly Action _stop;
    private readonly ILogger _logger;
    private TrialEnd? _end;
    private bool _closed;

    /// <param name="sweepId">The sweep that starts the trial: its first follower, which judges it at <paramref name="judgedEpochs"/>.</param>
    /// <param name="send">One report to one sweep (the sweep's id, the report), answered by its ack.</param>
    /// <param name="delivery">Retries the end's delivery (and the hand-back to the trial's grain) through outages.</param>
    /// <param name="stop">Called when a sweep's ack says the trial must stop.</param>
    public TrialOutbox(
        string trialId, string sweepId, IReadOnlyList<int> judgedEpochs, Func<string, TrialReport, Task<ReportAck>> send,
        ResiliencePipeline delivery, Action stop, ILogger logger)
    {
        TrialId = trialId;
        SweepId = sweepId;
        _judged = [.. judgedEpochs];
        _send = send;
        _delivery = delivery;
        _stop = stop;
        _logger = logger;
        _followers[sweepId] = new Follower(sweepId);
    }

    public string TrialId { get; }

    /// <summary>The sweep that started the trial.</summary>
    public string SweepId { get; }

    /// <summary>The length of the trial's curve so far.</summary>
    public int Epochs
    {
        get
        {
            lock (_lock)
            {
                return _curve.Count;
            }
        }
    }

    /// <summary>Whether a sweep's ack has said the trial must stop.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>The sweeps still following the trial.</summary>
    public IReadOnlyList<string> Followers
    {
        get
        {
            lock (_lock)
            {
                return [.. _followers.Keys];
            }
        }
    }

    /// <summary>The epoch <paramref name="sweepId"/>'s last ack covered; null when it does not follow the trial.</summary>
    public int? AckedBy(string sweepId)
    {
        lock (_lock)
        {
            return _followers.TryGetValue(sweepId, out var follower) ? follower.Acked : null;
        }
    }

    /// <summary>A resumed trial's curve so far, restored from its checkpoint (epochs 1..n).</summary>
    public void Seed(IEnumerable<EpochReport> history)
    {
        lock (_lock)
        {
            _curve.Clear();
            _curve.AddRange(history);
        }
    }

    /// <summary>The next trained epoch (its number is the curve's length plus one).</summary>
    public void Add(EpochReport epoch)
    {
        lock (_lock)
        {
            // An epoch trained again (a trial resumed from an older checkpoint than it had reported) replaces the tail.
            if (epoch.Epoch <= _curve.Count)
            {
                _curve.RemoveRange(Math.Max(0, epoch.Epoch - 1), _curve.Count - Math.Max(0, epoch.Epoch - 1));
            }

            _curve.Add(epoch);
        }
    }

    /// <summary>
    /// Another sweep wants the trial while it trains: it gets the whole curve from epoch 1, then the rest as the others
    /// do. False once training is over (the end is on its way: the sweep asks again later).
    /// </summary>
    public bool Follow(string sweepId)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _followers.TryAdd(sweepId, new Follower(sweepId));
            return true;
        }
    }

    /// <summary>The sweep no longer wants the trial's epochs (nor its end).</summary>
    public void Unfollow(string sweepId)
    {
        lock (_lock)
        {
            if (_followers.Remove(sweepId, out var follower))
            {
                follower.Dropped = true;
            }
        }
    }

    /// <summary>Training is over: no sweep joins any more (the end is delivered to those following now).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
    }

    /// <summary>
    /// Until <paramref name="trainingEnded"/>: every <paramref name="interval"/> (the silo's report budget shared by its
    /// training trials), one report to each follower that lacks epochs. A failed call costs liveness, not data: the
    /// next one starts where the last ack left off.
    /// </summary>
    public async Task PumpAsync(Func<TimeSpan> interval, Task trainingEnded)
    {
        while (await Task.WhenAny(trainingEnded, Task.Delay(interval())) != trainingEnded)
        {
            foreach (var follower in Lacking())
            {
                try
                {
                    await SendAsync(follower, CancellationToken.None);
                }
                catch (Exception e)
                {
                    ReportFailed(_logger, e, TrialId, follower.SweepId);
                }
            }
        }
    }

    private List<Follower> Lacking()
    {
        lock (_lock)
        {
            return [.. _followers.Values.Where(f => f.Acked < _curve.Count)];
        }
    }

    /// <summary>
    /// One report to <paramref name="follower"/>: from the epoch after its last ack, at most <see cref="MaxEpochsPerReport"/>,
    /// with the end when it reaches the curve's last epoch after training ended. Null when there was nothing to send.
    /// </summary>
    private async Task<ReportAck?> SendAsync(Follower follower, CancellationToken cancellation)
    {
        await follower.Gate.WaitAsync(cancellation);
        try
        {
            TrialReport report;
            lock (_lock)
            {
                var from = follower.Acked;
                var count = Math.Clamp(_curve.Count - from, 0, MaxEpochsPerReport);
                var end = _end is not null && from + count >= _curve.Count ? _end : null;
                if (follower.Dropped || (count == 0 && end is null))
                {
                    return null;
                }

                report = new TrialReport(TrialId, _curve.GetRange(from, count), end);
            }

            var ack = await _send(follower.SweepId, report).WaitAsync(cancellation);
            lock (_lock)
            {
                // Backwards too: a sweep reactivated from older state asks for what it lost.
                follower.Acked = Math.Max(0, ack.AppliedThrough);
                if (ack.Done && _followers.GetValueOrDefault(follower.SweepId) == follower)
                {
                    _followers.Remove(follower.SweepId);
                    follower.Dropped = true;
                }
            }

            if (ack.Stop)
            {
                StopRequested = true;
                _stop();
            }

            return ack;
        }
        finally
        {
            follower.Gate.Release();
        }
    }

    private sealed class Follower(string sweepId)
    {
        public string SweepId { get; } = sweepId;

        /// <summary>The epoch the sweep's last ack covered (written under the outbox's lock).</summary>
        public int Acked { get; set; }

        /// <summary>Done or unfollowed: nothing more is sent to it.</summary>
        public bool Dropped { get; set; }

        /// <summary>One call to the sweep at a time: the pump's and a judged epoch's never cross.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report trial {TrialId} to sweep {SweepId}")]
    private static partial void ReportFailed(ILogger logger, Exception exception, string trialId, string sweepId);
}
