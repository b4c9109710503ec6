using SweepCluster.Experiments;
using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

/// <summary>
/// Reused models must start exactly as new ones: every weight drawn from the trial's seed in the order a new model draws
/// them. Hidden sizes here are used by no other test, so the static pool's reuse is this test's own.
/// </summary>
public sealed class ModelPoolTests
{
    public static TheoryData<string, TrialConfig> Shapes => new()
    {
        { "cumsum, bidirectional concat, 2 layers", Configs.Cumsum() with { Hidden = 13, Layers = 2 } },
        { "cumsum, backward", Configs.Cumsum(Direction.Backward) with { Hidden = 14 } },
        { "moving square (a CNN front)", Configs.MovingSquare() with { Hidden = 15 } },
        {
            "sentiment (an embedding front)", new TrialConfig
            {
                Task = TaskKind.Sentiment, Hidden = 16, Direction = Direction.Bidirectional, MergeMode = MergeMode.Mul,
                TaskOptions = new TaskOptions { NumWords = 300, MaxLen = 20, EmbeddingDim = 6, TrainSize = 8, TestSize = 4 },
            }
        },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AReusedModelStartsWithTheWeightsANewOneWouldHave(string name, TrialConfig config)
    {
        var task = LearningTaskFactory.Create(config);
        var first = ModelPool.Rent(config with { Seed = 1 }, task, CPU);
        ScrambleAsTrainingWould(first);
        ModelPool.Return(first);

        var reused = ModelPool.Rent(config with { Seed = 2 }, task, CPU);
        using var fresh = ModelFactory.Create(config with { Seed = 2 }, task, CPU);
        try
        {
            Assert.Same(first, reused);
            var expected = fresh.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (parameter, actual) in reused.named_parameters())
            {
                Assert.True(actual.allclose(expected[parameter], rtol: 0, atol: 0), $"{name}: {parameter} differs from a new model's");
                Assert.Null(actual.grad);
            }
        }
        finally
        {
            ModelPool.Return(reused);
        }
    }

    [Fact]
    public void ModelsAreNotSharedAcrossShapesOrRenters()
    {
        var forward = Configs.Cumsum(Direction.Forward) with { Hidden = 17 };
        var task = LearningTaskFactory.Create(forward);
        var a = ModelPool.Rent(forward, task, CPU);
        var b = ModelPool.Rent(forward, task, CPU);
        ModelPool.Return(a);
        ModelPool.Return(a); // a second return must not offer the model twice

        var backward = ModelPool.Rent(forward with { Direction = Direction.Backward }, task, CPU);
        var again = ModelPool.Rent(forward, task, CPU);
        var another = ModelPool.Rent(forward, task, CPU);
        try
        {
            Assert.NotSame(a, b);
            Assert.NotSame(a, backward);
            Assert.Same(a, again);
            Assert.NotSame(a, another);
        }
        finally
        {
            new[] { b, backward, again, another }.ToList().ForEach(ModelPool.Return);
        }
    }

    [Fact]
    public void IdleModelsAreBounded()
    {
        var models = Enumerable.Range(0, ModelPool.MaxIdleModels + 5)
            .Select(k => Configs.Cumsum(Direction.Forward, seed: k) with { Hidden = 1 + (k % 3), Epochs = 1 })
            .Select(c => ModelPool.Rent(c, LearningTaskFactory.Create(c), CPU))
            .ToList();
        models.ForEach(ModelPool.Return);

        Assert.InRange(ModelPool.IdleCount, 1, ModelPool.MaxIdleModels);
    }

    private static void ScrambleAsTrainingWould(SequenceModel model)
    {
        using var scope = NewDisposeScope();
        foreach (var parameter in model.parameters())
        {
            using (no_grad())
            {
                parameter.add_(1.5);
            }
        }

        model.parameters().Aggregate(zeros(1), (sum, p) => sum + p.sum()).backward();
    }
}
