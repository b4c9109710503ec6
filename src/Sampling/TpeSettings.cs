namespace SweepCluster.Sampling;

/// <summary>
/// The TPE sampler's settings; the defaults are Optuna's TPESampler defaults, except that the model is multivariate
/// (Optuna: <c>multivariate=True</c>), which beat the univariate one on every synthetic objective measured
/// (docs/sampling.md).
/// </summary>
/// <param name="StartupTrials">Suggestions drawn at random (uniformly, log-uniformly for log_uniform) before the model is used.</param>
/// <param name="Candidates">Candidates drawn from the good trials' density l(x) per dimension; the one with the largest l(x)/g(x) wins.</param>
/// <param name="GoodFraction">The share of trials counted as good: ceil(GoodFraction * n), at most <paramref name="MaxGood"/>.</param>
/// <param name="MaxGood">The most trials counted as good, however many have finished.</param>
/// <param name="PriorWeight">The weight of the prior kernel (the whole range) against each observation's weight of at most 1.</param>
/// <param name="ConstantLiar">Count suggestions still in flight as bad results, so parallel suggestions spread out.</param>
/// <param name="Multivariate">Model the dimensions that always apply jointly (Optuna's multivariate TPE: kernels over
/// whole points, so interactions between dimensions are seen); conditional dimensions stay univariate.</param>
public sealed record TpeSettings(
    int StartupTrials = 10,
    int Candidates = 24,
    double GoodFraction = 0.1,
    int MaxGood = 25,
    double PriorWeight = 1.0,
    bool ConstantLiar = true,
    bool Multivariate = true)
{
    public static TpeSettings Default { get; } = new();

    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        Require(StartupTrials >= 0, nameof(StartupTrials), "must be 0 or more");
        Require(Candidates >= 1, nameof(Candidates), "must be 1 or more");
        Require(GoodFraction is > 0 and <= 1, nameof(GoodFraction), "must be in (0, 1]");
        Require(MaxGood >= 1, nameof(MaxGood), "must be 1 or more");
        Require(double.IsFinite(PriorWeight) && PriorWeight > 0, nameof(PriorWeight), "must be a finite number > 0");
    }

    private void Require(bool holds, string setting, string rule)
    {
        if (!holds)
        {
            throw new ArgumentException($"{setting} {rule} (settings: {this})", setting);
        }
    }
}
