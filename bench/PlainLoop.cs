using SweepCluster.Experiments;
using SweepCluster.Training.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SweepCluster.Bench;

/// <summary>
/// The baseline: the loop a TorchSharp user writes first (nn.LSTM + nn.Linear + sigmoid, nn.BCELoss,
/// torch.optim.Adam, default initialisation), on the same data. Measured in the same run as SweepCluster's
/// trainer so the ratio between them means something on a noisy machine.
/// </summary>
public sealed class PlainLoop : IDisposable
{
    private readonly ILearningTask _task;
    private readonly Sequential? _cnn;
    private readonly LSTM _lstm;
    private readonly Linear _head;
    private readonly optim.Optimizer _optimizer;
    private readonly BCELoss _loss = BCELoss();
    private readonly long _hidden;
    private readonly bool _perTimestep;

    public PlainLoop(TrialConfig config)
    {
        _task = LearningTaskFactory.Create(config);
        _perTimestep = _task.PerTimestep;
        _hidden = config.HiddenOrDefault;
        var bidirectional = config.Direction == Direction.Bidirectional;
        long features = 1;
        if (_task.Input is ModelInput.Frames frames)
        {
            _cnn = Sequential(Conv2d(1, 2, 2), ReLU(), MaxPool2d(2), Flatten());
            features = 2 * ((frames.Size - 1) / 2) * ((frames.Size - 1) / 2);
        }

        _lstm = LSTM(features, _hidden, batchFirst: true, bidirectional: bidirectional);
        _head = Linear(bidirectional ? 2 * _hidden : _hidden, 1);
        var parameters = _lstm.parameters().Concat(_head.parameters()).Concat(_cnn?.parameters() ?? []);
        _optimizer = optim.Adam(parameters, lr: config.LearningRate);
    }

    public int StepsPerEpoch => _task.StepsPerEpoch;

    public void Step(int epoch, int step)
    {
        using var scope = NewDisposeScope();
        var batch = _task.TrainBatch(epoch, step, CPU);
        var inputs = batch.Inputs;
        if (_cnn is not null)
        {
            var (b, t) = (inputs.shape[0], inputs.shape[1]);
            inputs = _cnn.call(inputs.reshape(b * t, 1, inputs.shape[3], inputs.shape[4])).reshape(b, t, -1);
        }

        var (output, _, _) = _lstm.call(inputs);
        var features = _perTimestep ? output : output[.., -1];
        var probabilities = torch.sigmoid(_head.call(features)).squeeze(-1);
        var loss = _loss.call(probabilities, batch.Targets);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        loss.item<float>();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _cnn?.Dispose();
        _lstm.Dispose();
        _head.Dispose();
        _loss.Dispose();
    }
}
