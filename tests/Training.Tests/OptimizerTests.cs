using SweepCluster.Experiments;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

/// <summary>The optimizer a trial chooses (Keras' Adam, RMSprop, SGD): its update rule, learning, and its state in checkpoints.</summary>
public sealed class OptimizerTests
{
    public static TheoryData<string, OptimizerSettings> Rules => new()
    {
        { "adam", OptimizerSettings.Keras with { Beta1 = 0.8, Beta2 = 0.9, Epsilon = 1e-3 } },
        { "rmsprop", OptimizerSettings.Keras with { Kind = OptimizerKind.RmsProp, Rho = 0.8, Momentum = 0.5, Epsilon = 1e-3 } },
        { "rmsprop without momentum", OptimizerSettings.Keras with { Kind = OptimizerKind.RmsProp } },
        { "sgd", OptimizerSettings.Keras with { Kind = OptimizerKind.Sgd } },
        { "sgd momentum", OptimizerSettings.Keras with { Kind = OptimizerKind.Sgd, Momentum = 0.9 } },
        { "sgd nesterov", OptimizerSettings.Keras with { Kind = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true } },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void EachOptimizerTakesTheStepsKerasFormulasGive(string name, OptimizerSettings settings)
    {
        // Three steps on two weights with known gradients, against the formulas written out in double. Epsilon 1e-3
        // makes RMSprop's (inside the root) and Adam's (outside) tell apart.
        const double learningRate = 0.1;
        double[][] gradients = [[0.5, -0.25], [0.125, 1.0], [-0.75, 0.5]];
        using var weights = tensor(new[] { 1.0f, -2.0f }).requires_grad_();
        using var optimizer = new TrialOptimizer([weights], learningRate, settings);
        var expected = new[] { 1.0, -2.0 };
        var (first, second) = (new double[2], new double[2]);
        for (var step = 1; step <= gradients.Length; step++)
        {
            optimizer.ZeroGrad();
            using (var g = tensor(gradients[step - 1].Select(x => (float)x).ToArray()))
            using (var loss = (weights * g).sum())
            {
                loss.backward();
            }

            optimizer.Step();
            for (var i = 0; i < 2; i++)
            {
                var g = gradients[step - 1][i];
                switch (settings.Kind)
                {
                    case OptimizerKind.Adam:
                        first[i] = (settings.Beta1 * first[i]) + ((1 - settings.Beta1) * g);
                        second[i] = (settings.Beta2 * second[i]) + ((1 - settings.Beta2) * g * g);
                        var size = learningRate * Math.Sqrt(1 - Math.Pow(settings.Beta2, step)) / (1 - Math.Pow(settings.Beta1, step));
                        expected[i] -= size * first[i] / (Math.Sqrt(second[i]) + settings.Epsilon);
                        break;
                    case OptimizerKind.RmsProp:
                        first[i] = (settings.Rho * first[i]) + ((1 - settings.Rho) * g * g);
                        second[i] = (settings.Momentum * second[i]) + (learningRate * g / Math.Sqrt(first[i] + settings.Epsilon));
                        expected[i] -= second[i];
                        break;
                    default:
                        first[i] = (settings.Momentum * first[i]) - (learningRate * g);
                        expected[i] += settings.Nesterov ? (settings.Momentum * first[i]) - (learningRate * g) : first[i];
                        break;
                }
            }

            var actual = weights.detach().data<float>().ToArray();
            for (var i = 0; i < 2; i++)
            {
                Assert.True(Math.Abs(actual[i] - expected[i]) < 1e-5, $"{name}, step {step}, weight {i}: {actual[i]} vs Keras' {expected[i]}");
            }
        }

        Assert.Equal(gradients.Length, optimizer.Steps);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.1, 0.9)]
    [InlineData(OptimizerKind.RmsProp, 1e-3, 0.0)]
    public void TheOtherOptimizersLearnTheCumsumTaskToo(OptimizerKind kind, double learningRate, double momentum)
    {
        var config = new TrialConfig
        {
            Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat, Epochs = 250, LearningRate = learningRate, Optimizer = kind,
            Momentum = momentum == 0 ? null : momentum,
        };

        var curve = Trainer.Run(config, new TrainerOptions { Evaluate = false }).Epochs;

        var (start, end) = (curve.Take(25).Average(e => e.Loss), curve.TakeLast(25).Average(e => e.Loss));
        Assert.True(end < 0.7 * start, $"{Names.Of(kind)} at {learningRate}: mean loss {start:F3} over the first 25 epochs, {end:F3} over the last 25");
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.RmsProp)]
    public void ACheckpointedTrialResumesOnItsOwnCurveWithItsOptimizersState(OptimizerKind kind)
    {
        var config = new TrialConfig { Direction = Direction.Forward, Epochs = 40, Optimizer = kind, Momentum = 0.9, LearningRate = 1e-2 };
        var uninterrupted = Trainer.Run(config, new TrainerOptions { Evaluate = false }).Epochs;

        var (_, curve, _) = CheckpointRoundTrip.Train(config, checkpointAfter: 15);

        // Bit for bit: without the momentum buffers in the checkpoint the curve would bend at epoch 16.
        Assert.Equal(uninterrupted.Select(e => e.Loss), curve.Select(e => e.Loss));

        using var checkpoint = new MemoryStream();
        using (var session = TrainingSession.Start(config))
        {
            session.RunEpoch();
            session.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        var other = config with { Optimizer = kind == OptimizerKind.Sgd ? OptimizerKind.RmsProp : OptimizerKind.Sgd };
        var refused = Assert.Throws<InvalidDataException>(() => TrainingSession.Resume(other, checkpoint));
        Assert.Contains("another trial configuration", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASettingOfAnotherOptimizerIsRefusedWithItsName()
    {
        Assert.Contains(new TrialConfig { Momentum = 0.9 }.Validate(),
            e => e.Field == "momentum" && e.Message == "does not apply to optimizer adam (only to rmsprop and sgd)");
        Assert.Contains(new TrialConfig { Optimizer = OptimizerKind.Sgd, Beta1 = 0.5 }.Validate(),
            e => e.Field == "beta_1" && e.Message == "does not apply to optimizer sgd (only to adam)");
        Assert.Contains(new TrialConfig { Optimizer = OptimizerKind.RmsProp, Nesterov = true }.Validate(), e => e.Field == "nesterov");
        Assert.Contains(new TrialConfig { Optimizer = (OptimizerKind)7 }.Validate(), e => e.Field == "optimizer");
        Assert.Contains(new TrialConfig { Optimizer = OptimizerKind.Sgd, Momentum = 1 }.Validate(), e => e.Field == "momentum" && e.Message.Contains("below 1", StringComparison.Ordinal));
        Assert.Contains(new TrialConfig { Optimizer = OptimizerKind.RmsProp, Rho = double.NaN }.Validate(), e => e.Field == "rho");
        Assert.Empty(new TrialConfig { Optimizer = OptimizerKind.RmsProp, Rho = 0.5, Momentum = 0.5, Epsilon = 1e-3 }.Validate());
    }
}
