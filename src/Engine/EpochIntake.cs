using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// What <see cref="TrialLedger.Accept"/> makes of a report: the epochs the sweep does not have yet (contiguous, from its
/// applied epochs + 1), to be written to the curve store and then passed to <see cref="TrialLedger.Apply"/>. <see cref="Gap"/>:
/// the report began past the next epoch the sweep needs, so nothing of it is applied (the ack says where to resend from).
/// </summary>
public sealed record EpochIntake(IReadOnlyList<EpochReport> NewEpochs, bool Gap)
{
    public static readonly EpochIntake Nothing = new([], false);
}
