using System.Collections.Concurrent;
using SweepCluster.Experiments;
using SweepCluster.Grains.Trials;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// The <see cref="ScriptedTrainer"/>, except that a trial whose seed a test holds (<see cref="HoldSeed"/>) trains nothing until the
/// test lets it go: its sweep follows it as running while the test plays its outbox and reports epochs itself.
/// </summary>
public sealed class HeldTrainer : ITrialTrainer
{
    private readonly ScriptedTrainer _script = new();
    private readonly ConcurrentDictionary<int, Hold> _holds = new();

    /// <summary>Trials of <paramref name="seed"/> wait for <see cref="Hold.Release"/> before their first epoch.</summary>
    public Hold HoldSeed(int seed) => _holds.GetOrAdd(seed, _ => new Hold());

    public void ReleaseAll()
    {
        foreach (var hold in _holds.Values)
        {
            hold.Release();
        }
    }

    public TrialResult Train(TrialConfig config, TrainerOptions options, CancellationToken cancellationToken)
    {
        if (_holds.TryGetValue(config.Seed, out var hold))
        {
            hold.Holding.TrySetResult();
            try
            {
                hold.Released.Task.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return new TrialResult(TrialOutcome.Cancelled, [], null);
            }
        }

        return _script.Train(config, options, cancellationToken);
    }

    public sealed class Hold
    {
        /// <summary>Set once a training slot runs the held trial (it waits there).</summary>
        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
