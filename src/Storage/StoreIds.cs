using System.Text.RegularExpressions;
using SweepCluster.Experiments;

namespace SweepCluster.Storage;

/// <summary>
/// The ids every store accepts. They become file names and Redis key parts, so only a safe alphabet passes and the
/// same id is refused by every store alike (no '/', no "..", nothing hidden).
/// </summary>
internal static partial class StoreIds
{
    /// <summary>Trial ids are "task-variant-sSEED-hash" (the learning rate's "g3" form may add '+' and 'E').</summary>
    public const int MaxTrialIdLength = Limits.MaxTrialIdLength;

    public static string Sweep(string sweepId) =>
        sweepId is not null && SweepPattern().IsMatch(sweepId)
            ? sweepId
            : throw new ArgumentException($"'{sweepId}' is not a sweep id (letters, digits, '.', '_' and '-', starting with a letter or digit, at most {Limits.MaxNameLength} characters)", nameof(sweepId));

    public static string Trial(string trialId) =>
        trialId is not null && TrialPattern().IsMatch(trialId)
            ? trialId
            : throw new ArgumentException($"'{trialId}' is not a trial id (letters, digits, '.', '_', '+' and '-', starting with a letter or digit, at most {MaxTrialIdLength} characters)", nameof(trialId));

    [GeneratedRegex(Limits.NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex SweepPattern();

    [GeneratedRegex(Limits.TrialIdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex TrialPattern();
}
