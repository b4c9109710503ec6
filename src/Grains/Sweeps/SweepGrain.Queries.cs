using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Sweeps;

/// <summary>The sweep's queries: a screen's worth (the overview) or a page at a time, curves read from the curve store.</summary>
public sealed partial class SweepGrain
{
    public Task<SweepOverview?> GetOverviewAsync(long sinceVersion = 0, int top = 10) =>
        Task.FromResult(_ledger is null ? null : Overview(sinceVersion, top));

    public Task<IReadOnlyList<TrialSummary>> GetTrialsAsync(int offset, int count) =>
        Task.FromResult<IReadOnlyList<TrialSummary>>(_ledger is { } ledger ? [.. Page(offset, count).Select(ledger.Summarise)] : []);

    /// <summary>
    /// One curve store read per page; each curve as far as the sweep applied it (epochs past that are not acked yet).
    /// A page holds at most <see cref="SweepPaging.MaxEpochsPerPage"/> epochs unless it is one curve.
    /// </summary>
    public async Task<IReadOnlyList<TrialCurve>> GetCurvesAsync(int offset, int count)
    {
        if (_ledger is not { } ledger)
        {
            return [];
        }

        var requests = Page(offset, count).Select(i => new CurveRequest(ledger.Planned(i).Id, ledger[i].Epochs)).ToList();
        SweepPages.CheckCurves(offset, requests.Count, requests.Sum(r => (long)r.Epochs));
        return requests.Count == 0 ? [] : await curves.ReadAsync(requests);
    }

    public async Task<string?> GetSpecYamlAsync() => state.State.Spec is null ? null : await store.ReadSpecAsync(SweepId);

    public Task<SweepProgress?> GetProgressAsync() =>
        Task.FromResult(_ledger is { } ledger
            ? SweepOverviews.Progress(SweepId, Spec.Name, ledger, state.State.Started, state.State.EndReason, state.State.Finished, DateTimeOffset.UtcNow, EpochsToSuggest)
            : null);

    private IEnumerable<int> Page(int offset, int count) => SweepPages.Of(offset, count, Ledger.Count);

    private SweepOverview Overview(long sinceVersion, int top) =>
        SweepOverviews.Build(SweepId, Spec.Name, Ledger, state.State.Started, state.State.EndReason, state.State.Finished, sinceVersion, top, DateTimeOffset.UtcNow, EpochsToSuggest);
}
