using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SweepCluster.Training.Models;

/// <summary>
/// The CNN-LSTM's per-frame front: Conv2d(1 -> 2 filters, 2x2) + ReLU, MaxPool 2x2, flatten, applied to every
/// frame (Keras' <c>TimeDistributed</c>). Input (batch, time, 1, size, size); output (batch, time, features).
/// On the CPU the three run fused as <see cref="PooledConvolution"/> (same values up to float rounding, ~5x faster);
/// elsewhere (CUDA) as torch's own operations.
/// </summary>
public sealed class FrameFeatures : Module<Tensor, Tensor>
{
    private const int Filters = 2;

    private readonly Conv2d _conv;
    private readonly ReLU _relu;
    private readonly MaxPool2d _pool;

    public FrameFeatures(int frameSize, Random random)
        : base(nameof(FrameFeatures))
    {
        _conv = Conv2d(1, Filters, kernel_size: 2);
        _relu = ReLU();
        _pool = MaxPool2d(kernel_size: 2);
        var pooled = (frameSize - 1) / 2;
        OutputWidth = Filters * pooled * pooled;
        RegisterComponents();
        Initialise(random);
    }

    /// <summary>Draws the convolution's weights afresh from <paramref name="random"/> (glorot_uniform, zero bias).</summary>
    public void Initialise(Random random)
    {
        KerasInit.GlorotUniform(_conv.weight!, fanIn: 1 * 2 * 2, fanOut: Filters * 2 * 2, random);
        KerasInit.Zeros(_conv.bias!);
    }

    public long OutputWidth { get; }

    public override Tensor forward(Tensor frames)
    {
        var (batch, time) = (frames.size(0), frames.size(1));
        var perFrame = frames.reshape(batch * time, frames.size(2), frames.size(3), frames.size(4));
        var features = perFrame.device_type == DeviceType.CPU && !perFrame.requires_grad
            ? PooledConvolution.Apply(perFrame, _conv.weight!, _conv.bias!)
            : _pool.call(_relu.call(_conv.call(perFrame)));
        return features.reshape(batch, time, -1);
    }
}
