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

            Assert.Equal(drawn.Inputs.shape, rendered.Inputs.shape);
            Assert.True(drawn.Inputs.eq(rendered.Inputs).all().item<bool>(), $"epoch {epoch}, step {step}: frames differ");
            Assert.True(drawn.Targets.eq(rendered.Targets).all().item<bool>(), $"epoch {epoch}, step {step}: labels differ");
            Assert.True(drawn.Inputs.sum().item<float>() > 0);
        }
    }
}
