using SweepCluster.Engine.Stopping;

namespace SweepCluster.Engine.Tests;

/// <summary>The early-stopping rules on synthetic curves: they stop what is clearly behind and nothing else.</summary>
public sealed class StoppingRuleTests
{
    /// <summary>A loss curve falling from <paramref name="start"/> towards <paramref name="floor"/>.</summary>
    private static RunningBest Curve(double start, double floor, int epochs) =>
        new(Enumerable.Range(1, epochs).Select(e => floor + (start - floor) / e));

    [Fact]
    public void RunningBestKeepsTheLowestFiniteLossSoFar()
    {
        var best = new RunningBest([0.5, 0.7, double.NaN, 0.3, double.PositiveInfinity, 0.4]);

        Assert.Equal(6, best.Epochs);
        Assert.Equal([0.5, 0.5, 0.5, 0.3, 0.3, 0.3], Enumerable.Range(1, 6).Select(best.UpTo));
    }

    [Fact]
    public void TheMedianRuleStopsATrialWorseThanTheMedianOfCompletedTrialsAfterTheGracePeriod()
    {
        var rule = new MedianStoppingRule(graceEpochs: 10);
        RunningBest[] completed = [Curve(1, 0.1, 100), Curve(1, 0.2, 100), Curve(1, 0.3, 100)];
        var behind = Curve(1, 0.6, 100);

        Assert.Null(rule.Decide(behind, 10, completed)); // still in its grace period
        var decision = rule.Decide(behind, 11, completed);

        Assert.NotNull(decision);
        Assert.Equal(("median", 11), (decision.Rule, decision.Epoch));
        Assert.Contains("median", decision.Reason);
    }

    [Fact]
    public void TheMedianRuleKeepsTrialsAtOrBetterThanTheMedianAndWaitsForEnoughCompletedTrials()
    {
        var rule = new MedianStoppingRule(graceEpochs: 5, minCompleted: 3);
        RunningBest[] completed = [Curve(1, 0.1, 50), Curve(1, 0.2, 50), Curve(1, 0.3, 50)];

        Assert.Null(rule.Decide(Curve(1, 0.15, 20), 20, completed));
        Assert.Null(rule.Decide(Curve(1, 0.9, 20), 20, completed[..2])); // two completed trials are too few to judge
        Assert.Null(rule.Decide(Curve(1, 0.9, 60), 60, completed)); // no completed trial reached epoch 60
    }

    [Fact]
    public void AshaRungsGrowByEtaFromTheMinimumBelowTheTrialLength()
    {
        Assert.Equal([5, 15, 45, 135], new AshaRule(minEpochs: 5, eta: 3, maxEpochs: 250).Rungs);
        Assert.Equal([1, 2, 4, 8], new AshaRule(minEpochs: 1, eta: 2, maxEpochs: 10).Rungs);
        Assert.Equal([15, 45], new AshaRule(minEpochs: 5, eta: 3, maxEpochs: 250).RungsBetween(5, 50));
    }

    [Fact]
    public void AshaLetsTheFirstTrialAtARungOnAndThenOnlyTheTopThirdWithEtaThree()
    {
        var rule = new AshaRule(minEpochs: 10, eta: 3, maxEpochs: 100);
        var reached = new List<RunningBest>();

        StopDecision? Arrive(RunningBest trial)
        {
            var decision = rule.Decide(trial, 10, reached);
            reached.Add(trial);
            return decision;
        }

        Assert.Null(Arrive(Curve(1, 0.5, 10)));                 // first at the rung: goes on
        Assert.NotNull(Arrive(Curve(1, 0.6, 10)));              // 2nd of 2, top 1 goes on: stopped
        Assert.Null(Arrive(Curve(1, 0.1, 10)));                 // best so far: goes on
        var stopped = Arrive(Curve(1, 0.55, 10));               // 3rd of 4, top 1: stopped

        Assert.NotNull(stopped);
        Assert.Equal(("asha", 10), (stopped.Rule, stopped.Epoch));
        Assert.Contains("top 1 (1/3)", stopped.Reason);
    }

    [Fact]
    public void AshaOnlyComparesWithTrialsThatReachedTheRung()
    {
        var rule = new AshaRule(minEpochs: 10, eta: 3, maxEpochs: 100);
        RunningBest[] shorter = [Curve(1, 0.01, 9), Curve(1, 0.02, 29)]; // never reached the 30-epoch rung

        Assert.Null(rule.Decide(Curve(1, 0.9, 30), 30, shorter));
    }

    [Fact]
    public void AshaOnMergeModeLikeCurvesKeepsTheBestConfigurationToTheEnd()
    {
        // Six configurations in the tutorial's order of final loss (bi-sum best, forward worst), arriving in spec order.
        var finals = new[] { 0.36, 0.33, 0.21, 0.198, 0.32, 0.22 };
        var rule = new AshaRule(minEpochs: 10, eta: 3, maxEpochs: 250);
        var alive = Enumerable.Range(0, finals.Length).ToHashSet();
        var reached = new List<RunningBest>();

        foreach (var rung in rule.Rungs)
        {
            foreach (var trial in alive.ToList())
            {
                var curve = Curve(1, finals[trial], rung);
                if (rule.Decide(curve, rung, reached) is not null)
                {
                    alive.Remove(trial);
                }

                reached.Add(curve);
            }
        }

        Assert.Contains(3, alive); // bi-sum, the best, was never stopped
        Assert.True(alive.Count < finals.Length);
    }
}
