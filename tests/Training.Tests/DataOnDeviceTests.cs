using SweepCluster.Training.Tasks;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

/// <summary>Batches made on a trial's device (a GPU silo's path, run here on the CPU) hold exactly the numbers the CPU path makes.</summary>
public sealed class DataOnDeviceTests
{
    [Theory]
    [InlineData(10, 7)]
    [InlineData(50, 32)]
    public void MovingSquareFramesRenderedByTensorOperationsAreThePixelsDrawnOneByOne(int size, int batchSize)
    {
        var task = new MovingSquareTask(size, trainSize: 3 * batchSize + 5, testSize: 4, batchSize, seed: 11);
        foreach (var (epoch, step) in new[] { (0, 0), (0, 3), (2, 1) })
        {
            using var scope = NewDisposeScope();
            var drawn = task.TrainBatch(epoch, step, CPU);
            var rendered = task.RenderWithTensors(epoch, step, CPU);

            AssertSameBatch(drawn, rendered, $"epoch {epoch}, step {step}");
            Assert.True(drawn.Inputs.sum().item<float>() > 0);
        }
    }

    [Fact]
    public void CumsumBatchesCopiedAChunkOfStepsAtATimeAreTheBatchesDrawnStepByStep()
    {
        // 3 epochs of 100 steps: the first chunk ends at step 256, mid-epoch; the last one stops at the last step.
        var task = new CumsumTask(timesteps: 10, batchSize: 4, stepsPerEpoch: 100, testSize: 10, seed: 13, epochs: 3);
        var other = new CumsumTask(timesteps: 10, batchSize: 4, stepsPerEpoch: 100, testSize: 10, seed: 13, epochs: 3);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            for (var step = 0; step < 100; step++)
            {
                using var scope = NewDisposeScope();
                var drawn = other.TrainBatch(epoch, step, CPU);
                var copied = task.TrainBatchFromChunks(epoch, step, CPU);

                AssertSameBatch(drawn, copied, $"epoch {epoch}, step {step}");
            }
        }

        // Asked again out of order (a resumed trial), a step is still its own.
        using var again = NewDisposeScope();
        Assert.True(other.TrainBatch(0, 5, CPU).Inputs.eq(task.TrainBatchFromChunks(0, 5, CPU).Inputs).all().item<bool>());
    }

    /// <summary>Same shape, the same inputs and the same labels, element for element.</summary>
    private static void AssertSameBatch(Batch expected, Batch actual, string where)
    {
        Assert.Equal(expected.Inputs.shape, actual.Inputs.shape);
        Assert.True(expected.Inputs.eq(actual.Inputs).all().item<bool>(), $"{where}: inputs differ");
        Assert.True(expected.Targets.eq(actual.Targets).all().item<bool>(), $"{where}: labels differ");
    }
}
