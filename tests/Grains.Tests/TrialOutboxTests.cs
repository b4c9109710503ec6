using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Cluster;
using SweepCluster.Grains.Trials;

namespace SweepCluster.Grains.Tests;

public sealed class TrialOutboxTests
{
    private const string Trial = "trial-1";
    private const string First = "sweep-a";
    private const string Second = "sweep-b";

    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, ScriptedSweep> _sweeps = new() { [First] = new(), [Second] = new() };
    private readonly List<string> _events = [];
    private int _stops;

    private TrialOutbox Outbox(params int[] judged) =>
        new(Trial, First, judged, (sweep, report) => _sweeps[sweep].ReportAsync(report),
            Retries.Exponential(attempts: 4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), (_, _) => { }),
            () => Interlocked.Increment(ref _stops), NullLogger.Instance);

    private static EpochReport Epoch(int epoch) => new(Trial, epoch, 1.0 / epoch, 0.5, 0.01);

    private static void Train(TrialOutbox outbox, int from, int to)
    {
        for (var epoch = from; epoch <= to; epoch++)
        {
            outbox.Add(Epoch(epoch));
        }
    }

    private Task Complete(TrialEnd end)
    {
        lock (_events)
        {
            _events.Add($"complete {end.Status} {end.Epochs}");
        }

        return Task.CompletedTask;
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Soon, "timed out");
            await Task.Delay(5);
        }
    }

    /// <summary>Runs the outbox's pump every 5 ms until the returned source is set.</summary>
    private static TaskCompletionSource Pump(TrialOutbox outbox, out Task pump)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pump = outbox.PumpAsync(() => TimeSpan.FromMilliseconds(5), ended.Task);
        return ended;
    }

    [Fact]
    public async Task EachReportStartsWhereTheSweepsLastAckLeftOff()
    {
        var outbox = Outbox();
        var ended = Pump(outbox, out var pump);
        Train(outbox, 1, 3);
        await Until(() => _sweeps[First].AppliedThrough == 3);
        Train(outbox, 4, 5);
        await Until(() => _sweeps[First].AppliedThrough == 5);
        ended.SetResult();
        await pump;

        Assert.Equal([1, 2, 3, 4, 5], _sweeps[First].AppliedEpochs);
        Assert.All(_sweeps[First].Reports.Zip(_sweeps[First].Reports.Skip(1)), pair => Assert.True(pair.Second.Epochs[0].Epoch > pair.First.Epochs[0].Epoch));
        Assert.Equal(5, outbox.AckedBy(First));
    }

    [Fact]
    public async Task ASweepThatLostEpochsGetsThemAgainFromWhereItsAckSays()
    {
        var outbox = Outbox();
        var ended = Pump(outbox, out var pump);
        Train(outbox, 1, 5);
        await Until(() => outbox.AckedBy(First) == 5);

        // Reactivated from older state: it holds 1..2 and says so in its next ack; the outbox goes back there.
        _sweeps[First].LoseAfter(2);
        Train(outbox, 6, 6);
        await Until(() => _sweeps[First].AppliedThrough == 6);
        ended.SetResult();
        await pump;

        Assert.Equal([1, 2, 3, 4, 5, 6], _sweeps[First].AppliedEpochs);
        var reports = _sweeps[First].Reports;
        Assert.Contains(reports, r => r.Epochs[0].Epoch == 6 && r.Epochs.Count == 1); // past the gap: not applied
        Assert.Contains(reports, r => r.Epochs[0].Epoch == 3 && r.Epochs[^1].Epoch == 6); // sent again from the gap
    }

    [Fact]
    public async Task AnAckThatSaysStopStopsTheTrial()
    {
        _sweeps[First].StopFrom = 3;
        var outbox = Outbox();
        var ended = Pump(outbox, out var pump);
        Train(outbox, 1, 2);
        await Until(() => _sweeps[First].AppliedThrough == 2);
        Assert.Equal(0, _stops);

        Train(outbox, 3, 3);
        await Until(() => _stops > 0);
        ended.SetResult();
        await pump;

        Assert.True(outbox.StopRequested);
    }

    [Fact]
    public async Task ASweepThatAnswersDoneIsSentNothingMore()
    {
        var outbox = Outbox();
        Assert.True(outbox.Follow(Second));
        _sweeps[Second].Forgot = true;
        var ended = Pump(outbox, out var pump);
        Train(outbox, 1, 3);
        await Until(() => _sweeps[First].AppliedThrough == 3 && outbox.Followers.Count == 1);
        Assert.Equal([First], outbox.Followers);
        var sent = _sweeps[Second].Reports.Count;
        Train(outbox, 4, 6);
        await Until(() => _sweeps[First].AppliedThrough == 6);
        ended.SetResult();
        await pump;
        await outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 6), Complete, CancellationToken.None);

        Assert.Equal(1, sent);
        Assert.Equal(sent, _sweeps[Second].Reports.Count);
        Assert.Equal(["complete Completed 6"], _events);
    }

    [Fact]
    public async Task ASweepThatFollowsLateGetsTheWholeCurveFromEpochOne()
    {
        var outbox = Outbox();
        var ended = Pump(outbox, out var pump);
        Train(outbox, 1, 5);
        await Until(() => _sweeps[First].AppliedThrough == 5);

        Assert.True(outbox.Follow(Second));
        Train(outbox, 6, 6);
        await Until(() => _sweeps[Second].AppliedThrough == 6 && _sweeps[First].AppliedThrough == 6);
        ended.SetResult();
        await pump;

        Assert.Equal(1, _sweeps[Second].Reports[0].Epochs[0].Epoch);
        Assert.Equal([1, 2, 3, 4, 5, 6], _sweeps[Second].AppliedEpochs);
    }

    [Fact]
    public async Task NoSweepFollowsATrialWhoseTrainingIsOver()
    {
        var outbox = Outbox();
        outbox.Close();

        Assert.False(outbox.Follow(Second));
        await outbox.EndAsync(new TrialEnd(TrialStatus.Cancelled, 0), Complete, CancellationToken.None);
        Assert.Empty(_sweeps[Second].Reports);
        Assert.Equal(new TrialEnd(TrialStatus.Cancelled, 0), _sweeps[First].End);
    }

    [Fact]
    public async Task ALongCurveTravelsInReportsOfAtMostTwoThousandEpochsAndItsEndOnlyWithTheLast()
    {
        var outbox = Outbox();
        outbox.Seed(Enumerable.Range(1, 4500).Select(Epoch)); // a resumed trial's curve from its checkpoint
        Train(outbox, 4501, 4502);

        await outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 4502, 0.1, 0.9), Complete, CancellationToken.None);

        var reports = _sweeps[First].Reports;
        Assert.Equal([2000, 2000, 502], reports.Select(r => r.Epochs.Count));
        Assert.Equal([false, false, true], reports.Select(r => r.End is not null));
        Assert.Equal(Enumerable.Range(1, 4502), _sweeps[First].AppliedEpochs);
        Assert.Equal(new TrialEnd(TrialStatus.Completed, 4502, 0.1, 0.9), _sweeps[First].End);
    }

    [Fact]
    public async Task TheEndIsSentAgainWithTheEpochsASweepLostUntilItHasThemAll()
    {
        var outbox = Outbox();
        Train(outbox, 1, 4);
        await outbox.EndAsync(new TrialEnd(TrialStatus.Stopped, 4), Complete, CancellationToken.None);
        Assert.Equal(new TrialEnd(TrialStatus.Stopped, 4), _sweeps[First].End);

        // The sweep restarted from state that held epochs 1..4 while the outbox thought it had only 2: nothing is lost.
        var other = Outbox();
        _sweeps[Second] = new ScriptedSweep();
        Assert.True(other.Follow(Second));
        Train(other, 1, 4);
        var ended = Pump(other, out var pump);
        await Until(() => other.AckedBy(Second) == 4);
        _sweeps[Second].LoseAfter(2);
        ended.SetResult();
        await pump;
        await other.EndAsync(new TrialEnd(TrialStatus.Stopped, 4), Complete, CancellationToken.None);
        Assert.Equal([1, 2, 3, 4], _sweeps[Second].AppliedEpochs);
        Assert.Equal(new TrialEnd(TrialStatus.Stopped, 4), _sweeps[Second].End);
    }

    [Fact]
    public async Task TheTrialsGrainHearsOfTheEndOnlyAfterEverySweepAnsweredDone()
    {
        var outbox = Outbox();
        Assert.True(outbox.Follow(Second));
        Train(outbox, 1, 3);
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sweeps[Second].Hold = slow;

        var ending = outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 3), Complete, CancellationToken.None);
        await Until(() => _sweeps[First].End is not null);
        await Task.Delay(50);
        Assert.Empty(_events);
        Assert.False(ending.IsCompleted);

        slow.SetResult();
        await ending;
        Assert.Equal(["complete Completed 3"], _events);
        Assert.NotNull(_sweeps[Second].End);
    }

    [Fact]
    public async Task AFailedDeliveryIsRetried()
    {
        var outbox = Outbox();
        Train(outbox, 1, 3);
        _sweeps[First].FailNext = 2;

        await outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 3), Complete, CancellationToken.None);

        Assert.Equal(3, _sweeps[First].Reports.Count);
        Assert.Equal(new TrialEnd(TrialStatus.Completed, 3), _sweeps[First].End);
        Assert.Equal(["complete Completed 3"], _events);
    }

    [Fact]
    public async Task ASweepThatCannotBeReachedIsGivenUpAndTheGrainStillHearsOfTheEnd()
    {
        var outbox = Outbox();
        Train(outbox, 1, 3);
        _sweeps[First].FailNext = int.MaxValue;

        await outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 3), Complete, CancellationToken.None);

        Assert.Equal(5, _sweeps[First].Reports.Count); // the first try and 4 retries
        Assert.Equal(["complete Completed 3"], _events);
    }

    [Fact]
    public async Task TheGrainsHandBackIsRetriedToo()
    {
        var outbox = Outbox();
        var calls = 0;
        await outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 0), _ => ++calls < 3 ? throw new TimeoutException() : Task.CompletedTask, CancellationToken.None);

        Assert.Equal(3, calls);
    }

    [Fact]
    public void AJudgedEpochWaitsForTheStartingSweepsVerdictOnIt()
    {
        _sweeps[First].StopFrom = 3;
        var outbox = Outbox(2, 3);
        Train(outbox, 1, 1);
        Assert.False(outbox.Judge(1)); // not judged: nothing sent
        Assert.Empty(_sweeps[First].Reports);

        Train(outbox, 2, 2);
        Assert.False(outbox.Judge(2));
        Assert.Equal(2, _sweeps[First].AppliedThrough); // sent at once, no pump running

        Train(outbox, 3, 3);
        Assert.True(outbox.Judge(3));
        Assert.Equal(3, _sweeps[First].AppliedThrough);
        Assert.Equal(1, _stops);
    }

    [Fact]
    public void AJudgedEpochResendsWhatTheSweepLostBeforeItsVerdict()
    {
        _sweeps[First].StopFrom = 4;
        var outbox = Outbox(3, 4);
        Train(outbox, 1, 3);
        Assert.False(outbox.Judge(3));
        Assert.Equal(3, outbox.AckedBy(First));

        // Reactivated from nothing: the report of epoch 4 is past a gap, and the whole curve goes again before the verdict.
        _sweeps[First].LoseAfter(0);
        Train(outbox, 4, 4);

        Assert.True(outbox.Judge(4));
        Assert.Equal([1, 2, 3, 4], _sweeps[First].AppliedEpochs);
    }

    [Fact]
    public void AJudgedEpochGoesOnWhenTheSweepDoesNotAnswerInTime()
    {
        _sweeps[First].StopFrom = 1;
        _sweeps[First].Hold = new TaskCompletionSource();
        var outbox = Outbox(1);
        Train(outbox, 1, 1);

        var clock = Stopwatch.StartNew();
        Assert.False(outbox.Judge(1, TimeSpan.FromMilliseconds(200)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
        Assert.Equal(0, _stops);
    }

    [Fact]
    public void AJudgedEpochDoesNotWaitForASweepThatNoLongerFollows()
    {
        _sweeps[First].StopFrom = 1;
        var outbox = Outbox(1);
        Assert.True(outbox.Follow(Second));
        outbox.Unfollow(First);
        Train(outbox, 1, 1);

        Assert.False(outbox.Judge(1));
        Assert.Empty(_sweeps[First].Reports);
        Assert.Equal([Second], outbox.Followers);
    }

    [Fact]
    public async Task ASuspendedTrialSendsItsEpochsThenGoesBackWithoutAnEnd()
    {
        var outbox = Outbox();
        Assert.True(outbox.Follow(Second));
        Train(outbox, 1, 3);
        _sweeps[Second].FailNext = int.MaxValue; // best effort: a sweep that cannot be reached does not hold the silo

        await outbox.SuspendAsync(() => Complete(new TrialEnd(TrialStatus.Queued, 0)), CancellationToken.None);

        Assert.Equal([1, 2, 3], _sweeps[First].AppliedEpochs);
        Assert.All(_sweeps[First].Reports, r => Assert.Null(r.End));
        Assert.Null(_sweeps[First].End);
        Assert.Single(_sweeps[Second].Reports);
        Assert.Equal(["complete Queued 0"], _events);
        Assert.False(outbox.Follow("sweep-c"));
    }

    [Fact]
    public async Task TheShutdownDeadlineEndsADeliveryThatCannotGetThrough()
    {
        var outbox = new TrialOutbox(Trial, First, [], (sweep, report) => _sweeps[sweep].ReportAsync(report),
            Retries.Exponential(attempts: 1000, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), (_, _) => { }),
            () => { }, NullLogger.Instance);
        Train(outbox, 1, 3);
        _sweeps[First].FailNext = int.MaxValue;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await outbox.EndAsync(new TrialEnd(TrialStatus.Completed, 3), Complete, deadline.Token).WaitAsync(Soon);

        Assert.Empty(_events); // past the deadline the grain is not called: the sweeps' watchdogs take over
    }
}
