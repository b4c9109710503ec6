using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Storage;

/// <summary>
/// Trials' curves, keyed by trial id (a trial two sweeps share has one curve), written by epoch number: writing an
/// epoch again replaces it, so a retried or repeated write changes nothing. Redis in a cluster, files locally.
/// </summary>
public interface ICurveStore
{
    Task WriteAsync(string trialId, IReadOnlyList<EpochReport> epochs);

    /// <summary>Each requested trial's epochs 1..<see cref="CurveRequest.Epochs"/>, in request order; shorter where the store has fewer.</summary>
    Task<IReadOnlyList<TrialCurve>> ReadAsync(IReadOnlyList<CurveRequest> trials);

    Task DeleteAsync(IReadOnlyList<string> trialIds);
}

/// <summary>Read trial <paramref name="TrialId"/>'s curve up to epoch <paramref name="Epochs"/>.</summary>
public readonly record struct CurveRequest(string TrialId, int Epochs);
