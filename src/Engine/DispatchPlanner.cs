using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine;

/// <summary>
/// Decides one dispatch pass: queued trials in order, each on the silo with the most free slots that can run it, until no
/// silo has room; trials of one shape that never trained go as packs first. A trial no silo could ever run (CUDA on a
/// CPU-only cluster) is marked unschedulable rather than left waiting. The board's free slots are taken as it assigns.
/// </summary>
public static class DispatchPlanner
{
    /// <summary>The smallest pack worth making: two trials packed train ~2x faster than one after the other (bench --packing).</summary>
    public const int PackMinimum = 2;

    public static DispatchPlan Plan(TrialLedger ledger, SlotBoard board, DispatchOptions options) => throw new NotImplementedException();

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
