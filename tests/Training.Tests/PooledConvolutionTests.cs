using SweepCluster.Training.Models;
using SweepCluster.Training.Tasks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace SweepCluster.Training.Tests;

/// <summary>
/// The fused CPU front must be the chapter's Conv2d + ReLU + MaxPool: same outputs and the same weight and bias
/// gradients as torch's three operations, up to float rounding of the sums.
/// </summary>
public sealed class PooledConvolutionTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        // frames, rows, columns, filters: the chapter's 50x50 frames; odd and even sizes; pooled widths below, at
        // and above a vector's lanes; more filters than the chapter's two.
        { 40, 50, 50, 2 },
        { 12, 9, 13, 2 },
        { 5, 3, 3, 1 },
        { 9, 34, 35, 3 },
        { 33, 20, 41, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OutputsAndGradientsEqualTorchsConvReluPool(int frames, int rows, int columns, int filters)
    {
        using var scope = NewDisposeScope();
        var generator = manual_seed(frames * 1000 + rows);
        var input = rand([frames, 1, rows, columns], generator: generator);
        var (weight, bias) = Parameters(filters, generator);

        AssertSameAsTorch(input, weight, bias, randn(Reference(input, weight, bias).shape, generator: generator));
    }

    [Fact]
    public void VideoFramesWithTheirManyTiesGiveTorchsGradients()
    {
        // Mostly-zero binary frames: inside a pool window many candidates are equal, and max-pool's choice (the first)
        // decides where the gradient goes.
        using var scope = NewDisposeScope();
        var task = new MovingSquareTask(size: 50, trainSize: 8, testSize: 4, batchSize: 8, seed: 3);
        var frames = task.TrainBatch(0, 0, CPU).Inputs.reshape(8 * 50, 1, 50, 50);
        var generator = manual_seed(11);
        var (weight, bias) = Parameters(2, generator);

        AssertSameAsTorch(frames, weight, bias, randn(Reference(frames, weight, bias).shape, generator: generator));
    }

    [Fact]
    public void NaNWeightsGiveNaNOutputs()
    {
        // A diverged trial must look diverged: max-pool and ReLU both let NaN through.
        using var scope = NewDisposeScope();
        var weight = full([2, 1, 2, 2], float.NaN);

        var output = PooledConvolution.Apply(rand([2, 1, 10, 10]), weight, zeros(2));

        Assert.True(output.isnan().all().item<bool>());
    }

    [Fact]
    public void FramesThatWantAGradientAreRefusedByName()
    {
        using var scope = NewDisposeScope();
        var frames = rand([2, 1, 10, 10]).requires_grad_(true);

        var error = Assert.Throws<ArgumentException>(() => PooledConvolution.Apply(frames, zeros([2, 1, 2, 2]), zeros(2)));

        Assert.Equal("frames", error.ParamName);
    }

    [Fact]
    public void FrameFeaturesOnTheCpuAreTheChaptersLayers()
    {
        using var features = new FrameFeatures(20, new Random(4));
        using var scope = NewDisposeScope();
        var video = rand([3, 20, 1, 20, 20]);
        var parameters = features.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        var fused = features.call(video);
        var reference = Reference(video.reshape(60, 1, 20, 20), parameters["_conv.weight"], parameters["_conv.bias"]).reshape(3, 20, -1);

        Assert.Equal(reference.shape, fused.shape);
        Assert.True(fused.allclose(reference, rtol: 1e-5, atol: 1e-6));
    }

    private static Tensor Reference(Tensor frames, Tensor weight, Tensor bias) => max_pool2d(relu(conv2d(frames, weight, bias)), 2);

    private static (Tensor Weight, Tensor Bias) Parameters(int filters, Generator generator) =>
        ((randn([filters, 1, 2, 2], generator: generator) * 0.7).requires_grad_(true), (randn([filters], generator: generator) * 0.2).requires_grad_(true));

    private static void AssertSameAsTorch(Tensor frames, Tensor weight, Tensor bias, Tensor upstream)
    {
        var expected = Reference(frames, weight, bias);
        (expected * upstream).sum().backward();
        var (expectedWeightGrad, expectedBiasGrad) = (weight.grad!.clone(), bias.grad!.clone());
        weight.grad!.zero_();
        bias.grad!.zero_();

        var fused = PooledConvolution.Apply(frames, weight, bias);
        (fused * upstream).sum().backward();

        Assert.Equal(expected.shape, fused.shape);
        Assert.True(fused.allclose(expected, rtol: 1e-5, atol: 1e-6), $"outputs differ by {(fused - expected).abs().max().item<float>()}");

        // Sums of up to a million terms, added in another order: equal to a few parts per million of their size.
        AssertClose(expectedWeightGrad, weight.grad!, "weight");
        AssertClose(expectedBiasGrad, bias.grad!, "bias");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = Math.Max(1, expected.abs().max().item<float>());
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 2e-5 * scale, $"{what} gradients differ by {difference} (largest {scale})");
    }
}
