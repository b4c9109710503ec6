namespace SweepCluster.Sampling;

/// <summary>
/// Kernels over a choices dimension's indices: each observation's kernel puts weight 1 on its choice plus
/// PriorWeight / kernels on every choice (so no choice ever becomes impossible); the prior kernel is uniform.
/// </summary>
internal sealed class CategoricalKernels : IKernelSet
{
    private readonly double[][] _probabilities;

    /// <param name="observedChoices">One kernel per observed choice index; the uniform prior kernel comes last.</param>
    public CategoricalKernels(int choiceCount, IReadOnlyList<int> observedChoices, double priorWeight)
    {
        var smoothing = priorWeight / (observedChoices.Count + 1);
        _probabilities = new double[observedChoices.Count + 1][];
        for (var k = 0; k < observedChoices.Count; k++)
        {
            var row = Enumerable.Repeat(smoothing, choiceCount).ToArray();
            row[observedChoices[k]] += 1;
            _probabilities[k] = row.Select(weight => weight / (1 + (smoothing * choiceCount))).ToArray();
        }

        _probabilities[^1] = Enumerable.Repeat(1.0 / choiceCount, choiceCount).ToArray();
    }

    public int Count => _probabilities.Length;

    public double Sample(int kernel, SamplingRandom random) => SamplingRandom.PickIndex(_probabilities[kernel], random);

    public double LogDensity(int kernel, double value) => Math.Log(_probabilities[kernel][(int)value]);
}
