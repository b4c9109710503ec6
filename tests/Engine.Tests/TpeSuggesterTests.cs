using System.Text.Json;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Engine.Tests;

/// <summary>
/// How a <c>method: tpe</c> sweep suggests: enough for the free slots, never past <c>trials</c>, a repeated configuration
/// trains nothing, a rebuilt suggester continues where the log left off, and on a landscape with a known optimum the
/// suggestions beat random search.
/// </summary>
public sealed class TpeSuggesterTests
{
    private const int Epochs = 5;

    private static SweepSpec Tpe(int trials, int seed = 0, int repeats = 1, SweepGrid? grid = null, TpeOptions? options = null) =>
        new(
            "tpe", TaskKind.Cumsum, TaskOptions.Default,
            grid ?? new SweepGrid(
            [
                new SweptParameter("direction", ["forward", "bidirectional"]),
                new SweptParameter("merge_mode", ["concat", "sum"]),
                new SweptParameter("hidden", [], new Distribution(DistributionKind.IntUniform, 8, 64)),
                new SweptParameter("learning_rate", [], new Distribution(DistributionKind.LogUniform, 1e-4, 1e-1)),
            ]),
            repeats, Epochs, BatchSize: null, DeviceKind.Cpu, seed, CheckpointEvery: 10, Method: SearchMethod.Tpe, Trials: trials, Tpe: options);

    /// <summary>
    /// The landscape the sweeps search (a trial's loss floor; its optimum 0.05 at bidirectional, concat, hidden 40,
    /// learning rate 3e-3): a valley in log(learning rate) and hidden, and a penalty for the other direction or merge mode.
    /// </summary>
    public static double Floor(TrialConfig config)
    {
        var rate = Math.Log10(config.LearningRate / 3e-3);
        var hidden = (config.HiddenOrDefault - 40) / 32.0;
        var shape = config.Direction != Direction.Bidirectional ? 0.15 : config.MergeMode != MergeMode.Concat ? 0.05 : 0;
        return 0.05 + (0.3 * rate * rate) + (0.5 * hidden * hidden) + shape;
    }

    [Fact]
    public void ItSuggestsForTheFreeSlotsAndStopsAtTrials()
    {
        var spec = Tpe(trials: 5);
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);

        Assert.Equal(3, suggester.Wanted(ledger, freeSlots: 3));
        Append(ledger, suggester, suggester.Suggest(ledger, 3));
        Assert.Equal(3, ledger.Count);
        Assert.Equal(0, suggester.Wanted(ledger, freeSlots: 3)); // three queued cover the three free slots
        Assert.Equal(1, suggester.Wanted(ledger, freeSlots: 4));

        Append(ledger, suggester, suggester.Suggest(ledger, 10));
        Assert.Equal(5, suggester.Log.Count);
        Assert.Equal(0, suggester.Remaining);
        Assert.Equal(0, suggester.Wanted(ledger, freeSlots: 10));
        Assert.Empty(suggester.Suggest(ledger, 1));
    }

    [Fact]
    public void WithRepeatsASuggestionIsOneTrialPerSeedAndCoversThatManySlots()
    {
        var spec = Tpe(trials: 10, seed: 7, repeats: 3);
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);

        Assert.Equal(2, suggester.Wanted(ledger, freeSlots: 4)); // ceil(4 / 3)
        Append(ledger, suggester, suggester.Suggest(ledger, 2));

        Assert.Equal(6, ledger.Count);
        Assert.Equal([7, 8, 9, 7, 8, 9], Enumerable.Range(0, 6).Select(i => ledger.Planned(i).Config.Seed));
        Assert.Equal(ledger.Planned(0).Variant, ledger.Planned(2).Variant);
        Assert.NotEqual(ledger.Planned(0).Variant, ledger.Planned(3).Variant);
    }

    [Fact]
    public void ASweepWithNothingQueuedOrTrainingGetsOneSuggestionEvenWithoutAFreeSlot()
    {
        var spec = Tpe(trials: 5);
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);

        Assert.Equal(1, suggester.Wanted(ledger, freeSlots: 0));
        Append(ledger, suggester, suggester.Suggest(ledger, 1));
        Assert.Equal(0, suggester.Wanted(ledger, freeSlots: 0));
        ledger.Started(0, Trials.SiloA);
        Assert.Equal(0, suggester.Wanted(ledger, freeSlots: 0));
    }

    [Fact]
    public void AConfigurationTheSweepHasIsDrawnAgainAndOnceAcceptedAsARepeatTrainsNothing()
    {
        // Two configurations in all: the third suggestion can only repeat one of them.
        var grid = new SweepGrid([new SweptParameter("direction", ["forward", "backward"])]);
        var spec = Tpe(trials: 4, grid: grid);
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);

        Append(ledger, suggester, suggester.Suggest(ledger, 2));
        Assert.Equal(2, ledger.Count);
        Assert.NotEqual(ledger.Planned(0).Id, ledger.Planned(1).Id);

        ledger.Started(0, Trials.SiloA);
        ledger.Started(1, Trials.SiloA);
        Complete(ledger, 0, 0.3);
        Complete(ledger, 1, 0.7);

        var repeat = suggester.Suggest(ledger, 1);
        Assert.Empty(suggester.Record(repeat));
        Assert.Equal(3, suggester.Log.Count);
        Assert.Equal(2, SweepPlanner.Expand(spec, suggester.Log).Count); // the log replays to the same two trials

        // The repeat counts again with its configuration's result, so the history moves on.
        var (finished, pending) = suggester.History(ledger);
        Assert.Empty(pending);
        Assert.Equal(3, finished.Count);
        var twice = Assert.Single(finished.GroupBy(o => o.Assignment), g => g.Count() == 2);
        Assert.Single(twice.Select(o => o.Objective).Distinct());
    }

    [Fact]
    public void ASpaceSmallerThanTrialsTrainsEachConfigurationOnceAndSpendsTheRestOnRepeats()
    {
        var grid = new SweepGrid([new SweptParameter("direction", ["forward", "backward"]), new SweptParameter("learning_rate", ["0.001", "0.01"])]);

        var (ledger, suggester) = Run(Tpe(trials: 12, seed: 3, grid: grid), slots: 2);

        Assert.Equal(12, suggester.Log.Count);
        Assert.Equal(4, ledger.Count);
        Assert.Equal(4, ledger.Counts[TrialStatus.Completed]);
    }

    [Fact]
    public void ASuggesterRebuiltFromItsLogMakesTheSameNextSuggestion()
    {
        var spec = Tpe(trials: 30, seed: 4);
        var (ledger, suggester) = Run(spec, slots: 2, stopAfter: 14);
        var chunks = ledger.AllChunks();
        var log = suggester.Log.Select(TpeSuggester.Encode).Select(TpeSuggester.Decode).ToList();

        var restored = TrialLedger.Restore(SweepPlanner.Expand(spec, log), [], chunks);
        var rebuilt = new TpeSuggester(spec, log);

        Assert.Equal(ledger.Count, restored.Count);
        Assert.Equal(Enumerable.Range(0, ledger.Count).Select(i => ledger.Planned(i).Id), Enumerable.Range(0, restored.Count).Select(i => restored.Planned(i).Id));
        Assert.Equal(Json(suggester.Suggest(ledger, 2)), Json(rebuilt.Suggest(restored, 2)));
    }

    [Fact]
    public void AnOptimizersSettingIsSuggestedOnlyForTrialsOfThatOptimizer()
    {
        var spec = Tpe(trials: 20, seed: 4, grid: new SweepGrid(
        [
            new SweptParameter("optimizer", ["adam", "sgd", "rmsprop"]),
            new SweptParameter("momentum", [], new Distribution(DistributionKind.Uniform, 0.5, 0.99)),
            new SweptParameter("learning_rate", [], new Distribution(DistributionKind.LogUniform, 1e-4, 1e-1)),
        ]));
        var (ledger, suggester) = Run(spec, slots: 2);

        Assert.Equal(20, suggester.Log.Count);
        Assert.All(suggester.Log, entry => Assert.Equal(entry["optimizer"] != "adam", entry.ContainsKey("momentum")));
        Assert.All(Enumerable.Range(0, ledger.Count), i => Assert.Empty(ledger.Planned(i).Config.Validate()));
        Assert.Contains(Enumerable.Range(0, ledger.Count), i => ledger.Planned(i).Config.Momentum is not null);
    }

    [Fact]
    public void SuggestedValuesAreTheOnesTrialsUseRoundedAndInsideTheSpace()
    {
        var spec = Tpe(trials: 24, seed: 2);
        var (ledger, suggester) = Run(spec, slots: 3);

        Assert.Equal(24, suggester.Log.Count);
        foreach (var entry in suggester.Log)
        {
            var rate = double.Parse(entry["learning_rate"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(rate, 1e-4, 1e-1);
            Assert.Equal(rate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), entry["learning_rate"]);
            Assert.InRange(int.Parse(entry["hidden"], System.Globalization.CultureInfo.InvariantCulture), 8, 64);
            Assert.Equal(entry["direction"] == "bidirectional", entry.ContainsKey("merge_mode"));
        }

        Assert.All(Enumerable.Range(0, ledger.Count), i => Assert.Equal(TrialStatus.Completed, ledger[i].Status));
    }

    [Fact]
    public void ASuggestionWithRepeatsFinishesWhenAllItsSeedsEndedWithTheirMeanInTheOrderTheLastEnded()
    {
        var spec = Tpe(trials: 3, repeats: 2);
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);
        Append(ledger, suggester, suggester.Suggest(ledger, 2)); // trials 0, 1 (first suggestion), 2, 3 (second)
        foreach (var i in Enumerable.Range(0, 4))
        {
            ledger.Started(i, Trials.SiloA);
        }

        Complete(ledger, 0, 0.4);
        Complete(ledger, 2, 0.2);
        var (finished, pending) = suggester.History(ledger);
        Assert.Empty(finished);
        Assert.Equal(2, pending.Count);

        Complete(ledger, 3, 0.6); // the second suggestion ends first
        Complete(ledger, 1, 0.8);
        (finished, pending) = suggester.History(ledger);

        Assert.Empty(pending);
        Assert.Equal([0.4, 0.6], finished.Select(o => o.Objective), new ToleranceComparer(1e-12));
        Assert.Equal(suggester.Log[1]["hidden"], finished[0].Assignment["hidden"].ToString());
    }

    [Fact]
    public void ASuggestionWithAFailedSeedIsTheWorst()
    {
        var spec = Tpe(trials: 3, repeats: 2);
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);
        Append(ledger, suggester, suggester.Suggest(ledger, 1));
        ledger.Started(0, Trials.SiloA);
        ledger.Started(1, Trials.SiloA);
        Complete(ledger, 0, 0.1);
        ledger.Report(1, [], new TrialEnd(TrialStatus.Failed, 0, Error: "boom"));

        var (finished, _) = suggester.History(ledger);

        Assert.True(double.IsNaN(Assert.Single(finished).Objective));
    }

    [Fact]
    public void AFailedOrDivergedTrialCountsAsTheWorstAndAStoppedOneWithTheLossItReached()
    {
        var ledger = new TrialLedger(Trials.Plan(3, epochs: 4), []);
        foreach (var i in new[] { 0, 1, 2 })
        {
            ledger.Started(i, Trials.SiloA);
        }

        ledger.Report(0, Trials.Epochs(0, 1, 2), new TrialEnd(TrialStatus.Failed, 2, Error: "boom"));
        ledger.Report(1, [new EpochReport("t1", 1, double.NaN, 0, 0.1)], new TrialEnd(TrialStatus.Diverged, 1));
        ledger.Report(2, Trials.Epochs(2, 1, 2));
        ledger.Stop(2, "asha", 2);
        ledger.Report(2, [], new TrialEnd(TrialStatus.Stopped, 2));

        Assert.True(double.IsNaN(TpeObjective.Of(ledger, ledger[0])));
        Assert.True(double.IsNaN(TpeObjective.Of(ledger, ledger[1])));
        Assert.Equal(ledger[2].FinalLoss!.Value, TpeObjective.Of(ledger, ledger[2]));
        Assert.Equal(0.5, TpeObjective.Of(ledger, ledger[2]), 1e-9);
    }

    /// <summary>
    /// TPE against random search (method: random, the same budget and seed) on <see cref="Floor"/>, best final loss after
    /// 40 configurations on two slots, seeds 0-9 (the best reachable is 0.24). Measured: TPE wins 9 of 10, median best 0.2421
    /// against 0.2728 (at 30 configurations: 8 of 10). Deterministic: the sampler is a pure function of its inputs.
    /// </summary>
    [Fact]
    public void OnAKnownLandscapeTpeFindsABetterBestThanRandomSearchInMostOfTenSeeds()
    {
        const int Budget = 40;
        var wins = 0;
        var results = new List<string>();
        for (var seed = 0; seed < 10; seed++)
        {
            var (tpe, _) = Run(Tpe(Budget, seed), slots: 2);
            var random = RunRandom(Tpe(Budget, seed) with { Method = SearchMethod.Random }, slots: 2);
            var (tpeBest, randomBest) = (Best(tpe), Best(random));
            wins += tpeBest < randomBest ? 1 : 0;
            results.Add($"seed {seed}: tpe {tpeBest:F4} random {randomBest:F4}");
        }

        Assert.True(wins >= 7, $"TPE won {wins} of 10: {string.Join("; ", results)}");
    }

    /// <summary>Trial <paramref name="index"/> completes with a flat curve at <paramref name="loss"/>.</summary>
    private static void Complete(TrialLedger ledger, int index, double loss)
    {
        var id = ledger.Planned(index).Id;
        var epochs = Enumerable.Range(1, Epochs).Select(e => new EpochReport(id, e, loss, 0.5, 0.01)).ToList();
        var end = new TrialEnd(TrialStatus.Completed, Epochs, loss, 0.5);
        var intake = ledger.Accept(index, new TrialReport(id, epochs, end));
        ledger.Apply(index, intake.NewEpochs, end);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    private static double Best(TrialLedger ledger) => Enumerable.Range(0, ledger.Count).Min(i => ledger[i].FinalLoss ?? double.PositiveInfinity);

    private static string Json(IReadOnlyList<IReadOnlyDictionary<string, string>> entries) => JsonSerializer.Serialize(entries.Select(TpeSuggester.Encode));

    private static void Append(TrialLedger ledger, TpeSuggester suggester, IReadOnlyList<IReadOnlyDictionary<string, string>> made)
    {
        foreach (var trial in suggester.Record(made))
        {
            ledger.Append(trial);
        }
    }

    /// <summary>
    /// A TPE sweep as the grain drives it, on <paramref name="slots"/> slots: suggest for the free slots, start the queue,
    /// then the oldest running trial finishes with the landscape's curve; until <c>trials</c> (or <paramref name="stopAfter"/>) have finished.
    /// </summary>
    private static (TrialLedger Ledger, TpeSuggester Suggester) Run(SweepSpec spec, int slots, int stopAfter = int.MaxValue)
    {
        var ledger = new TrialLedger([], []);
        var suggester = new TpeSuggester(spec, []);
        var running = new Queue<int>();
        for (var finished = 0; finished < stopAfter && (!ledger.AllFinished || suggester.Remaining > 0);)
        {
            Append(ledger, suggester, suggester.Suggest(ledger, suggester.Wanted(ledger, slots - running.Count)));
            StartQueued(ledger, running, slots);
            if (running.Count > 0)
            {
                Finish(ledger, running.Dequeue());
                finished++;
            }
        }

        return (ledger, suggester);
    }

    private static TrialLedger RunRandom(SweepSpec spec, int slots)
    {
        var ledger = new TrialLedger(SweepPlanner.Expand(spec), []);
        var running = new Queue<int>();
        while (!ledger.AllFinished)
        {
            StartQueued(ledger, running, slots);
            Finish(ledger, running.Dequeue());
        }

        return ledger;
    }

    private static void StartQueued(TrialLedger ledger, Queue<int> running, int slots)
    {
        foreach (var index in ledger.Queued.Take(slots - running.Count).ToList())
        {
            ledger.Started(index, Trials.SiloA);
            running.Enqueue(index);
        }
    }

    private static void Finish(TrialLedger ledger, int index)
    {
        var trial = ledger.Planned(index);
        var floor = Floor(trial.Config);
        var epochs = Enumerable.Range(1, Epochs).Select(e => new EpochReport(trial.Id, e, floor + ((1 - floor) / e), 0.5, 0.01)).ToList();
        var end = new TrialEnd(TrialStatus.Completed, Epochs, epochs[^1].Loss, 0.5);
        var intake = ledger.Accept(index, new TrialReport(trial.Id, epochs, end));
        ledger.Apply(index, intake.NewEpochs, end);
    }
}
