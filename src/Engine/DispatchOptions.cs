using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine;

/// <summary>
/// What a dispatch pass needs besides the ledger and the board: the spec (pack, pack_size), whether the sweep is cancelling
/// or has ended (its end reason), and the pack key of a config (PackedSession.PackKey: null when it cannot pack).
/// </summary>
public sealed record DispatchOptions(SweepSpec Spec, bool Cancelling, string? EndReason, Func<TrialConfig, string?> PackKey);
