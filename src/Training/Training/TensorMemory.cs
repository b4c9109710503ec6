using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SweepCluster.Training.Training;

/// <summary>
/// A contiguous CPU tensor's own memory as a span. The training loops fill and read tensors this way rather than
/// through <c>tensor(array)</c> and <c>.shape</c>: both make TorchSharp pin a managed array behind a native callback,
/// and a process full of those pays ~10 ms for every gen-0 garbage collection (docs/performance.md, "GC").
/// </summary>
internal static class TensorMemory
{
    public static Span<float> Floats(this Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);
}
