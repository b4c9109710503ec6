using System.Globalization;

namespace SweepCluster.Experiments;

/// <summary>
/// Every bound a sweep spec is held to, in one place (the README's "Limits" table states the same numbers). They keep
/// a spec from expanding, overflowing or allocating without end: a value outside them is refused, by its path, before
/// anything is expanded, started or written, by the client and again by the sweep grain.
/// </summary>
public static class Limits
{
    /// <summary>Trials one sweep may expand to (configurations x repeats); checked before anything is expanded.</summary>
    public const int MaxTrialsPerSweep = 100_000;

    /// <summary>Estimated memory one trial may need (parameters, gradients, Adam's state, activations, data): 4 GiB.</summary>
    public const long MaxTrialBytes = 4L << 30;

    /// <summary>Sweep names: a safe alphabet for paths, ids and terminals.</summary>
    public const string NamePattern = @"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z";

    /// <summary>
    /// What a trial id may be ("task-variant-sSEED-hash"; a real value's "g3" form may add '+' and 'E'): the stores name
    /// files and keys after it, so a variant label must keep to it.
    /// </summary>
    public const string TrialIdPattern = @"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\z";

    /// <summary>The longest trial id (<see cref="TrialIdPattern"/>): a file name with room for the stores' suffixes.</summary>
    public const int MaxTrialIdLength = 200;

    public const int MaxNameLength = 64;

    public const int MaxPathLength = 4096;

    public static readonly Bound Epochs = new(1, 10_000_000);
    public static readonly Bound BatchSize = new(1, 65_536);
    public static readonly Bound Hidden = new(1, 4_096);
    public static readonly Bound Layers = new(1, 16);

    /// <summary>Learning rates lie in [<see cref="MinLearningRate"/>, <see cref="MaxLearningRate"/>].</summary>
    public const double MinLearningRate = 1e-10;

    /// <summary>Float32's range: a rate that large only diverges (and is reported so), but stays a number.</summary>
    public const double MaxLearningRate = 1e38;

    /// <summary>Null when <paramref name="rate"/> is a learning rate a trial may use, else the error for <paramref name="field"/>.</summary>
    public static ConfigError? CheckLearningRate(string field, double rate) =>
        double.IsFinite(rate) && rate >= MinLearningRate && rate <= MaxLearningRate
            ? null
            : new ConfigError(field, string.Create(CultureInfo.InvariantCulture, $"must be a number between {MinLearningRate:G6} and {MaxLearningRate:G6}, got {rate:G6}"));

    /// <summary>
    /// The largest beta_1/beta_2 a distribution may reach: drawn values keep 4 significant digits, so a higher bound
    /// could round a draw up to 1, where the moments never forget. A listed value may lie anywhere below 1.
    /// </summary>
    public const double MaxDrawnBeta = 0.9999;

    /// <summary>Epsilon lies in [<see cref="MinEpsilon"/>, 1]: smaller is 0 in float32, and 0/0 where a gradient is 0.</summary>
    public const double MinEpsilon = 1e-30;

    /// <summary>Null when <paramref name="beta"/> is a moment decay Adam may use (0 &lt;= beta &lt; 1), else the error for <paramref name="field"/>.</summary>
    public static ConfigError? CheckBeta(string field, double beta) =>
        double.IsFinite(beta) && beta >= 0 && beta < 1
            ? null
            : new ConfigError(field, string.Create(CultureInfo.InvariantCulture, $"must be a number at least 0 and below 1, got {beta:G6}"));

    /// <summary>Null when <paramref name="epsilon"/> is one Adam may use, else the error for <paramref name="field"/>.</summary>
    public static ConfigError? CheckEpsilon(string field, double epsilon) =>
        double.IsFinite(epsilon) && epsilon >= MinEpsilon && epsilon <= 1
            ? null
            : new ConfigError(field, string.Create(CultureInfo.InvariantCulture, $"must be a number between {MinEpsilon:G6} and 1, got {epsilon:G6}"));

    public static readonly Bound Repeats = new(1, 10_000);
    public static readonly Bound Trials = new(1, MaxTrialsPerSweep);

    /// <summary><c>method: tpe</c>'s suggestions: each fits a model over all finished trials (~70 ms at 10,000).</summary>
    public static readonly Bound TpeTrials = new(1, 10_000);
    public static readonly Bound TpeStartup = new(0, 10_000);
    public static readonly Bound TpeCandidates = new(1, 1_000);

    /// <summary>Seeds; a trial's seed is <c>seed + repeat</c>, which must stay below <see cref="int.MaxValue"/>.</summary>
    public static readonly Bound Seed = new(int.MinValue, int.MaxValue);
    public static readonly Bound CheckpointEvery = new(0, Epochs.Max);
    public static readonly Bound PackSize = new(2, 1_024);

    public static readonly Bound GraceEpochs = new(0, Epochs.Max);
    public static readonly Bound MinCompleted = new(1, MaxTrialsPerSweep);
    public static readonly Bound MinEpochs = new(1, Epochs.Max);
    public static readonly Bound Eta = new(2, 1_000);

    public static readonly Bound MaxTrials = new(1, MaxTrialsPerSweep);
    public static readonly Bound MaxEpochsTotal = new(1, 1_000_000_000_000_000);

    /// <summary><c>time_limit</c>: up to a year.</summary>
    public static readonly TimeSpan MaxTimeLimit = TimeSpan.FromDays(365);

    /// <summary><c>stop_when.loss</c> lies in [0, this]; <c>stop_when.accuracy</c> in [0, 1].</summary>
    public const double MaxStopLoss = 1e6;

    public static readonly Bound Timesteps = new(1, 10_000);
    public static readonly Bound StepsPerEpoch = new(1, 1_000_000);
    public static readonly Bound Size = new(4, 256);
    public static readonly Bound TrainSize = new(1, 1_000_000);
    public static readonly Bound TestSize = new(1, 1_000_000);
    public static readonly Bound NumWords = new(4, 1_000_000);
    public static readonly Bound MaxLen = new(1, 10_000);
    public static readonly Bound EmbeddingDim = new(1, 4_096);
}
