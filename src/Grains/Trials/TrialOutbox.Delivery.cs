using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Trials;

/// <summary>The outbox's waits: a judged epoch's verdict, and the end's delivery to every follower, then to the trial's grain.</summary>
public sealed partial class TrialOutbox
{
    /// <summary>
    /// On the training thread, after <see cref="Add"/>: at a judged epoch, sends the starting sweep everything it lacks
    /// at once and waits (at most <paramref name="timeout"/>, <see cref="VerdictTimeout"/> by default) for the ack that
    /// covers the epoch. True when the trial must stop.
    /// </summary>
    public bool Judge(int epoch, TimeSpan? timeout = null)
    {
        if (!_judged.Contains(epoch))
        {
            return false;
        }

        using var wait = new CancellationTokenSource(timeout ?? VerdictTimeout);
        try
        {
            return JudgeAsync(epoch, wait.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            NoVerdict(_logger, e, TrialId, epoch);
            return false;
        }
    }

    private async Task<bool> JudgeAsync(int epoch, CancellationToken cancellation)
    {
        Follower? follower;
        lock (_lock)
        {
            follower = _followers.GetValueOrDefault(SweepId);
        }

        while (follower is not null)
        {
            var before = follower.Acked;
            var ack = await SendAsync(follower, cancellation);
            if (ack is null || ack.Stop || ack.Done || ack.AppliedThrough >= epoch)
            {
                return StopRequested;
            }

            if (ack.AppliedThrough == before)
            {
                await Task.Delay(50, cancellation); // the sweep took nothing: do not spin on it
            }
        }

        return false;
    }

    /// <summary>
    /// Training ended: sends each follower the epochs it lacks and <paramref name="end"/> until it answers Done (retried
    /// through outages until <paramref name="deadline"/>), then hands the end to <paramref name="complete"/> (the trial's
    /// grain), also retried. A follower given up on finds the trial ended by pinging it.
    /// </summary>
    public async Task EndAsync(TrialEnd end, Func<TrialEnd, Task> complete, CancellationToken deadline)
    {
        List<Follower> followers;
        lock (_lock)
        {
            _closed = true;
            _end = end;
            followers = [.. _followers.Values];
        }

        await Task.WhenAll(followers.Select(f => DeliverEndAsync(f, deadline)));
        if (deadline.IsCancellationRequested)
        {
            // The silo's shutdown deadline passed: the sweeps' watchdogs find the trial neither training nor ended.
            HandBackFailed(_logger, new OperationCanceledException(deadline), TrialId);
            return;
        }

        try
        {
            await _delivery.ExecuteAsync(async token => await complete(end).WaitAsync(token), deadline);
        }
        catch (Exception e)
        {
            // Still not lost: the trial's sweeps ping it, find it neither training nor ended, and run it again.
            HandBackFailed(_logger, e, TrialId);
        }
    }

    /// <summary>
    /// The silo is stopping: the epochs the followers lack are sent once, best effort (the trial resumes elsewhere and
    /// reports them again), then <paramref name="suspend"/> hands the trial back, retried until <paramref name="deadline"/>.
    /// </summary>
    public async Task SuspendAsync(Func<Task> suspend, CancellationToken deadline)
    {
        Close();
        foreach (var follower in Lacking())
        {
            try
            {
                int before;
                do
                {
                    before = follower.Acked;
                }
                while (await SendAsync(follower, deadline) is { Done: false } ack && ack.AppliedThrough > before);
            }
            catch (Exception e)
            {
                ReportFailed(_logger, e, TrialId, follower.SweepId);
            }
        }

        try
        {
            await _delivery.ExecuteAsync(async token => await suspend().WaitAsync(token), deadline);
        }
        catch (Exception e)
        {
            HandBackFailed(_logger, e, TrialId);
        }
    }

    private async Task DeliverEndAsync(Follower follower, CancellationToken deadline)
    {
        try
        {
            await _delivery.ExecuteAsync(
                async token =>
                {
                    while (true)
                    {
                        var before = follower.Acked;
                        if (await SendAsync(follower, token) is not { Done: false } ack)
                        {
                            return; // Done, or no longer followed
                        }

                        if (ack.AppliedThrough == before)
                        {
                            // The sweep took nothing and is not done: back off as after a failed call.
                            throw new InvalidOperationException($"Sweep {follower.SweepId} applied nothing of trial {TrialId} past epoch {before}");
                        }
                    }
                },
                deadline);
        }
        catch (Exception e)
        {
            EndNotDelivered(_logger, e, TrialId, follower.SweepId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} got no early-stopping verdict at epoch {Epoch}; it goes on")]
    private static partial void NoVerdict(ILogger logger, Exception exception, string trialId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up delivering the end of trial {TrialId} to sweep {SweepId}; its watchdog will find the trial ended")]
    private static partial void EndNotDelivered(ILogger logger, Exception exception, string trialId, string sweepId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report trial {TrialId} to its grain")]
    private static partial void HandBackFailed(ILogger logger, Exception exception, string trialId);
}
