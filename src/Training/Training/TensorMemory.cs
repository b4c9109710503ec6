using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// A contiguous CPU tensor's own memory as a span. The training loops fill and read tensors this way rather than
/// through <c>tensor(array)</c>, <c>.shape</c> or <c>data&lt;T&gt;()</c>: those leave TorchSharp objects (pinned arrays,
/// accessors) to the finalizer, each surviving a garbage collection to be finalized, and a training process full of
/// them paid ~10 ms for every gen-0 collection (docs/performance.md, "Garbage collection").
/// </summary>
internal static class TensorMemory
{
    public static Span<float> Floats(this Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    public static Span<long> Longs(this Tensor tensor) => MemoryMarshal.Cast<byte, long>(tensor.bytes);

    /// <summary>A one-element tensor's value: from memory on the CPU, through <c>item</c> elsewhere.</summary>
    public static float ToSingle(this Tensor tensor) =>
        tensor.device_type == TorchSharp.DeviceType.CPU && tensor.is_contiguous() ? tensor.Floats()[0] : tensor.item<float>();

    /// <inheritdoc cref="ToSingle"/>
    public static long ToInt64(this Tensor tensor) =>
        tensor.device_type == TorchSharp.DeviceType.CPU && tensor.is_contiguous() ? tensor.Longs()[0] : tensor.item<long>();
}
