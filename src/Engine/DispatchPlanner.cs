using System.Runtime.CompilerServices;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine;

/// <summary>
/// Decides one dispatch pass: queued trials in order, each on the silo with the most free slots that can run it, until no
/// silo has room; trials of one shape that never trained go as packs first. A trial no silo could ever run (CUDA on a
/// CPU-only cluster) is marked unschedulable rather than left waiting. The board's free slots are taken as it assigns.
/// A ledger's pack keys are remembered: pass the same pack key function for a ledger every time.
/// </summary>
public static class DispatchPlanner
{
    /// <summary>The smallest pack worth making: two trials packed train ~2x faster than one after the other (bench --packing).</summary>
    public const int PackMinimum = 2;

    /// <summary>Each trial's pack key, asked once per ledger (a config never changes; passes run every second on 100,000 trials).</summary>
    private static readonly ConditionalWeakTable<TrialLedger, Dictionary<int, string?>> PackKeys = [];

    /// <summary>
    /// The pass: packs first (only when the spec packs and the sweep neither cancels nor has ended), then each queued
    /// trial in order: skipped once the sweep ended, cancelled while it cancels, unschedulable when no silo could ever
    /// run it, else started on the silo <see cref="SlotBoard.Pick"/> names, until no silo has a free slot.
    /// </summary>
    public static DispatchPlan Plan(TrialLedger ledger, SlotBoard board, DispatchOptions options)
    {
        var actions = new List<DispatchAction>();
        var packed = new HashSet<int>();
        if (options.Spec.Pack && !options.Cancelling && options.EndReason is null && board.PickForPack(PackMinimum, device: null) is not null)
        {
            foreach (var pack in PlanPacks(ledger, board, options, packed))
            {
                actions.Add(pack);
                packed.UnionWith(pack.Indices);
            }
        }

        foreach (var index in ledger.Queued)
        {
            if (packed.Contains(index))
            {
                continue;
            }

            if (options.EndReason is { } ended)
            {
                actions.Add(new MarkSkipped(index, ended)); // queued again (its silo died) after the sweep ended
                continue;
            }

            if (options.Cancelling)
            {
                // Queued again after the cancel (a stopping silo, a lost silo or a pack handed it back meanwhile).
                actions.Add(new MarkCancelled(index));
                continue;
            }

            if (board.Silos.Count == 0 || !board.AnyFree)
            {
                break; // no silo answered, or none has room: the next pass tries again
            }

            var device = ledger.Planned(index).Config.Device;
            if (board.IsUnschedulable(device))
            {
                actions.Add(new MarkUnschedulable(index, board.Explain(device)));
            }
            else if (board.Pick(device) is { } silo)
            {
                actions.Add(new StartTrial(index, silo));
                board.Took(silo);
            }
        }

        return new DispatchPlan(actions);
    }

    /// <summary>
    /// Queued trials that share a shape, as packs each trained on one slot as one batched computation, on a silo that has
    /// their device (the pack key holds it): only trials that have not trained yet (a resumed trial continues alone), at least <see cref="PackMinimum"/> at a time, at most
    /// <see cref="PackCap"/> and what the silo takes, in equal sizes (<see cref="PackSize"/>).
    /// </summary>
    private static IEnumerable<StartPack> PlanPacks(TrialLedger ledger, SlotBoard board, DispatchOptions options, HashSet<int> deferred)
    {
        // A pass runs at every trial's end: it reads only the front of the queue, enough to fill every free slot twice
        // over, not the whole queue (grouping 100,000 queued trials at each end kept the sweep too busy to take reports).
        var keys = PackKeys.GetValue(ledger, _ => []);
        var window = Math.Max(PackMinimum, board.FreeSlots) * options.Spec.PackSize * 2;
        var seen = 0;
        var groups = new Dictionary<string, List<int>>();
        string? open = null;
        foreach (var i in ledger.Queued)
        {
            if (++seen > window)
            {
                break;
            }

            if (ledger[i].Epochs == 0 &&
                (keys.TryGetValue(i, out var known) ? known : keys[i] = options.PackKey(ledger.Planned(i).Config)) is { } key)
            {
                (groups.TryGetValue(key, out var members) ? members : groups[key] = []).Add(i);
                open = key;
            }
        }

        var exhausted = seen <= window;
        foreach (var (key, group) in groups)
        {
            // Trials of a shape are contiguous in a grid's queue: only the group the window ended in may go on past it.
            var whole = exhausted || key != open;
            if (!whole && group.Count < PackCap(options.Spec, ledger.Planned(group[0]).Config))
            {
                deferred.UnionWith(group); // packed by a pass that sees more of it, not started alone meanwhile
                continue;
            }

            var members = group;
            while (members.Count >= PackMinimum && board.PickForPack(PackMinimum, ledger.Planned(members[0]).Config.Device) is { } silo)
            {
                var cap = Math.Min(PackCap(options.Spec, ledger.Planned(members[0]).Config), board.MaxPack(silo));

                // Equal sizes need the group's whole count: past the window only full packs go, the rest waits for a pass
                // that sees the end of the group.
                var size = whole ? PackSize(members.Count, cap) : members.Count >= cap ? cap : 0;
                if (size < PackMinimum)
                {
                    break;
                }

                yield return new StartPack(members[..size], new PackTicket(Guid.NewGuid().ToString("N"), size, silo));
                members = members[size..];
                board.Took(silo);
            }
        }
    }

    public static DispatchPlan Plan(TrialLedger ledger, SlotBoard board, SweepSpec spec, bool cancelling, string? endReason, Func<TrialConfig, string?> packKey) =>
        Plan(ledger, board, new DispatchOptions(spec, cancelling, endReason, packKey));

    /// <summary>
    /// The most trials of this shape one pack may hold: the spec's pack_size, and no more than fit together in what one
    /// trial may take (<see cref="Limits.MaxTrialBytes"/>), since a pack holds all its members' memory at once.
    /// </summary>
    public static int PackCap(SweepSpec spec, TrialConfig config) =>
        Math.Min(spec.PackSize, TrialFootprint.Of(config).HowManyFitIn(Limits.MaxTrialBytes));

    /// <summary>
    /// Packs of equal size rather than full ones and a remainder: 24 trials at a cap of 16 train as 12 + 12, not 16 + 8,
    /// so two slots finish together instead of one waiting on the bigger pack.
    /// </summary>
    public static int PackSize(int trials, int cap)
    {
        var packs = (trials + cap - 1) / cap;
        var even = (trials + packs - 1) / packs;
        return Math.Min(Math.Min(cap, trials), Math.Max(even, PackMinimum));
    }
}
