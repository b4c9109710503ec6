using System.Collections.Concurrent;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// The silo's training slots: one long-lived thread per slot (TorchSharp's dispose scopes are per thread, a trial must
/// never occupy the Orleans scheduler, and a warm thread trains ~7% faster than a fresh one whose allocator arena starts
/// cold). Work is handed over only once a slot is taken, so the hand-off queue never holds more than the free slots.
/// </summary>
internal sealed class TrainingSlots(int count)
{
    /// <summary>Work for the slot threads: one trial, or one pack of trials, each taking one slot.</summary>
    private readonly BlockingCollection<Action> _handOff = new();
    private readonly Lock _lock = new();
    private bool _threadsStarted;
    private int _busy;

    public int Count { get; } = count;

    /// <summary>Slots in use: a pack of trials takes one.</summary>
    public int Busy => Volatile.Read(ref _busy);

    /// <summary>The most slots in use at once since the silo started.</summary>
    public int Peak { get; private set; }

    /// <summary>False once the silo stopped handing out work.</summary>
    public bool Open => !_handOff.IsAddingCompleted;

    /// <summary>One more slot in use, if one is free.</summary>
    public bool TryTake()
    {
        lock (_lock)
        {
            if (_busy >= Count)
            {
                return false;
            }

            _busy++;
            Peak = Math.Max(Peak, _busy);
            StartThreads();
            return true;
        }
    }

    public void Free()
    {
        lock (_lock)
        {
            _busy--;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a slot thread (its slot already taken); false once closed.</summary>
    public bool Run(Action work) => _handOff.TryAdd(work);

    /// <summary>The silo stops: the threads end once the work handed to them is done.</summary>
    public void Close() => _handOff.CompleteAdding();

    private void StartThreads()
    {
        if (_threadsStarted)
        {
            return;
        }

        _threadsStarted = true;
        for (var slot = 0; slot < Count; slot++)
        {
            new Thread(() =>
            {
                foreach (var work in _handOff.GetConsumingEnumerable())
                {
                    work();
                }
            })
            { IsBackground = true, Name = $"training slot {slot}" }.Start();
        }
    }
}
