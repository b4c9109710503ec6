using SweepCluster.Experiments;
using SweepCluster.Training.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Training.Packing;

/// <summary>
/// The pack's optimizer on <see cref="PackedTorchTagger"/>'s stacked parameters: each trial's own update (the rule
/// its <see cref="UpdateRule"/> applies alone, with its own learning rate) as torch operations over the trial axis.
/// Two slots per parameter, as in <see cref="PackedStepKernel.Update"/> (Adam: m, v; RMSprop: v and its momentum
/// buffer; SGD: its momentum buffer and an unused second).
/// </summary>
internal sealed class PackedTorchOptimizer : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Tensor[][] _slots;
    private readonly OptimizerSettings _settings;
    private readonly double[] _learningRates;

    /// <summary>Each trial's learning rate, shaped to broadcast over a parameter of each rank ([K, 1, ...]).</summary>
    private readonly Dictionary<long, Tensor> _rates = [];

    public PackedTorchOptimizer(IReadOnlyList<Parameter> parameters, OptimizerSettings settings, IReadOnlyList<double> learningRates)
    {
        (_parameters, _settings, _learningRates) = (parameters, settings, [.. learningRates]);
        _slots = [.. parameters.Select(p => new[] { zeros_like(p).requires_grad_(false), zeros_like(p).requires_grad_(false) })];
        foreach (var rank in parameters.Select(p => p.dim()).Distinct())
        {
            _rates[rank] = PerTrial(_learningRates, rank);
        }
    }

    /// <summary>Parameter <paramref name="index"/>'s two slots, stacked over trials.</summary>
    public IReadOnlyList<Tensor> Slots(int index) => _slots[index];

    /// <summary>Step <paramref name="step"/> (1-based) of every trial, from the gradients autograd left on the parameters.</summary>
    public void Step(long step)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var adamSteps = _settings.Kind == OptimizerKind.Adam
            ? _parameters.Select(p => p.dim()).Distinct().ToDictionary(
                rank => rank,
                rank => PerTrial([.. _learningRates.Select(rate => -KerasAdamRule.StepSize(rate, _settings, step))], rank, _parameters[0].device))
            : null;
        for (var i = 0; i < _parameters.Count; i++)
        {
            if (_parameters[i].grad is not { } gradient)
            {
                continue;
            }

            var (parameter, first, second) = (_parameters[i], _slots[i][0], _slots[i][1]);
            var rate = _rates[parameter.dim()];
            switch (_settings.Kind)
            {
                case OptimizerKind.Adam:
                    first.mul_(_settings.Beta1).add_(gradient, 1 - _settings.Beta1);
                    second.mul_(_settings.Beta2).addcmul_(gradient, gradient, 1 - _settings.Beta2);
                    parameter.add_(first.mul(adamSteps![parameter.dim()]).div_(second.sqrt().add_(_settings.Epsilon)));
                    break;
                case OptimizerKind.RmsProp:
                    first.mul_(_settings.Rho).addcmul_(gradient, gradient, 1 - _settings.Rho);
                    second.mul_(_settings.Momentum).add_(gradient.mul(rate).div_(first.add(_settings.Epsilon).sqrt_()));
                    parameter.sub_(second);
                    break;
                default:
                    first.mul_(_settings.Momentum).add_(gradient.mul(rate).neg_());
                    if (_settings.Nesterov)
                    {
                        parameter.add_(first.mul(_settings.Momentum)).add_(gradient.mul(rate).neg_());
                    }
                    else
                    {
                        parameter.add_(first);
                    }

                    break;
            }
        }
    }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _slots.SelectMany(s => s).Concat(_rates.Values))
        {
            tensor.Dispose();
        }
    }

    /// <summary>One value per trial as float32, shaped [K, 1, ...] to broadcast over a parameter of rank <paramref name="rank"/>.</summary>
    private Tensor PerTrial(double[] values, long rank, Device? device = null) =>
        tensor(values.Select(v => (float)v).ToArray(), device: device ?? _parameters[0].device)
            .view([values.Length, .. Enumerable.Repeat(1L, (int)rank - 1)]);
}
