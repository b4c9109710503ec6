using TorchSharp;

namespace SweepCluster.Training.Training;

/// <summary>
/// Scalars the training loops pass explicitly, made once, wherever an overload takes one. Without it TorchSharp
/// makes its own from a literal (<c>a.add(b)</c>: one Scalar per call, counted) and leaves it to the finalizer:
/// objects that survive a garbage collection only to be finalized make every collection slower.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1;

    public static readonly Scalar Half = 0.5;
}
