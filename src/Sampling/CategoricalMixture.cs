namespace SweepCluster.Sampling;

/// <summary>
/// The Parzen estimator of a choices dimension: each observation is a kernel putting weight 1 on its choice plus
/// PriorWeight / kernels spread over all choices, and the prior kernel is uniform; the weighted mixture of these
/// categoricals is itself one categorical, stored as its probabilities.
/// </summary>
internal sealed class CategoricalMixture : IDimensionEstimator
{
    private readonly double[] _probabilities;

    public CategoricalMixture(int choiceCount, IReadOnlyList<int> observedChoices, IReadOnlyList<double> observationWeights, double priorWeight)
    {
        var kernels = observedChoices.Count + 1;
        var smoothing = priorWeight / kernels;
        var totalWeight = observationWeights.Sum() + priorWeight;
        _probabilities = new double[choiceCount];
        for (var i = 0; i < observedChoices.Count; i++)
        {
            var kernelWeight = observationWeights[i] / totalWeight;
            var rowTotal = 1 + (smoothing * choiceCount);
            for (var c = 0; c < choiceCount; c++)
            {
                _probabilities[c] += kernelWeight * smoothing / rowTotal;
            }

            _probabilities[observedChoices[i]] += kernelWeight / rowTotal;
        }

        for (var c = 0; c < choiceCount; c++)
        {
            _probabilities[c] += priorWeight / totalWeight / choiceCount;
        }
    }

    public IReadOnlyList<double> Probabilities => _probabilities;

    public double Sample(SamplingRandom random)
    {
        var draw = random.NextDouble();
        var cumulative = 0.0;
        for (var c = 0; c < _probabilities.Length - 1; c++)
        {
            cumulative += _probabilities[c];
            if (draw < cumulative)
            {
                return c;
            }
        }

        return _probabilities.Length - 1;
    }

    public double LogDensity(double value) => Math.Log(_probabilities[(int)value]);
}
