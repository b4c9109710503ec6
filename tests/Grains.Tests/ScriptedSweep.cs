using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A sweep's side of the report path as <see cref="ISweepGrain.ReportAsync"/> promises it, for the outbox's unit tests:
/// each epoch applied once by its number, a report past a gap not applied, the end applied only once every epoch is,
/// and the ack telling how far it has the curve. Scripts: stop the trial from an epoch on, fail or hold calls, lose
/// epochs (a sweep reactivated from older state), forget the trial.
/// </summary>
public sealed class ScriptedSweep
{
    private readonly Lock _lock = new();
    private readonly List<EpochReport> _applied = [];
    private readonly List<TrialReport> _reports = [];

    /// <summary>From this epoch on the ack says Stop.</summary>
    public int? StopFrom { get; set; }

    /// <summary>The next calls that fail as an unreachable grain does.</summary>
    public int FailNext { get; set; }

    /// <summary>While set, calls wait for it before they are answered.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>The sweep no longer follows the trial: it answers Done and applies nothing.</summary>
    public bool Forgot { get; set; }

    public TrialEnd? End { get; private set; }

    public DateTime? EndAppliedAt { get; private set; }

    public int AppliedThrough
    {
        get
        {
            lock (_lock)
            {
                return _applied.Count;
            }
        }
    }

    public IReadOnlyList<int> AppliedEpochs
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied.Select(e => e.Epoch)];
            }
        }
    }

    public IReadOnlyList<TrialReport> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    /// <summary>Reactivated from older state: it holds epochs 1..<paramref name="epoch"/> only.</summary>
    public void LoseAfter(int epoch)
    {
        lock (_lock)
        {
            _applied.RemoveRange(epoch, _applied.Count - epoch);
        }
    }

    public async Task<ReportAck> ReportAsync(TrialReport report)
    {
        lock (_lock)
        {
            _reports.Add(report);
            if (FailNext > 0)
            {
                FailNext--;
                throw new TimeoutException("the sweep's silo does not answer");
            }
        }

        if (Hold is { } hold)
        {
            await hold.Task;
        }

        lock (_lock)
        {
            if (Forgot)
            {
                return new ReportAck(_applied.Count, false, true);
            }

            // A report past a gap is not applied: the ack says where to resend from.
            if (report.Epochs.Count == 0 || report.Epochs[0].Epoch <= _applied.Count + 1)
            {
                _applied.AddRange([.. report.Epochs.Where(e => e.Epoch > _applied.Count)]);
                if (report.End is { } end && end.Epochs == _applied.Count && End is null)
                {
                    End = end;
                    EndAppliedAt = DateTime.UtcNow;
                }
            }

            return new ReportAck(_applied.Count, StopFrom is { } stop && _applied.Count >= stop, End is not null);
        }
    }
}
