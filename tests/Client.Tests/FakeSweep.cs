using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Tests;

/// <summary>
/// A sweep that serves its trials and curves a page at a time from functions of the trial's index, so a test can
/// make one as big as it likes without holding it (no cluster: the client only sees <see cref="ISweepGrain"/>).
/// </summary>
internal sealed class FakeSweep(int trials, Func<int, TrialSummary> trial, Func<int, TrialCurve> curve, string specYaml = "name: fake\n") : ISweepGrain
{
    public FakeSweep(IReadOnlyList<TrialSummary> trials, IReadOnlyDictionary<string, TrialCurve> curves)
        : this(trials.Count, i => trials[i], i => curves.GetValueOrDefault(trials[i].Trial.Id) ?? new TrialCurve(trials[i].Trial.Id, [], [], []))
    {
    }

    /// <summary>The overview the views are given (tests set it).</summary>
    public SweepOverview? Overview { get; set; }

    public int TrialPages { get; private set; }

    public int CurvePages { get; private set; }

    public Task<IReadOnlyList<TrialSummary>> GetTrialsAsync(int offset, int count)
    {
        TrialPages++;
        return Task.FromResult<IReadOnlyList<TrialSummary>>([.. Page(offset, count).Select(trial)]);
    }

    public Task<IReadOnlyList<TrialCurve>> GetCurvesAsync(int offset, int count)
    {
        CurvePages++;
        return Task.FromResult<IReadOnlyList<TrialCurve>>([.. Page(offset, count).Select(curve)]);
    }

    public Task<string?> GetSpecYamlAsync() => Task.FromResult<string?>(specYaml);

    public Task<SweepOverview?> GetOverviewAsync(long sinceVersion = 0, int top = 10) => Task.FromResult(Overview);

    public Task<SweepOverview> SubmitAsync(SweepSpec spec, string specYaml) => throw new NotSupportedException();

    public Task<ReportAck> ReportAsync(TrialReport report) => throw new NotSupportedException();

    public Task TrialSuspendedAsync(string trialId) => throw new NotSupportedException();

    public Task CancelAsync() => throw new NotSupportedException();

    public Task<bool> ForgetAsync() => throw new NotSupportedException();

    public Task<SweepProgress?> GetProgressAsync() => throw new NotSupportedException("the client pages; it never asks for every trial at once");

    private IEnumerable<int> Page(int offset, int count) => Enumerable.Range(offset, Math.Max(0, Math.Min(count, trials - offset)));
}
