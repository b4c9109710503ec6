using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// <c>method: tpe</c>: the sweep's trials are suggested as it runs (<see cref="TpeSuggester"/>), so they come from its
/// suggestion log in the sweep store, not from the spec alone. Each dispatch pass (also the one right after a trial's
/// end frees its slot) first suggests enough trials for the free slots; a suggestion is in the log before its trials
/// join the ledger, so a sweep brought back replays the same trials (finished ones reused by id) and draws only new ones.
/// </summary>
public sealed partial class SweepGrain
{
    private TpeSuggester? _suggester;

    /// <summary>A TPE sweep that runs on and has suggestions left to make (it is not finished while it has).</summary>
    private bool MoreToSuggest => _suggester is { Remaining: > 0 } && state.State.EndReason is null && !state.State.CancelRequested;

    /// <summary>The epochs the suggestions still to make will train (each <c>repeats</c> trials of the spec's epochs), for the progress total.</summary>
    private long EpochsToSuggest => MoreToSuggest ? (long)_suggester!.Remaining * Spec.Repeats * Spec.Epochs : 0;

    /// <summary>The spec's trials: for a TPE sweep those of its suggestion log (read from the store), which its suggester then continues.</summary>
    private async Task<IReadOnlyList<PlannedTrial>> PlanAsync(SweepSpec spec)
    {
        if (spec.Method != SearchMethod.Tpe)
        {
            _suggester = null;
            return SweepPlanner.Expand(spec);
        }

        var log = (await store.ReadSuggestionsAsync(SweepId)).Select(TpeSuggester.Decode).ToList();
        _suggester = new TpeSuggester(spec, log);
        return SweepPlanner.Expand(spec, log);
    }

    /// <summary>
    /// Suggests trials for <paramref name="board"/>'s free slots, writes them to the log, then queues them; suggestions
    /// that only repeated configurations the sweep has (no new trial) are followed by new ones at once. A failed write
    /// queues nothing: the next pass suggests again.
    /// </summary>
    private async Task SuggestAsync(SlotBoard board)
    {
        while (MoreToSuggest && _suggester is { } suggester && _ledger is { } ledger)
        {
            var made = suggester.Suggest(ledger, suggester.Wanted(ledger, board.FreeSlots));
            if (made.Count == 0)
            {
                return;
            }

            try
            {
                await store.WriteSuggestionsAsync(SweepId, suggester.Log.Count, [.. made.Select(TpeSuggester.Encode)]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SuggestionsNotStored(logger, e, SweepId, made.Count);
                return;
            }

            var trials = suggester.Record(made);
            foreach (var trial in trials)
            {
                ledger.Append(trial);
            }

            TrialsSuggested(logger, SweepId, made.Count, trials.Count, suggester.Log.Count, Spec.Trials);
            if (trials.Count > 0)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} suggested {Suggestions} configuration(s) ({Trials} new trials); {Made} of {Budget} suggestions made")]
    private static partial void TrialsSuggested(ILogger logger, string sweepId, int suggestions, int trials, int made, int budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId} could not store {Suggestions} suggestion(s); the next dispatch pass suggests again")]
    private static partial void SuggestionsNotStored(ILogger logger, Exception exception, string sweepId, int suggestions);
}
