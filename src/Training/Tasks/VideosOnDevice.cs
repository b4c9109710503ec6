using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// Moving-square videos kept on a device as their walks, rendered there: pixel (t, r, c) of a video is lit when the
/// column c was drawn by frame t (its drawing index j(c) = c left to right, size - 1 - c right to left, is at most t) and
/// the walk's row at j(c) is r. <see cref="MovingSquareTask.DrawFrames"/> lights the same pixels one by one.
/// </summary>
internal sealed class VideosOnDevice : IDisposable
{
    private readonly int _size;

    /// <summary>Per video and column, the row lit there ([videos, size]).</summary>
    private readonly Tensor _rowAtColumn;

    /// <summary>Per video and column, the frame from which it is lit ([videos, size]).</summary>
    private readonly Tensor _firstFrameAtColumn;
    private readonly Tensor _labels;
    private readonly Tensor _rows;
    private readonly Tensor _frames;

    public VideosOnDevice(IReadOnlyList<MovingSquareTask.Video> videos, int size, Device device)
    {
        (_size, Device) = (size, device);
        var rowAtColumn = new long[videos.Count * size];
        var firstFrame = new long[videos.Count * size];
        for (var v = 0; v < videos.Count; v++)
        {
            for (var j = 0; j < size; j++)
            {
                var column = videos[v].LeftToRight ? j : size - 1 - j;
                rowAtColumn[(v * size) + column] = videos[v].Rows[j];
                firstFrame[(v * size) + column] = j;
            }
        }

        // Kept across steps: made while a step's dispose scope is open, they must not be freed with it.
        _rowAtColumn = tensor(rowAtColumn, [videos.Count, size], device: device).DetachFromDisposeScope();
        _firstFrameAtColumn = tensor(firstFrame, [videos.Count, size], device: device).DetachFromDisposeScope();
        _labels = tensor(videos.Select(v => v.LeftToRight ? 1f : 0f).ToArray(), device: device).DetachFromDisposeScope();
        _rows = arange(size, device: device).view(1, 1, size, 1).DetachFromDisposeScope();
        _frames = arange(size, device: device).view(1, size, 1, 1).DetachFromDisposeScope();
    }

    public Device Device { get; }

    /// <summary>The videos at <paramref name="indices"/> as a batch (frames [batch, time, 1, size, size], labels [batch]) on the device.</summary>
    public Batch Render(IReadOnlyList<int> indices)
    {
        using var scope = NewDisposeScope();
        var picked = tensor(indices.Select(i => (long)i).ToArray(), device: Device);
        var rows = _rowAtColumn.index_select(0, picked).view(-1, 1, 1, _size); // [batch, 1, 1, column]
        var firsts = _firstFrameAtColumn.index_select(0, picked).view(-1, 1, 1, _size);
        var lit = rows.eq(_rows).logical_and(firsts.le(_frames)); // [batch, time, row, column]
        var frames = lit.to_type(ScalarType.Float32).unsqueeze(2);
        return new Batch(frames.MoveToOuterDisposeScope(), _labels.index_select(0, picked).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        foreach (var tensor in new[] { _rowAtColumn, _firstFrameAtColumn, _labels, _rows, _frames })
        {
            tensor.Dispose();
        }
    }
}
