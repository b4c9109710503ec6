using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// The packs this silo is assembling: a pack takes a slot when its first member joins and starts when all have
/// joined, when its sweep says the rest will not come (<see cref="Start"/>), or <see cref="Wait"/> after the first.
/// Callers of <see cref="TryJoin"/> hold <paramref name="gate"/>, the worker's lock over its running trials.
/// </summary>
internal sealed class PackAssembly(Lock gate, TrainingSlots slots, Action<IReadOnlyList<RunningTrial>> train)
{
    /// <summary>How long a pack waits for members that have not joined before it starts without them.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, List<RunningTrial>> _pending = [];

    /// <summary>Packs started on this silo (tests check packing happened).</summary>
    public int Started { get; private set; }

    /// <summary>Adds the trial to its ticket's pack; false when the pack is new and no slot is free.</summary>
    public bool TryJoin(PackTicket ticket, RunningTrial trial)
    {
        if (!_pending.TryGetValue(ticket.PackId, out var members))
        {
            if (!slots.TryTake())
            {
                return false;
            }

            _pending[ticket.PackId] = members = [];
            _ = Task.Delay(Wait).ContinueWith(_ => Start(ticket.PackId), TaskScheduler.Default);
        }

        members.Add(trial);
        if (members.Count >= ticket.Size)
        {
            Start(ticket.PackId);
        }

        return true;
    }

    /// <summary>Starts the pack with the members that have joined; nothing when it started already or none joined.</summary>
    public void Start(string packId)
    {
        lock (gate)
        {
            if (!_pending.Remove(packId, out var members))
            {
                return; // already started
            }

            if (!slots.Open)
            {
                return;
            }

            Started++;
            slots.Run(() => train(members));
        }
    }
}
