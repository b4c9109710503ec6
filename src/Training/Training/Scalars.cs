using TorchSharp;

namespace SweepCluster.Training.Training;

/// <summary>
/// Scalars the training loops pass explicitly, made once. TorchSharp's overloads without one (<c>a.add(b)</c>,
/// <c>addcdiv_(a, b)</c>) convert a literal 1 into a new Scalar on every call and leave its native handle to the
/// finalizer: objects that survive a garbage collection just to be finalized make every collection slower.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1;

    public static readonly Scalar Half = 0.5;
}
