using System.Collections.Concurrent;
using System.Text.Json;
using SweepCluster.Experiments;
using SweepCluster.Grains.Trials;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// The <see cref="ScriptedTrainer"/>'s curve, <c>floor + (1 - floor) / epoch</c>, on a landscape with a known optimum:
/// the floor is <see cref="Floor"/> of the configuration (0.05 at bidirectional, concat, hidden 40, learning rate 3e-3),
/// so a sampler that learns where the valley is finds lower losses. Counts how often each configuration trained.
/// </summary>
public sealed class LandscapeTrainer : ITrialTrainer
{
    public static readonly TimeSpan EpochTime = ScriptedTrainer.EpochTime;

    private readonly ConcurrentDictionary<string, int> _trainings = new();

    /// <summary>A valley in log(learning rate) and hidden, plus a penalty for the other direction or merge mode.</summary>
    public static double Floor(TrialConfig config)
    {
        var rate = Math.Log10(config.LearningRate / 3e-3);
        var hidden = (config.HiddenOrDefault - 40) / 32.0;
        var shape = config.Direction != Direction.Bidirectional ? 0.15 : config.MergeMode != MergeMode.Concat ? 0.05 : 0;
        return 0.05 + (0.3 * rate * rate) + (0.5 * hidden * hidden) + shape;
    }

    /// <summary>How many times the trainer started <paramref name="config"/> (seed included).</summary>
    public int Trainings(TrialConfig config) => _trainings.GetValueOrDefault(JsonSerializer.Serialize(config));

    public TrialResult Train(TrialConfig config, TrainerOptions options, CancellationToken cancellationToken)
    {
        _trainings.AddOrUpdate(JsonSerializer.Serialize(config), 1, (_, n) => n + 1);
        var floor = Floor(config);
        var epochs = new List<EpochMetrics>();
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            if (!ScriptedTrainer.SpendEpoch(cancellationToken))
            {
                return new TrialResult(TrialOutcome.Cancelled, epochs, null);
            }

            var metrics = new EpochMetrics(epoch, floor + ((1 - floor) / epoch), 0.5, EpochTime.TotalSeconds) { Samples = 1 };
            epochs.Add(metrics);
            options.OnEpoch?.Invoke(metrics);
        }

        return new TrialResult(TrialOutcome.Completed, epochs, null);
    }
}
