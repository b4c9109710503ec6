using SweepCluster.Experiments;
using SweepCluster.Training.Packing;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

/// <summary>Trial packing: K trials trained as one batched computation give each trial the curve it has alone.</summary>
public sealed class PackedSessionTests
{
    private const int Epochs = 60;

    public static TheoryData<Direction, MergeMode> Variants => new()
    {
        { Direction.Forward, MergeMode.Concat },
        { Direction.Backward, MergeMode.Concat },
        { Direction.Bidirectional, MergeMode.Concat },
        { Direction.Bidirectional, MergeMode.Sum },
        { Direction.Bidirectional, MergeMode.Mul },
        { Direction.Bidirectional, MergeMode.Ave },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void EachPackedTrialFollowsTheCurveItHasAlone(Direction direction, MergeMode merge)
    {
        // Three seeds and two learning rates: own data streams, own initial weights, own optimizer settings.
        TrialConfig[] configs =
        [
            Config(direction, merge, seed: 0, learningRate: 1e-3),
            Config(direction, merge, seed: 1, learningRate: 1e-3),
            Config(direction, merge, seed: 2, learningRate: 3e-3),
        ];

        AssertEachFollowsItsOwnCurve(configs);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(37)]
    public void EachPackedTrialFollowsItsCurveAloneAtHiddenSizesAroundTheVectorWidth(int hidden)
    {
        // The kernel's loops take blocks of vectors, single vectors, a last vector overlapping the one before, and
        // scalars below one vector's width (8 or 16 floats): each size here takes a different mix of them.
        TrialConfig[] configs =
        [
            Config(Direction.Bidirectional, MergeMode.Sum, seed: 0, learningRate: 1e-3) with { Hidden = hidden },
            Config(Direction.Bidirectional, MergeMode.Sum, seed: 1, learningRate: 3e-3) with { Hidden = hidden },
        ];

        AssertEachFollowsItsOwnCurve(configs);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void APackTrainedWithTorchOperationsFollowsTheCurvesTheKernelTrains(Direction direction, MergeMode merge)
    {
        // The path a GPU silo takes, run on the CPU: the same trials, the same curves and held-out scores as the kernel's.
        TrialConfig[] configs =
        [
            Config(direction, merge, seed: 0, learningRate: 1e-3),
            Config(direction == Direction.Bidirectional ? direction : Direction.Backward, merge == MergeMode.Concat ? merge : MergeMode.Mul, seed: 1, learningRate: 3e-3),
            Config(direction, merge, seed: 2, learningRate: 1e-2) with { BatchSize = 1 },
        ];

        AssertTorchOperationsFollowTheKernel(configs, epochs: 40);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("rmsprop")]
    public void APackTrainedWithTorchOperationsAppliesEachOptimizerAsTheKernelDoes(string optimizer)
    {
        TrialConfig[] configs =
        [
            WithOptimizer(Config(Direction.Bidirectional, MergeMode.Sum, seed: 0, learningRate: 1e-3), optimizer),
            WithOptimizer(Config(Direction.Bidirectional, MergeMode.Ave, seed: 1, learningRate: 3e-3), optimizer),
        ];

        AssertTorchOperationsFollowTheKernel(configs, epochs: 40);
    }

    [Fact]
    public void ATorchOperationsPackReadsEachStepsBatchesAcrossItsCopiesToTheDevice()
    {
        // 300 steps: the batches go to the device in chunks of at most 256 steps, the second one mid-epoch.
        TrialConfig[] configs =
        [
            Config(Direction.Forward, MergeMode.Concat, seed: 0, learningRate: 1e-3) with { Epochs = 3, TaskOptions = new TaskOptions { StepsPerEpoch = 100 } },
            Config(Direction.Backward, MergeMode.Concat, seed: 1, learningRate: 1e-3) with { Epochs = 3, TaskOptions = new TaskOptions { StepsPerEpoch = 100 } },
        ];

        AssertTorchOperationsFollowTheKernel(configs, epochs: 3);
    }

    [Fact]
    public void ATorchOperationsPackHandsATrialOverWithItsWeightsAndOptimizerState()
    {
        TrialConfig[] configs =
        [
            WithOptimizer(Config(Direction.Forward, MergeMode.Concat, seed: 0, learningRate: 1e-3), "rmsprop"),
            WithOptimizer(Config(Direction.Backward, MergeMode.Concat, seed: 1, learningRate: 2e-3), "rmsprop"),
        ];
        using var packed = PackedSession.Start(configs, torchOperations: true);
        for (var epoch = 0; epoch < 20; epoch++)
        {
            packed.RunEpoch();
        }

        using var unpacked = packed.Unpack(1);
        while (!unpacked.IsFinished)
        {
            unpacked.RunEpoch();
        }

        var alone = Trainer.Run(configs[1], new TrainerOptions { Evaluate = false }).Epochs;
        var worst = alone.Zip(unpacked.History, (a, r) => Math.Abs(a.Loss - r.Loss)).Max();
        Assert.True(worst < 1e-5, $"packed with torch operations for 20 epochs then alone, the curve differs from alone by up to {worst:E2}");
    }

    [Fact]
    public void TrialsReadForwardsAndBackwardsShareAPackAndKeepTheirOwnCurves()
    {
        TrialConfig[] configs =
        [
            Config(Direction.Backward, MergeMode.Concat, seed: 0, learningRate: 1e-3),
            Config(Direction.Forward, MergeMode.Concat, seed: 1, learningRate: 1e-3),
            Config(Direction.Backward, MergeMode.Concat, seed: 2, learningRate: 3e-3),
            Config(Direction.Forward, MergeMode.Sum, seed: 3, learningRate: 3e-3),
        ];

        AssertEachFollowsItsOwnCurve(configs);
    }

    [Fact]
    public void BidirectionalTrialsMergedBySumMulAndAveShareAPackAndKeepTheirOwnCurves()
    {
        TrialConfig[] configs =
        [
            Config(Direction.Bidirectional, MergeMode.Mul, seed: 0, learningRate: 1e-3),
            Config(Direction.Bidirectional, MergeMode.Sum, seed: 1, learningRate: 1e-3),
            Config(Direction.Bidirectional, MergeMode.Ave, seed: 2, learningRate: 3e-3),
            Config(Direction.Bidirectional, MergeMode.Mul, seed: 3, learningRate: 3e-3),
        ];

        AssertEachFollowsItsOwnCurve(configs);
    }

    [Fact]
    public void ATrialThatDivergesInAPackLeavesTheOthersOnTheirOwnCurves()
    {
        // A learning rate of 1e37 drives the middle trial's weights to infinity within a few steps.
        TrialConfig[] configs =
        [
            Config(Direction.Bidirectional, MergeMode.Sum, seed: 0, learningRate: 1e-3),
            Config(Direction.Bidirectional, MergeMode.Sum, seed: 1, learningRate: 1e37),
            Config(Direction.Bidirectional, MergeMode.Sum, seed: 2, learningRate: 1e-3),
        ];
        var packed = PackedSession.Start(configs);
        var curves = Enumerable.Range(0, 30).Select(_ => packed.RunEpoch()).ToList();

        Assert.Contains(curves, epoch => epoch[1].IsDiverged);
        foreach (var k in new[] { 0, 2 })
        {
            var alone = Trainer.Run(configs[k] with { Epochs = 30 }, new TrainerOptions { Evaluate = false }).Epochs;
            Assert.All(curves, epoch => Assert.False(epoch[k].IsDiverged));
            Assert.True(alone.Zip(curves, (a, p) => Math.Abs(a.Loss - p[k].Loss)).Max() < 1e-5, $"trial {k} was disturbed by its diverging neighbour");
        }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    [InlineData("rmsprop")]
    public void AnUnpackedTrialScoresCheckpointsAndTrainsOnExactlyAsIfItHadTrainedAlone(string optimizer)
    {
        // The optimizer's state (Adam's moments, SGD's and RMSprop's momentum buffers) goes with the trial.
        TrialConfig[] configs =
        [
            WithOptimizer(Config(Direction.Backward, MergeMode.Concat, seed: 0, learningRate: 1e-3), optimizer),
            WithOptimizer(Config(Direction.Backward, MergeMode.Concat, seed: 1, learningRate: 2e-3), optimizer),
        ];
        var packed = PackedSession.Start(configs);
        for (var epoch = 0; epoch < 20; epoch++)
        {
            packed.RunEpoch();
        }

        // Trial 1 leaves the pack at epoch 20 through a checkpoint in the single-trial format, and goes on alone.
        using var checkpoint = new MemoryStream();
        using (var unpacked = packed.Unpack(1))
        {
            Assert.Equal(20, unpacked.CompletedEpochs);
            using var twin = TrainingSession.Start(configs[1]);
            for (var epoch = 0; epoch < 20; epoch++)
            {
                twin.RunEpoch();
            }

            var (own, theirs) = (twin.Evaluate(), unpacked.Evaluate());
            Assert.True(Math.Abs(own.Loss - theirs.Loss) < 1e-5, $"held-out loss {theirs.Loss} unpacked vs {own.Loss} alone");
            Assert.Equal(own.Accuracy, theirs.Accuracy);
            unpacked.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        using var resumed = TrainingSession.Resume(configs[1], checkpoint);
        while (!resumed.IsFinished)
        {
            resumed.RunEpoch();
        }

        var alone = Trainer.Run(configs[1], new TrainerOptions { Evaluate = false }).Epochs;
        Assert.Equal(Epochs, resumed.History.Count);
        var worst = alone.Zip(resumed.History, (a, r) => Math.Abs(a.Loss - r.Loss)).Max();
        Assert.True(worst < 1e-5, $"packed for 20 epochs then alone, the curve differs from alone throughout by up to {worst:E2}");
    }

    [Fact]
    public void TrialsOfDifferentShapesAreNotPackedAndTheReasonIsNamed()
    {
        TrialConfig[] configs = [Config(Direction.Forward, MergeMode.Concat, 0, 1e-3), Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-3)];

        Assert.Contains("trial shapes differ", PackedSession.WhyNotPackable(configs));
        Assert.Throws<ArgumentException>(() => PackedSession.Start(configs));
        Assert.Null(PackedSession.WhyNotPackable([configs[0], configs[0] with { Seed = 5, LearningRate = 0.01 }]));

        // A concat head reads both halves (twice the width): it cannot share a pack with merged ones.
        var concat = Config(Direction.Bidirectional, MergeMode.Concat, 0, 1e-3);
        Assert.Contains("trial shapes differ", PackedSession.WhyNotPackable([concat, configs[1]]));
        Assert.Null(PackedSession.WhyNotPackable([configs[1], configs[1] with { MergeMode = MergeMode.Ave }]));
        Assert.Null(PackedSession.WhyNotPackable([configs[0], configs[0] with { Direction = Direction.Backward }]));
    }

    public static TheoryData<string, TrialConfig> ShapeChanges => new()
    {
        { "epochs", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Epochs = Epochs + 1 } },
        { "batch_size", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { BatchSize = 2 } },
        { "hidden", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Hidden = 21 } },
        { "task_options.timesteps", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { TaskOptions = new TaskOptions { Timesteps = 11 } } },
        { "task_options.steps_per_epoch", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { TaskOptions = new TaskOptions { StepsPerEpoch = 2 } } },
        { "task_options.test_size", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { TaskOptions = new TaskOptions { TestSize = 50 } } },
        { "beta_1", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Beta1 = 0 } },
        { "beta_2", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Beta2 = 0.99 } },
        { "epsilon", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Epsilon = 1e-3 } },
        { "optimizer", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Optimizer = OptimizerKind.Sgd } },
        { "momentum", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Optimizer = OptimizerKind.RmsProp, Momentum = 0.5 } },
        { "rho", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Optimizer = OptimizerKind.RmsProp, Rho = 0.8 } },
        { "nesterov", Config(Direction.Forward, MergeMode.Concat, 0, 1e-3) with { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true } },
    };

    [Theory]
    [MemberData(nameof(ShapeChanges))]
    public void TrialsDifferingInAnySweepableSettingButLearningRateAndSeedNeverShareAPack(string key, TrialConfig other)
    {
        var config = Config(Direction.Forward, MergeMode.Concat, 0, 1e-3);

        Assert.NotNull(PackedSession.PackKey(config));
        Assert.True(PackedSession.PackKey(config) != PackedSession.PackKey(other), $"trials differing in {key} got one pack key");
        Assert.Contains("trial shapes differ", PackedSession.WhyNotPackable([config, other]));
        Assert.Equal(PackedSession.PackKey(config), PackedSession.PackKey(config with { Seed = 7, LearningRate = 0.05 }));
        Assert.Equal(PackedSession.PackKey(other), PackedSession.PackKey(other with { Seed = 7, LearningRate = 0.05, Direction = Direction.Backward }));
    }

    public static TheoryData<string, TrialConfig> OptimizerChanges => new()
    {
        { "beta_1", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-2) with { Beta1 = 0 } },
        { "beta_2", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-2) with { Beta2 = 0.9 } },
        { "epsilon", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-2) with { Epsilon = 1e-2 } },
        { "sgd", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-1) with { Optimizer = OptimizerKind.Sgd } },
        { "sgd momentum", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-2) with { Optimizer = OptimizerKind.Sgd, Momentum = 0.9 } },
        { "sgd nesterov", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-2) with { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true } },
        { "rmsprop", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-3) with { Optimizer = OptimizerKind.RmsProp } },
        { "rmsprop settings", Config(Direction.Bidirectional, MergeMode.Sum, 0, 1e-3) with { Optimizer = OptimizerKind.RmsProp, Rho = 0.8, Momentum = 0.5, Epsilon = 1e-3 } },
    };

    [Theory]
    [MemberData(nameof(OptimizerChanges))]
    public void AnOptimizerOrSettingChangesTheCurveAndAPackOfItsTrialsKeepsEachOnItsOwn(string key, TrialConfig changed)
    {
        var keras = changed with { Optimizer = null, Beta1 = null, Beta2 = null, Epsilon = null, Momentum = null, Rho = null, Nesterov = null };
        var defaultCurve = Trainer.Run(keras, new TrainerOptions { Evaluate = false }).Epochs;
        var changedCurve = Trainer.Run(changed, new TrainerOptions { Evaluate = false }).Epochs;
        var apart = defaultCurve.Zip(changedCurve, (a, b) => Math.Abs(a.Loss - b.Loss)).Max();
        Assert.True(apart > 1e-3, $"{key} = {changed.OptimizerSettings} trained the default curve (losses apart by at most {apart:E2})");

        // Members of a pack share the optimizer and its settings (part of the pack key) and keep their own seeds and learning rates.
        AssertEachFollowsItsOwnCurve([changed, changed with { Seed = 1 }, changed with { Seed = 2, Direction = Direction.Bidirectional, MergeMode = MergeMode.Mul, LearningRate = changed.LearningRate * 0.3 }]);
    }

    private static void AssertTorchOperationsFollowTheKernel(IReadOnlyList<TrialConfig> configs, int epochs)
    {
        using var kernel = PackedSession.Start(configs, torchOperations: false);
        using var torch = PackedSession.Start(configs, torchOperations: true);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var (expected, actual) = (kernel.RunEpoch(), torch.RunEpoch());
            for (var k = 0; k < configs.Count; k++)
            {
                Assert.True(Math.Abs(expected[k].Loss - actual[k].Loss) < 1e-5, $"trial {k}, epoch {epoch}: loss {actual[k].Loss} with torch operations, {expected[k].Loss} by the kernel");
                Assert.Equal(expected[k].Accuracy, actual[k].Accuracy, 6);
            }
        }

        for (var k = 0; k < configs.Count; k++)
        {
            var (expected, actual) = (kernel.Evaluate(k), torch.Evaluate(k));
            Assert.True(Math.Abs(expected.Loss - actual.Loss) < 1e-5, $"trial {k}: held-out loss {actual.Loss} with torch operations, {expected.Loss} by the kernel");
            Assert.Equal(expected.Accuracy, actual.Accuracy, 6);
        }
    }

    private static void AssertEachFollowsItsOwnCurve(IReadOnlyList<TrialConfig> configs)
    {
        var alone = configs.Select(c => Trainer.Run(c, new TrainerOptions { Evaluate = false }).Epochs).ToList();
        var packed = PackedSession.Start(configs);
        var curves = configs.Select(_ => new List<EpochMetrics>()).ToList();
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            var metrics = packed.RunEpoch();
            for (var k = 0; k < configs.Count; k++)
            {
                curves[k].Add(metrics[k]);
            }
        }

        for (var k = 0; k < configs.Count; k++)
        {
            var worst = alone[k].Zip(curves[k], (a, p) => Math.Abs(a.Loss - p.Loss)).Max();
            Assert.True(worst < 1e-5, $"trial {k} ({configs[k].Direction} {configs[k].MergeMode}): packed loss differs from its own by up to {worst:E2}");
            Assert.Equal(alone[k].Select(e => e.Accuracy), curves[k].Select(e => e.Accuracy));
        }
    }

    private static TrialConfig WithOptimizer(TrialConfig config, string optimizer) => optimizer switch
    {
        "sgd" => config with { Optimizer = OptimizerKind.Sgd, LearningRate = config.LearningRate * 10, Momentum = 0.9, Nesterov = true },
        "rmsprop" => config with { Optimizer = OptimizerKind.RmsProp, Momentum = 0.5, Rho = 0.8 },
        _ => config,
    };

    private static TrialConfig Config(Direction direction, MergeMode merge, int seed, double learningRate) => new()
    {
        Task = TaskKind.Cumsum, Direction = direction, MergeMode = merge, Hidden = 20, BatchSize = 1, Epochs = Epochs,
        Seed = seed, LearningRate = learningRate,
    };
}
