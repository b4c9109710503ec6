using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// Adam in Keras' formulation (the seed experiments' optimizer): epsilon 1e-7 added to sqrt(v) and the bias
/// correction folded into the step size, <c>p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)</c>.
/// Its whole state (m, v, t) is saved in checkpoints so a resumed trial continues bit for bit.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-7;

    private readonly Tensor[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _learningRate;

    public AdamOptimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        _parameters = parameters.ToArray();
        _learningRate = learningRate;
        _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public long Steps { get; private set; }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Step()
    {
        Steps++;
        var stepSize = _learningRate * Math.Sqrt(1 - Math.Pow(Beta2, Steps)) / (1 - Math.Pow(Beta1, Steps));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            _firstMoments[i].mul_(Beta1).add_(gradient, 1 - Beta1);
            _secondMoments[i].mul_(Beta2).addcmul_(gradient, gradient, 1 - Beta2);
            _parameters[i].addcdiv_(_firstMoments[i], _secondMoments[i].sqrt().add_(Epsilon), -stepSize);
        }
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Steps);
        writer.Write(_parameters.Length);
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Save(writer);
        }
    }

    public void Load(BinaryReader reader)
    {
        var steps = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count != _parameters.Length)
        {
            throw new InvalidDataException($"optimizer state holds {count} parameters, the model has {_parameters.Length}");
        }

        using var _ = no_grad();
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            TensorExtensionMethods.Load(moment, reader, skip: false);
        }

        Steps = steps;
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
