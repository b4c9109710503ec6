using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SweepCluster.Training.Models;

/// <summary>
/// <see cref="FrameFeatures"/>' Conv2d(1 -> F filters, 2x2) + ReLU + MaxPool(2x2) as one pass over each frame on
/// the CPU, with its own backward. Frames (N, 1, H, W) float32; weight (F, 1, 2, 2); bias (F); output
/// (N, F, (H-1)/2, (W-1)/2) — the same values as the three torch operations, up to float rounding of the
/// 4-term sums.
/// Why: libtorch hands this 1-channel, 2-filter convolution to oneDNN, which pads the channels into its blocked
/// layout and walks ~30 MB intermediates in each of six passes (conv, ReLU, pool, and back): 45 ms of the
/// CNN-LSTM's 70 ms step. Here each pooled output reads its 3x3 input window once and only the winning pool
/// offset is kept for backward. The frames are data: no gradient flows into them.
/// </summary>
public sealed class PooledConvolution : SingleTensorFunction<PooledConvolution>
{
    // Frames per work item: fixed (not per thread) so the gradient sums add up in the same order on any thread count.
    private const int FramesPerChunk = 16;

    public override string Name => nameof(PooledConvolution);

    /// <summary>Output of the fused front: apply(frames, weight, bias).</summary>
    public static Tensor Apply(Tensor frames, Tensor weight, Tensor bias)
    {
        if (frames.requires_grad)
        {
            throw new ArgumentException("the fused frame front takes data: frames must not require a gradient", nameof(frames));
        }

        if (frames.dim() != 4 || frames.shape[1] != 1 || frames.shape[2] < 3 || frames.shape[3] < 3 || frames.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"frames must be float32 (N, 1, H >= 3, W >= 3), got {frames.dtype} ({string.Join(", ", frames.shape)})", nameof(frames));
        }

        if (weight.dim() != 4 || weight.shape[1] != 1 || weight.shape[2] != 2 || weight.shape[3] != 2 || bias.dim() != 1 || bias.shape[0] != weight.shape[0])
        {
            throw new ArgumentException($"weight must be (F, 1, 2, 2) and bias (F), got ({string.Join(", ", weight.shape)}) and ({string.Join(", ", bias.shape)})", nameof(weight));
        }

        return apply(frames, weight, bias);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var frames = ((Tensor)vars[0]).contiguous();
        var weight = (Tensor)vars[1];
        var bias = (Tensor)vars[2];
        var shape = new FrameShape(frames, (int)weight.shape[0]);
        var output = empty([shape.Frames, shape.Filters, shape.PooledRows, shape.PooledColumns], ScalarType.Float32);
        var winners = empty([shape.Frames, shape.Filters, shape.PooledRows, shape.PooledColumns], ScalarType.Int32);
        var filters = Filter.Read(weight, bias);
        var (framesAt, outputAt, winnersAt) = (Address(frames), Address(output), Address(winners));
        ForEachChunk(shape, (first, count) => Kernel.Forward(shape, filters, framesAt, outputAt, winnersAt, first, count));
        ctx.save_for_backward([frames, output, winners]);
        ctx.save_data("filters", shape.Filters);
        return output;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (frames, output, winners) = (saved[0], saved[1], saved[2]);
        var gradient = grad_output.contiguous();
        var shape = new FrameShape(frames, (int)ctx.get_data("filters"));
        var chunks = (shape.Frames + FramesPerChunk - 1) / FramesPerChunk;
        var partials = new float[chunks, shape.Filters * Filter.Values];
        var (framesAt, outputAt, winnersAt, gradientAt) = (Address(frames), Address(output), Address(winners), Address(gradient));
        ForEachChunk(shape, (first, count) =>
        {
            var sums = new float[shape.Filters * Filter.Values];
            Kernel.Backward(shape, framesAt, outputAt, winnersAt, gradientAt, first, count, sums);
            for (var i = 0; i < sums.Length; i++)
            {
                partials[first / FramesPerChunk, i] = sums[i];
            }
        });

        // Chunk order, whichever thread finished first.
        var totals = new float[shape.Filters * Filter.Values];
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += partials[chunk, i];
            }
        }

        var weightGrad = tensor(totals.Where((_, i) => i % Filter.Values < 4).ToArray(), [shape.Filters, 1, 2, 2]);
        var biasGrad = tensor(totals.Where((_, i) => i % Filter.Values == 4).ToArray(), [shape.Filters]);
        return [null!, weightGrad, biasGrad];
    }

    /// <summary>Where a contiguous CPU tensor's elements start (its storage offset included).</summary>
    private static unsafe nint Address(Tensor tensor) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));

    private static void ForEachChunk(FrameShape shape, Action<int, int> body)
    {
        var chunks = (shape.Frames + FramesPerChunk - 1) / FramesPerChunk;
        var threads = get_num_threads();
        if (threads <= 1)
        {
            for (var first = 0; first < shape.Frames; first += FramesPerChunk)
            {
                body(first, Math.Min(FramesPerChunk, shape.Frames - first));
            }

            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            var first = chunk * FramesPerChunk;
            body(first, Math.Min(FramesPerChunk, shape.Frames - first));
        });
    }

    private readonly record struct FrameShape(int Frames, int Rows, int Columns, int Filters)
    {
        public FrameShape(Tensor frames, int filters)
            : this((int)frames.shape[0], (int)frames.shape[2], (int)frames.shape[3], filters)
        {
        }

        public int PooledRows => (Rows - 1) / 2;

        public int PooledColumns => (Columns - 1) / 2;
    }

    /// <summary>One filter's 2x2 weights and bias, in the order the gradient sums are kept.</summary>
    private readonly record struct Filter(float W00, float W01, float W10, float W11, float Bias)
    {
        public const int Values = 5;

        public static Filter[] Read(Tensor weight, Tensor bias)
        {
            var w = weight.detach().cpu().contiguous().data<float>().ToArray();
            var b = bias.detach().cpu().data<float>().ToArray();
            return [.. Enumerable.Range(0, b.Length).Select(f => new Filter(w[4 * f], w[4 * f + 1], w[4 * f + 2], w[4 * f + 3], b[f]))];
        }
    }

    /// <summary>
    /// The loops. A pooled output (i, j) is the max over the four conv outputs at rows 2i..2i+1, columns 2j..2j+1,
    /// which read input rows 2i..2i+2 and columns 2j..2j+2. Each input row is split into its even and odd columns
    /// first, so all four candidates of a run of outputs are whole vectors: with e/o a row's even/odd columns from
    /// j, and e' its even columns from j+1, the candidate at pool offset (0, 0) reads (e, o) of rows 2i and 2i+1,
    /// (0, 1) reads (o, e'), and (1, *) the same of rows 2i+1 and 2i+2. Rows are padded to whole vectors with
    /// zeros; padded lanes are computed and never stored.
    /// </summary>
    private static unsafe class Kernel
    {
        private static readonly int Lanes = Vector<float>.Count;

        // Fully optimised from the first call: tier-0 code of these loops is ~10x slower and a trial's first steps would pay it.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(FrameShape shape, Filter[] filters, nint framesAt, nint outputAt, nint winnersAt, int first, int count)
        {
            var split = SplitRows.For(shape);
            var (row, rowWinners) = (split.Values, split.Winners);
            var frames = (float*)framesAt;
            var output = (float*)outputAt;
            var winners = (int*)winnersAt;
            var zero = Vector<float>.Zero;
            for (var n = first; n < first + count; n++)
            {
                split.Load(frames + (long)n * shape.Rows * shape.Columns, shape);
                for (var f = 0; f < shape.Filters; f++)
                {
                    var filter = filters[f];
                    var (w00, w01, w10, w11) = (new Vector<float>(filter.W00), new Vector<float>(filter.W01), new Vector<float>(filter.W10), new Vector<float>(filter.W11));
                    var b = new Vector<float>(filter.Bias);
                    for (var i = 0; i < shape.PooledRows; i++)
                    {
                        var (e0, o0, e1, o1, e2, o2) = split.Window(i);
                        for (var j = 0; j < split.Width; j += Lanes)
                        {
                            var (top, topOdd, topNext) = (Load(e0, j), Load(o0, j), Load(e0, j + 1));
                            var (mid, midOdd, midNext) = (Load(e1, j), Load(o1, j), Load(e1, j + 1));
                            var (low, lowOdd, lowNext) = (Load(e2, j), Load(o2, j), Load(e2, j + 1));

                            // Candidates in max-pool's scan order; the first of equal values wins, as torch's does.
                            var best = b + w00 * top + w01 * topOdd + w10 * mid + w11 * midOdd;
                            var winner = Vector<int>.Zero;
                            (best, winner) = Challenge(best, winner, b + w00 * topOdd + w01 * topNext + w10 * midOdd + w11 * midNext, 1);
                            (best, winner) = Challenge(best, winner, b + w00 * mid + w01 * midOdd + w10 * low + w11 * lowOdd, 2);
                            (best, winner) = Challenge(best, winner, b + w00 * midOdd + w01 * midNext + w10 * lowOdd + w11 * lowNext, 3);

                            // ReLU after the max is the same value as before it (ReLU is monotone); NaN stays NaN.
                            Vector.ConditionalSelect(Vector.LessThanOrEqual(best, zero), zero, best).CopyTo(row, j);
                            winner.CopyTo(rowWinners, j);
                        }

                        var at = (((long)n * shape.Filters + f) * shape.PooledRows + i) * shape.PooledColumns;
                        row.AsSpan(0, shape.PooledColumns).CopyTo(new Span<float>(output + at, shape.PooledColumns));
                        rowWinners.AsSpan(0, shape.PooledColumns).CopyTo(new Span<int>(winners + at, shape.PooledColumns));
                    }
                }
            }
        }

        /// <summary>
        /// Adds this chunk's weight and bias gradients into <paramref name="sums"/> (per filter: w00, w01, w10, w11, bias).
        /// An output passes its gradient to the window of its winning offset only where the ReLU let it through.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Backward(FrameShape shape, nint framesAt, nint outputAt, nint winnersAt, nint gradientAt, int first, int count, float[] sums)
        {
            var split = SplitRows.For(shape);
            var (gradientRow, winnerRow) = (split.Values, split.Winners);
            var accumulators = new Vector<float>[shape.Filters * Filter.Values];
            var frames = (float*)framesAt;
            var output = (float*)outputAt;
            var winners = (int*)winnersAt;
            var gradient = (float*)gradientAt;
            var zero = Vector<float>.Zero;
            for (var n = first; n < first + count; n++)
            {
                split.Load(frames + (long)n * shape.Rows * shape.Columns, shape);
                for (var f = 0; f < shape.Filters; f++)
                {
                    // Sums in registers over the frame's rows, then into the chunk's accumulators.
                    Vector<float> w00 = default, w01 = default, w10 = default, w11 = default, bias = default;
                    for (var i = 0; i < shape.PooledRows; i++)
                    {
                        var at = (((long)n * shape.Filters + f) * shape.PooledRows + i) * shape.PooledColumns;
                        var (e0, o0, e1, o1, e2, o2) = split.Window(i);
                        for (var j = 0; j < shape.PooledColumns; j += Lanes)
                        {
                            Vector<float> g, kept;
                            Vector<int> won;
                            if (j + Lanes <= shape.PooledColumns)
                            {
                                (kept, g, won) = (Vector.Load(output + at + j), Vector.Load(gradient + at + j), Vector.Load(winners + at + j));
                            }
                            else
                            {
                                // The row's last, partial vector, through zero-padded scratch: padded lanes add nothing.
                                var tail = shape.PooledColumns - j;
                                gradientRow.AsSpan().Clear();
                                new ReadOnlySpan<float>(gradient + at + j, tail).CopyTo(gradientRow);
                                new ReadOnlySpan<int>(winners + at + j, tail).CopyTo(winnerRow);
                                g = new Vector<float>(gradientRow);
                                won = new Vector<int>(winnerRow);
                                gradientRow.AsSpan().Clear();
                                new ReadOnlySpan<float>(output + at + j, tail).CopyTo(gradientRow);
                                kept = new Vector<float>(gradientRow);
                            }

                            // ReLU's backward: nothing flows where its output is 0.
                            g = Vector.ConditionalSelect(Vector.GreaterThan(kept, zero), g, zero);
                            var g0 = Vector.ConditionalSelect(Vector.Equals(won, Vector<int>.Zero), g, zero);
                            var g1 = Vector.ConditionalSelect(Vector.Equals(won, Vector<int>.One), g, zero);
                            var g2 = Vector.ConditionalSelect(Vector.Equals(won, new Vector<int>(2)), g, zero);
                            var g3 = Vector.ConditionalSelect(Vector.Equals(won, new Vector<int>(3)), g, zero);
                            var (top, topOdd, topNext) = (Load(e0, j), Load(o0, j), Load(e0, j + 1));
                            var (mid, midOdd, midNext) = (Load(e1, j), Load(o1, j), Load(e1, j + 1));
                            var (low, lowOdd, lowNext) = (Load(e2, j), Load(o2, j), Load(e2, j + 1));
                            w00 += g0 * top + g1 * topOdd + g2 * mid + g3 * midOdd;
                            w01 += g0 * topOdd + g1 * topNext + g2 * midOdd + g3 * midNext;
                            w10 += g0 * mid + g1 * midOdd + g2 * low + g3 * lowOdd;
                            w11 += g0 * midOdd + g1 * midNext + g2 * lowOdd + g3 * lowNext;
                            bias += g;
                        }
                    }

                    var sum = f * Filter.Values;
                    (accumulators[sum], accumulators[sum + 1], accumulators[sum + 2], accumulators[sum + 3], accumulators[sum + 4]) =
                        (accumulators[sum] + w00, accumulators[sum + 1] + w01, accumulators[sum + 2] + w10, accumulators[sum + 3] + w11, accumulators[sum + 4] + bias);
                }
            }

            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += Vector.Sum(accumulators[i]);
            }
        }

        private static (Vector<float> Best, Vector<int> Winner) Challenge(Vector<float> best, Vector<int> winner, Vector<float> candidate, int offset)
        {
            // Strictly greater (or NaN) replaces: max-pool keeps the first of equal values and lets NaN through.
            var replaces = Vector.GreaterThan(candidate, best) | ~Vector.Equals(candidate, candidate);
            return (Vector.ConditionalSelect(replaces, candidate, best), Vector.ConditionalSelect(replaces, new Vector<int>(offset), winner));
        }

        private static Vector<float> Load(float[] row, int at) => new(row, at);

        /// <summary>
        /// A frame's rows split into even and odd columns, padded with zeros to whole vectors (+1 vector for e'), and
        /// one row of values and winners. Only the first PooledColumns (+1) entries of the split rows are ever written,
        /// so their padding stays zero. One per thread, kept while frames keep their shape.
        /// </summary>
        private sealed class SplitRows
        {
            [ThreadStatic]
            private static SplitRows? _current;

            private readonly float[][] _even;
            private readonly float[][] _odd;
            private readonly FrameShape _shape;

            private SplitRows(FrameShape shape)
            {
                _shape = shape;
                Width = (shape.PooledColumns + Lanes - 1) / Lanes * Lanes;
                var rows = 2 * shape.PooledRows + 1;
                _even = [.. Enumerable.Range(0, rows).Select(_ => new float[Width + Lanes])];
                _odd = [.. Enumerable.Range(0, rows).Select(_ => new float[Width + Lanes])];
                Values = new float[Width];
                Winners = new int[Width];
            }

            public int Width { get; }

            /// <summary>One row of outputs (forward) or gradients (backward).</summary>
            public float[] Values { get; }

            public int[] Winners { get; }

            public static SplitRows For(FrameShape shape)
            {
                if (_current is not { } current || current._shape.Rows != shape.Rows || current._shape.Columns != shape.Columns)
                {
                    _current = current = new SplitRows(shape);
                }

                return current;
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public void Load(float* frame, FrameShape shape)
            {
                var evens = shape.PooledColumns + 1;
                for (var r = 0; r < _even.Length; r++)
                {
                    var source = frame + (long)r * shape.Columns;
                    fixed (float* even = _even[r], odd = _odd[r])
                    {
                        var j = 0;
                        if (Avx2.IsSupported)
                        {
                            // 16 columns at a time: shufps picks evens (odds) of both halves, vpermq puts them in order.
                            for (; j + 8 <= shape.PooledColumns; j += 8)
                            {
                                var (low, high) = (Avx.LoadVector256(source + 2 * j), Avx.LoadVector256(source + 2 * j + 8));
                                Avx.Store(even + j, Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle());
                                Avx.Store(odd + j, Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle());
                            }
                        }

                        for (; j < shape.PooledColumns; j++)
                        {
                            even[j] = source[2 * j];
                            odd[j] = source[2 * j + 1];
                        }

                        even[evens - 1] = source[2 * (evens - 1)];
                    }
                }
            }

            public (float[] E0, float[] O0, float[] E1, float[] O1, float[] E2, float[] O2) Window(int pooledRow) =>
                (_even[2 * pooledRow], _odd[2 * pooledRow], _even[2 * pooledRow + 1], _odd[2 * pooledRow + 1], _even[2 * pooledRow + 2], _odd[2 * pooledRow + 2]);
        }
    }
}
