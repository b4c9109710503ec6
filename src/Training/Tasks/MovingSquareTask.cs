using SweepCluster.Training.Randomness;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// The CNN-LSTM chapter's video: <c>size</c> frames of size x size; a line grows one column per frame, left to
/// right or right to left, its row random-walking by -1/0/+1 within the frame. Label 1 = left to right.
/// Videos are kept as their row walks (size ints each) and rendered per batch, so 5000 videos of 50 frames
/// cost 1 MB rather than 2.5 GB. On the CPU a batch is drawn pixel by pixel; for another device (a GPU) the walks are
/// copied there once and each batch is rendered there by a few tensor operations (<see cref="VideosOnDevice"/>), the
/// same pixels, so a step copies 8 bytes per video instead of its 500 KB of frames.
/// </summary>
public sealed class MovingSquareTask : ILearningTask
{
    private readonly int _size;
    private readonly int _batchSize;
    private readonly int _seed;
    private readonly Video[] _train;
    private readonly Video[] _test;
    private VideosOnDevice? _trainOnDevice;

    public MovingSquareTask(int size, int trainSize, int testSize, int batchSize, int seed)
    {
        _size = size;
        _batchSize = batchSize;
        _seed = seed;
        _train = Generate(SeedSequence.For(seed, SeedSequence.Stream.TrainSet), trainSize, size);
        _test = Generate(SeedSequence.For(seed, SeedSequence.Stream.TestSet), testSize, size);
        Input = new ModelInput.Frames(size);
    }

    public ModelInput Input { get; }

    public bool PerTimestep => false;

    public int StepsPerEpoch => EpochOrder.Steps(_train.Length, _batchSize);

    public Batch TrainBatch(int epoch, int step, Device device) =>
        device.type == TorchSharp.DeviceType.CPU ? Render([.. Picked(epoch, step).Select(i => _train[i])], device) : RenderWithTensors(epoch, step, device);

    /// <summary>The batch <see cref="TrainBatch"/> gives for a device other than the CPU: rendered there by tensor operations.</summary>
    internal Batch RenderWithTensors(int epoch, int step, Device device)
    {
        if (_trainOnDevice?.Device.type != device.type || _trainOnDevice.Device.index != device.index)
        {
            _trainOnDevice?.Dispose();
            _trainOnDevice = new VideosOnDevice(_train, _size, device);
        }

        return _trainOnDevice.Render([.. Picked(epoch, step)]);
    }

    public IEnumerable<Batch> TestBatches(Device device) =>
        _test.Chunk(_batchSize).Select(videos => Render(videos, device));

    private IEnumerable<int> Picked(int epoch, int step) =>
        EpochOrder.For(_seed, epoch, _train.Length).Skip(step * _batchSize).Take(_batchSize);

    /// <summary>One video as the chapter's <c>build_frames</c> draws it: its direction and the row of each column.</summary>
    public static Video Draw(Random random, int size)
    {
        var rows = new int[size];
        rows[0] = random.Next(size);
        var leftToRight = random.NextDouble() < 0.5;
        for (var i = 1; i < size; i++)
        {
            var lower = Math.Max(0, rows[i - 1] - 1);
            var upper = Math.Min(size - 1, rows[i - 1] + 1);
            rows[i] = random.Next(lower, upper + 1);
        }

        return new Video(leftToRight, rows);
    }

    /// <summary>
    /// Draws a video's frames (time, size, size) into zeroed <paramref name="pixels"/>: frame t shows the line's first
    /// t+1 columns.
    /// </summary>
    public static void DrawFrames(Video video, int size, Span<float> pixels)
    {
        for (var t = 0; t < size; t++)
        {
            var frame = t * size * size;
            for (var j = 0; j <= t; j++)
            {
                var column = video.LeftToRight ? j : size - 1 - j;
                pixels[frame + video.Rows[j] * size + column] = 1f;
            }
        }
    }

    private static Video[] Generate(Random random, int count, int size) =>
        Enumerable.Range(0, count).Select(_ => Draw(random, size)).ToArray();

    /// <summary>
    /// Draws straight into a zeroed tensor: 1,275 of a video's 125,000 pixels are set, so going through a managed array
    /// (allocate, fill, copy) cost ~10x the drawing.
    /// </summary>
    private Batch Render(IReadOnlyList<Video> videos, Device device)
    {
        var frameVolume = _size * _size * _size;
        var frames = zeros([videos.Count, _size, 1, _size, _size]);
        var pixels = frames.Floats();
        var labels = new float[videos.Count];
        for (var i = 0; i < videos.Count; i++)
        {
            DrawFrames(videos[i], _size, pixels.Slice(i * frameVolume, frameVolume));
            labels[i] = videos[i].LeftToRight ? 1f : 0f;
        }

        return new Batch(frames.to(device), tensor(labels, [videos.Count], device: device));
    }

    /// <summary>A video: which way the line grows and the row it occupies in each column, in drawing order.</summary>
    public sealed record Video(bool LeftToRight, int[] Rows);
}
