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

    // Scalars made once: an implicit double -> Scalar conversion per call leaves a native handle to the
    // finalizer, which costs more CPU than the arithmetic of a small model's step.
    private readonly Scalar _beta1 = Beta1;
    private readonly Scalar _oneMinusBeta1 = 1 - Beta1;
    private readonly Scalar _beta2 = Beta2;
    private readonly Scalar _oneMinusBeta2 = 1 - Beta2;
    private readonly Scalar _epsilon = Epsilon;

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
        using Scalar step = -stepSize;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            _firstMoments[i].mul_(_beta1).add_(gradient, _oneMinusBeta1);
            _secondMoments[i].mul_(_beta2).addcmul_(gradient, gradient, _oneMinusBeta2);
            _parameters[i].addcdiv_(_firstMoments[i], _secondMoments[i].sqrt().add_(_epsilon), step);
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
        foreach (var scalar in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }

        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
