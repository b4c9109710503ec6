using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// Training batches made on the CPU by a fill (the same numbers it gives step by step) and copied to a device a chunk of
/// steps at a time — up to 256 steps or 16 MB — for a device where a copy per step costs more than the step (a GPU).
/// </summary>
/// <param name="stepShape">One step's values (and labels), e.g. [batch, time].</param>
/// <param name="device">Where the chunks go.</param>
/// <param name="fill">Writes global step <c>at</c>'s values and labels (each as many floats as <paramref name="stepShape"/> holds).</param>
internal sealed class DeviceChunks(long[] stepShape, Device device, Action<long, Span<float>, Span<float>> fill) : IDisposable
{
    /// <summary>Floats of values a chunk holds at most (16 MB with its labels).</summary>
    private const int ChunkFloats = 2 << 20;

    private const int MaxSteps = 256;

    private readonly int _perStep = checked((int)stepShape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Steps made and copied ahead: values and labels [steps, ..stepShape] from global step <see cref="_start"/>.</summary>
    private (Tensor Values, Tensor Labels)? _chunk;
    private long _start;

    public Device Device => device;

    /// <summary>
    /// Global step <paramref name="at"/>'s values and labels on the device (views into its chunk, for the caller's
    /// dispose scope); <paramref name="last"/> is the last step there will be, so no chunk is made past it.
    /// </summary>
    public (Tensor Values, Tensor Labels) At(long at, long last)
    {
        if (_chunk is not { } chunk || at < _start || at >= _start + chunk.Values.shape[0])
        {
            Release();
            var steps = (int)Math.Clamp(Math.Min(ChunkFloats / _perStep, last - at + 1), 1, MaxSteps);
            var (values, labels) = (new float[steps * _perStep], new float[steps * _perStep]);
            for (var s = 0; s < steps; s++)
            {
                fill(at + s, values.AsSpan(s * _perStep, _perStep), labels.AsSpan(s * _perStep, _perStep));
            }

            long[] shape = [steps, .. stepShape];
            chunk = (tensor(values, shape).to(device).DetachFromDisposeScope(), tensor(labels, shape).to(device).DetachFromDisposeScope());
            (_chunk, _start) = (chunk, at);
        }

        var index = at - _start;
        return (chunk.Values[index], chunk.Labels[index]);
    }

    public void Dispose() => Release();

    private void Release()
    {
        _chunk?.Values.Dispose();
        _chunk?.Labels.Dispose();
        _chunk = null;
    }
}
