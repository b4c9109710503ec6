using SweepCluster.Experiments;
using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

public sealed class ModelShapeTests
{
    [Theory]
    [MemberData(nameof(Configs.AllVariants), MemberType = typeof(Configs))]
    public void EncoderWidthIsDoubledOnlyByConcat(Direction direction, MergeMode merge)
    {
        using var encoder = new RecurrentEncoder(3, hidden: 7, layers: 2, direction, merge, returnSequences: true, new Random(1));
        using var scope = NewDisposeScope();
        var output = encoder.call(randn(4, 5, 3));

        var width = direction == Direction.Bidirectional && merge == MergeMode.Concat ? 14 : 7;
        Assert.Equal(width, encoder.OutputWidth);
        Assert.Equal([4L, 5, width], output.shape);
    }

    [Theory]
    [MemberData(nameof(Configs.AllVariants), MemberType = typeof(Configs))]
    public void TaggerGivesOneLogitPerTimestep(Direction direction, MergeMode merge)
    {
        var config = Configs.Cumsum(direction, merge);
        var task = new CumsumTask(timesteps: 10, batchSize: 3, stepsPerEpoch: 1, testSize: 10, seed: 1, epochs: 1);
        using var model = ModelFactory.Create(config, task, CPU);
        using var scope = NewDisposeScope();

        var batch = task.TrainBatch(0, 0, CPU);
        var logits = model.call(batch.Inputs);

        Assert.Equal([3L, 10], logits.shape);
        Assert.Equal(batch.Targets.shape, logits.shape);
    }

    [Theory]
    [MemberData(nameof(Configs.AllVariants), MemberType = typeof(Configs))]
    public void VideoClassifierGivesOneLogitPerSequence(Direction direction, MergeMode merge)
    {
        var config = Configs.MovingSquare() with { Direction = direction, MergeMode = merge };
        var task = new MovingSquareTask(size: 10, trainSize: 8, testSize: 4, batchSize: 8, seed: 1);
        using var model = ModelFactory.Create(config, task, CPU);
        using var scope = NewDisposeScope();

        var batch = task.TrainBatch(0, 0, CPU);
        Assert.Equal([8L, 10, 1, 10, 10], batch.Inputs.shape);
        Assert.Equal([8L], model.call(batch.Inputs).shape);
    }

    [Fact]
    public void FrameFeaturesMatchTheChapterSizes()
    {
        // 50x50 frame -> 2x2 conv (49x49x2) -> 2x2 pool (24x24x2) = 1152 features per frame.
        using var features = new FrameFeatures(50, new Random(1));
        using var scope = NewDisposeScope();

        Assert.Equal(1152, features.OutputWidth);
        Assert.Equal([2L, 3, 1152], features.call(zeros([2, 3, 1, 50, 50])).shape);
    }

    [Fact]
    public void LstmStartsWithKerasInitialisation()
    {
        using var encoder = new RecurrentEncoder(1, hidden: 20, layers: 1, Direction.Forward, MergeMode.Concat, returnSequences: true, new Random(1));
        var parameters = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var scope = NewDisposeScope();

        var recurrent = parameters.Single(p => p.Key.EndsWith("weight_hh_l0")).Value;
        var gram = recurrent.t().matmul(recurrent);
        Assert.True(gram.allclose(eye(20), atol: 1e-5), "recurrent kernel should be orthogonal");

        var bias = parameters.Single(p => p.Key.EndsWith("bias_ih_l0")).Value.data<float>().ToArray();
        Assert.All(bias[20..40], b => Assert.Equal(1f, b));
        Assert.All(bias[..20].Concat(bias[40..]), b => Assert.Equal(0f, b));
    }
}
