namespace SweepCluster.Grains.Trials;

/// <summary>A trial on this silo from its start until its end is handed over: its job, its outbox, and what ends it.</summary>
internal sealed class RunningTrial(TrialJob job, TrialOutbox outbox)
{
    public TrialJob Job { get; } = job;

    public string TrialId => Job.TrialId;

    public TrialOutbox Outbox { get; } = outbox;

    public CancellationTokenSource Cancellation { get; } = new();

    public CancellationTokenSource Suspend { get; } = new();

    /// <summary>Set before cancelling (whose interlocked write publishes it), so the trial ends stopped rather than cancelled.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>Set when training is over: the report pump stops, and the end goes out.</summary>
    public TaskCompletionSource TrainingEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once training is over and its end is on its way, so a stopping silo knows when to go on.</summary>
    public TaskCompletionSource Handed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The outbox's pump, from the start of training.</summary>
    public Task Pump { get; set; } = Task.CompletedTask;
}
