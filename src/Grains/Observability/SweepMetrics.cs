using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Observability;

/// <summary>
/// SweepCluster's own meter, one per silo (documented in docs/metrics.md). Live values (a trial's loss, a sweep's
/// counts) are kept here as plain fields the training thread and the grains overwrite, and read only when
/// Prometheus scrapes; a trial's series exist while it trains here, a sweep's while its grain is active here, and a
/// sweep's leaderboard while the sweep registry is active here (one silo of the cluster; until the sweep is forgotten).
/// Labels are bounded: sweep and trial ids, the swept parameters, statuses and leaderboard ranks (at most
/// <see cref="SweepOverviews.LeadersListed"/> per sweep); never epochs, times or text.
/// </summary>
public sealed class SweepMetrics : IDisposable
{
    public const string MeterName = "SweepCluster";

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly ConcurrentDictionary<string, LiveTrial> _trials = new();
    private readonly ConcurrentDictionary<string, SweepSnapshot> _sweeps = new();
    private readonly ConcurrentDictionary<string, LeaderRow[]> _leaderboards = new();
    private readonly Counter<long> _epochs;
    private readonly Counter<long> _samples;
    private readonly Counter<long> _trialsEnded;
    private readonly Counter<long> _trialsStopped;
    private readonly Histogram<double> _stepSeconds;
    private readonly Histogram<double> _epochSeconds;
    private readonly Histogram<double> _checkpointSeconds;
    private readonly KeyValuePair<string, object?> _silo;
    private Func<(int Busy, int Total)> _slots = () => (0, 0);

    /// <param name="silo">The silo this meter reports for (its host:port, as progress and results.csv name it); null outside a silo.</param>
    public SweepMetrics(ILocalSiloDetails? silo = null)
    {
        _silo = new KeyValuePair<string, object?>("silo", silo?.SiloAddress.Endpoint.ToString() ?? "none");
        _meter.CreateObservableGauge("sweepcluster.trial.loss", () => _trials.Values.Where(t => t.Epoch > 0).Select(t => new Measurement<double>(t.Loss, t.Tags)),
            description: "Training loss of the trial's latest epoch, per trial training on this silo");
        _meter.CreateObservableGauge("sweepcluster.trial.accuracy", () => _trials.Values.Where(t => t.Epoch > 0).Select(t => new Measurement<double>(t.Accuracy, t.Tags)),
            description: "Training accuracy of the trial's latest epoch, per trial training on this silo");
        _meter.CreateObservableGauge("sweepcluster.trial.epoch", () => _trials.Values.Select(t => new Measurement<int>(t.Epoch, t.Tags)),
            unit: "{epoch}", description: "Epochs the trial has completed, per trial training on this silo");
        _meter.CreateObservableGauge("sweepcluster.trial.epochs_planned", () => _trials.Values.Select(t => new Measurement<int>(t.Planned, t.Tags)),
            unit: "{epoch}", description: "Epochs the trial trains in all, per trial training on this silo");
        _epochs = _meter.CreateCounter<long>("sweepcluster.epochs", unit: "{epoch}", description: "Epochs trained on this silo");
        _samples = _meter.CreateCounter<long>("sweepcluster.samples", unit: "{sample}", description: "Training examples seen on this silo");
        _trialsEnded = _meter.CreateCounter<long>("sweepcluster.trials.ended", unit: "{trial}", description: "Trials that ended on this silo, by how they ended");
        _trialsStopped = _meter.CreateCounter<long>("sweepcluster.trials.stopped_early", unit: "{trial}",
            description: "Trials a sweep hosted on this silo stopped early, by rule (median, asha, max_epochs_total, time_limit, stop_when)");
        _stepSeconds = _meter.CreateHistogram("sweepcluster.training.step.duration", unit: "s", description: "Time of one optimizer step",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _epochSeconds = _meter.CreateHistogram("sweepcluster.training.epoch.duration", unit: "s", description: "Time of one training epoch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
        _checkpointSeconds = _meter.CreateHistogram("sweepcluster.checkpoint.write.duration", unit: "s", description: "Time to write one checkpoint",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });
        _meter.CreateObservableGauge("sweepcluster.slots.busy", () => new Measurement<int>(_slots().Busy, _silo), unit: "{slot}", description: "Training slots of this silo in use");
        _meter.CreateObservableGauge("sweepcluster.slots.total", () => new Measurement<int>(_slots().Total, _silo), unit: "{slot}", description: "Training slots of this silo");
        _meter.CreateObservableGauge("sweepcluster.sweep.trials", ObserveSweepTrials, unit: "{trial}", description: "A sweep's trials by state, from the silo hosting the sweep");
        _meter.CreateObservableGauge("sweepcluster.sweep.queued", () => _sweeps.Values.Select(s => new Measurement<int>(s.Queued, s.Tags)),
            unit: "{trial}", description: "Trials waiting in the sweep's queue for a free slot");
        _meter.CreateObservableGauge("sweepcluster.sweep.best_loss", () => _sweeps.Values.Where(s => s.BestLoss is not null).Select(s => new Measurement<double>(s.BestLoss!.Value, s.Tags)),
            description: "Lowest final loss among the sweep's trials so far");
        _meter.CreateObservableGauge("sweepcluster.sweep.eta", () => _sweeps.Values.Where(s => s.EtaSeconds is not null).Select(s => new Measurement<double>(s.EtaSeconds!.Value, s.Tags)),
            unit: "s", description: "Estimated time until the sweep ends");
        _meter.CreateObservableGauge("sweepcluster.sweep.epochs_done", () => _sweeps.Values.Select(s => new Measurement<long>(s.EpochsDone, s.Tags)),
            unit: "{epoch}", description: "Epochs the sweep's trials have completed");
        _meter.CreateObservableGauge("sweepcluster.sweep.epochs_planned", () => _sweeps.Values.Select(s => new Measurement<long>(s.EpochsTotal, s.Tags)),
            unit: "{epoch}", description: "Epochs the sweep trains in all");
        _meter.CreateObservableGauge("sweepcluster.sweep.leaderboard.trials", () => Leaders(r => r.Trials),
            unit: "{trial}", description: "Trials (seeds) of each of the sweep's top configurations, from the silo hosting the sweep registry");
        _meter.CreateObservableGauge("sweepcluster.sweep.leaderboard.final_loss", () => Leaders(r => r.FinalLoss),
            description: "Final loss of each of the sweep's top configurations (mean over its seeds, as the leaderboard ranks them), from the silo hosting the sweep registry");
        _meter.CreateObservableGauge("sweepcluster.sweep.leaderboard.best_loss", () => Leaders(r => r.BestLoss),
            description: "Best loss of each of the sweep's top configurations (mean over its seeds), from the silo hosting the sweep registry");
        _meter.CreateObservableGauge("sweepcluster.sweep.leaderboard.final_metric", () => Leaders(r => r.FinalMetric, withMetric: true),
            description: "The sweep's metric (label metric: loss, acc, val_loss, val_acc) at the end of each of its top configurations, which ranks them (mean over its seeds), from the silo hosting the sweep registry");
        _meter.CreateObservableGauge("sweepcluster.sweep.leaderboard.best_metric", () => Leaders(r => r.BestMetric, withMetric: true),
            description: "The best value of the sweep's metric (label metric) for each of its top configurations (mean over its seeds), from the silo hosting the sweep registry");
    }

    /// <summary>Live trials here (tests check the per-trial series go away with them).</summary>
    public int LiveTrials => _trials.Count;

    public void ObserveSlots(Func<(int Busy, int Total)> slots) => _slots = slots;

    public void TrialStarted(string trialId, string sweepId, TrialConfig config) =>
        _trials[trialId] = new LiveTrial(
            [
                new("sweep", sweepId), new("trial", trialId), new("task", Names.Of(config.Task)), new("direction", Names.Of(config.Direction)),
                new("merge_mode", config.Direction == Direction.Bidirectional ? Names.Of(config.MergeMode) : "none"),
                new("hidden", config.HiddenOrDefault.ToString(System.Globalization.CultureInfo.InvariantCulture)), _silo,
            ],
            config.Epochs);

    public void EpochTrained(string trialId, EpochMetrics epoch)
    {
        if (!_trials.TryGetValue(trialId, out var trial))
        {
            return;
        }

        (trial.Loss, trial.Accuracy, trial.Epoch) = (epoch.Loss, epoch.Accuracy, epoch.Epoch);
        _epochs.Add(1, trial.CounterTags);
        _samples.Add(epoch.Samples, trial.CounterTags);
        _epochSeconds.Record(epoch.Seconds, trial.Tags[2]);
    }

    public void StepTrained(string task, double seconds) => _stepSeconds.Record(seconds, new KeyValuePair<string, object?>("task", task));

    public void TrialEnded(string trialId, string sweepId, TrialStatus? status)
    {
        _trials.TryRemove(trialId, out _);
        _trialsEnded.Add(1, new KeyValuePair<string, object?>("sweep", sweepId), new KeyValuePair<string, object?>("status", status?.Name() ?? "suspended"));
    }

    public void TrialStoppedEarly(string sweepId, string rule) =>
        _trialsStopped.Add(1, new KeyValuePair<string, object?>("sweep", sweepId), new KeyValuePair<string, object?>("rule", rule));

    public void CheckpointWritten(TimeSpan duration) => _checkpointSeconds.Record(duration.TotalSeconds);

    /// <param name="overview">The sweep's counts and totals (its leaderboard and trial lists are not read).</param>
    /// <param name="bestFinalLoss">The lowest final loss among its trials so far, if any has one.</param>
    public void SweepUpdated(SweepOverview overview, double? bestFinalLoss) =>
        _sweeps[overview.SweepId] = new SweepSnapshot(
            [new("sweep", overview.SweepId)],
            Enum.GetValues<TrialStatus>().ToDictionary(s => s, overview.Count),
            bestFinalLoss,
            overview.EstimatedRemaining?.TotalSeconds ?? (overview.IsFinished ? 0 : null),
            overview.EpochsDone,
            overview.EpochsTotal);

    public void SweepRemoved(string sweepId) => _sweeps.TryRemove(sweepId, out _);

    /// <summary>Sweeps whose leaderboard this silo exports (tests check it follows the registry).</summary>
    public int Leaderboards => _leaderboards.Count;

    /// <summary>
    /// The sweep's leaderboard as its registry row holds it: series labelled by sweep, rank (1 = best), variant and each
    /// swept parameter, replacing the sweep's previous ones.
    /// </summary>
    public void LeaderboardListed(SweepListing listing) =>
        _leaderboards[listing.SweepId] =
        [
            .. (listing.Leaders ?? []).Select((row, i) => new LeaderRow(
                [
                    new("sweep", listing.SweepId), new("rank", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), new("variant", row.Variant),
                    .. (row.Parameters ?? new Dictionary<string, string>()).Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)),
                ],
                row.Trials, row.FinalLoss, row.BestLoss,
                row.FinalOf(listing.Metric ?? SweepMetric.Default), listing.Metric is { Name: not MetricName.Loss } ? row.BestMetric : row.BestLoss,
                new KeyValuePair<string, object?>("metric", (listing.Metric ?? SweepMetric.Default).SpecName))),
        ];

    public void LeaderboardRemoved(string sweepId) => _leaderboards.TryRemove(sweepId, out _);

    /// <summary>The registry left this silo: another exports the leaderboards now.</summary>
    public void LeaderboardsRemoved() => _leaderboards.Clear();

    private IEnumerable<Measurement<int>> ObserveSweepTrials() =>
        _sweeps.Values.SelectMany(s => s.ByStatus.Select(pair =>
            new Measurement<int>(pair.Value, s.Tags[0], new KeyValuePair<string, object?>("state", pair.Key.Name()))));

    /// <summary>One measurement per listed row that has the value (a configuration with no finished trial has no final loss).</summary>
    private IEnumerable<Measurement<double>> Leaders(Func<LeaderRow, double?> value, bool withMetric = false) =>
        _leaderboards.Values.SelectMany(rows => rows)
            .Select(row => (Row: row, Value: value(row)))
            .Where(r => r.Value is not null)
            .Select(r => new Measurement<double>(r.Value!.Value, withMetric ? [.. r.Row.Tags, r.Row.Metric] : r.Row.Tags));

    public void Dispose() => _meter.Dispose();

    private sealed class LiveTrial(KeyValuePair<string, object?>[] tags, int planned)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = tags;

        public int Planned { get; } = planned;

        /// <summary>sweep and task: what the epoch and sample counters are split by (made once, not per epoch).</summary>
        public KeyValuePair<string, object?>[] CounterTags { get; } = [tags[0], tags[2]];

        public double Loss { get; set; }

        public double Accuracy { get; set; }

        public int Epoch { get; set; }
    }

    private sealed record LeaderRow(
        KeyValuePair<string, object?>[] Tags, int Trials, double? FinalLoss, double? BestLoss, double? FinalMetric, double? BestMetric, KeyValuePair<string, object?> Metric);

    private sealed record SweepSnapshot(
        KeyValuePair<string, object?>[] Tags, Dictionary<TrialStatus, int> ByStatus, double? BestLoss, double? EtaSeconds, long EpochsDone, long EpochsTotal)
    {
        public int Queued => ByStatus[TrialStatus.Queued];
    }
}
