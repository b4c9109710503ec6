using System.Numerics;
using System.Runtime.CompilerServices;
using SweepCluster.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SweepCluster.Training.Packing;

/// <summary>
/// The recurrent half of K packed LSTM readers, as one operation with its own backward (backpropagation through
/// time): given every timestep's input projection (K, batch, time, 4H) — input weights and both biases already
/// applied — and the recurrent weights (K, 4H, H), returns every step's hidden state (K, batch, time, H). Gates in
/// torch's order (input, forget, cell, output); c = f*c + i*g, h = o*tanh(c); both states start at zero.
/// Why: written with torch's operations, a step is ~10 small operations forward and ~15 backward, each costing
/// microseconds of dispatch and autograd bookkeeping for a few hundred multiply-adds (the tutorial's trials: hidden 20,
/// batch 1). Here a whole sequence is one call each way: the same arithmetic in plain loops, equal to torch's up to
/// float rounding (sums in another order, another exp).
/// </summary>
public sealed class PackedRecurrence : SingleTensorFunction<PackedRecurrence>
{
    public override string Name => nameof(PackedRecurrence);

    /// <summary>Hidden states (K, batch, time, H) from projections (K, batch, time, 4H) and recurrent weights (K, 4H, H).</summary>
    public static Tensor Apply(Tensor projected, Tensor recurrentWeights)
    {
        if (projected.dim() != 4 || recurrentWeights.dim() != 3 || projected.size(0) != recurrentWeights.size(0)
            || projected.size(3) != recurrentWeights.size(1) || recurrentWeights.size(1) != 4 * recurrentWeights.size(2)
            || projected.dtype != ScalarType.Float32 || recurrentWeights.dtype != ScalarType.Float32)
        {
            throw new ArgumentException(
                $"projections must be float32 (K, batch, time, 4H) and recurrent weights (K, 4H, H), got ({string.Join(", ", projected.shape)}) and ({string.Join(", ", recurrentWeights.shape)})",
                nameof(projected));
        }

        return apply(projected, recurrentWeights);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var projected = ((Tensor)vars[0]).contiguous();
        var weights = ((Tensor)vars[1]).contiguous();
        var shape = new Shape(projected, weights);

        // Native buffers only: per-step managed arrays of this size land on the large-object heap, and the full
        // collections they bring cost more than the arithmetic in a busy silo.
        var output = empty([shape.Trials, shape.Batch, shape.Time, shape.Hidden], ScalarType.Float32);
        var tape = empty([shape.Sequences * shape.Time * Shape.TapeWidth(shape.Hidden)], ScalarType.Float32);
        Forward(shape, projected.Floats(), weights.Floats(), output.Floats(), tape.Floats());
        ctx.save_for_backward([output, tape, weights]);
        ctx.save_data("shape", shape);
        return output;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (output, tape, weights) = (saved[0], saved[1], saved[2]);
        var shape = (Shape)ctx.get_data("shape");
        var gradient = grad_output.contiguous();
        var projectedGradient = empty([shape.Trials, shape.Batch, shape.Time, 4 * shape.Hidden], ScalarType.Float32);
        var weightsGradient = zeros([shape.Trials, 4 * shape.Hidden, shape.Hidden], ScalarType.Float32);
        Backward(shape, output.Floats(), gradient.Floats(), tape.Floats(), weights.Floats(), projectedGradient.Floats(), weightsGradient.Floats());
        return [projectedGradient, weightsGradient];
    }

    // Fully optimised from the first call: tier-0 code of these loops is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward(Shape shape, ReadOnlySpan<float> projected, ReadOnlySpan<float> allWeights, Span<float> output, Span<float> tape)
    {
        var (h, g, width) = (shape.Hidden, 4 * shape.Hidden, Shape.TapeWidth(shape.Hidden));
        Span<float> gates = stackalloc float[g];
        for (var s = 0; s < shape.Sequences; s++)
        {
            var weights = allWeights.Slice(s / shape.Batch * g * h, g * h);
            for (var t = 0; t < shape.Time; t++)
            {
                var at = s * shape.Time + t;
                var projection = projected.Slice(at * g, g);
                if (t == 0)
                {
                    projection.CopyTo(gates);
                }
                else
                {
                    // W_hh h(t-1), then the projection added: torch's order of the two.
                    var previous = output.Slice((at - 1) * h, h);
                    for (var r = 0; r < g; r++)
                    {
                        gates[r] = Dot(weights.Slice(r * h, h), previous) + projection[r];
                    }
                }

                // The tape keeps i, f, g, o, c and tanh(c) of every step for backward.
                var step = tape.Slice(at * width, width);
                var hidden = output.Slice(at * h, h);
                for (var u = 0; u < h; u++)
                {
                    var (i, f, cell, o) = (Sigmoid(gates[u]), Sigmoid(gates[h + u]), MathF.Tanh(gates[2 * h + u]), Sigmoid(gates[3 * h + u]));
                    var c = t > 0 ? f * tape[((at - 1) * width) + 4 * h + u] + i * cell : i * cell;
                    var tanhC = MathF.Tanh(c);
                    (step[u], step[h + u], step[2 * h + u], step[3 * h + u], step[4 * h + u], step[5 * h + u]) = (i, f, cell, o, c, tanhC);
                    hidden[u] = o * tanhC;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward(
        Shape shape, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> tape, ReadOnlySpan<float> allWeights,
        Span<float> projectedGradient, Span<float> allWeightsGradient)
    {
        var (h, g, width) = (shape.Hidden, 4 * shape.Hidden, Shape.TapeWidth(shape.Hidden));
        Span<float> hiddenNext = stackalloc float[h];
        Span<float> cellNext = stackalloc float[h];
        for (var s = 0; s < shape.Sequences; s++)
        {
            var weights = allWeights.Slice(s / shape.Batch * g * h, g * h);
            var weightsGradient = allWeightsGradient.Slice(s / shape.Batch * g * h, g * h);
            hiddenNext.Clear();
            cellNext.Clear();
            for (var t = shape.Time - 1; t >= 0; t--)
            {
                var at = s * shape.Time + t;
                var step = tape.Slice(at * width, width);
                var gates = projectedGradient.Slice(at * g, g);
                var incoming = outputGradient.Slice(at * h, h);
                for (var u = 0; u < h; u++)
                {
                    var (i, f, cell, o, tanhC) = (step[u], step[h + u], step[2 * h + u], step[3 * h + u], step[5 * h + u]);
                    var dh = incoming[u] + hiddenNext[u];
                    var dc = dh * o * (1 - tanhC * tanhC) + cellNext[u];
                    var previousC = t > 0 ? tape[((at - 1) * width) + 4 * h + u] : 0f;
                    gates[u] = dc * cell * i * (1 - i);
                    gates[h + u] = dc * previousC * f * (1 - f);
                    gates[2 * h + u] = dc * i * (1 - cell * cell);
                    gates[3 * h + u] = dh * tanhC * o * (1 - o);
                    cellNext[u] = dc * f;
                }

                // h(t-1) receives W_hh^T dgates and W_hh's gradient gains dgates h(t-1)^T (nothing at t = 0: h(-1) = 0).
                if (t > 0)
                {
                    var previous = output.Slice((at - 1) * h, h);
                    hiddenNext.Clear();
                    for (var r = 0; r < g; r++)
                    {
                        Axpy(gates[r], weights.Slice(r * h, h), hiddenNext);
                        Axpy(gates[r], previous, weightsGradient.Slice(r * h, h));
                    }
                }
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>y += a x</summary>
    private static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var lanes = Vector<float>.Count;
        var scale = new Vector<float>(a);
        var i = 0;
        for (; i <= x.Length - lanes; i += lanes)
        {
            (new Vector<float>(y[i..]) + scale * new Vector<float>(x[i..])).CopyTo(y[i..]);
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var lanes = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= x.Length - lanes; i += lanes)
        {
            sum += new Vector<float>(x[i..]) * new Vector<float>(y[i..]);
        }

        var total = Vector.Sum(sum);
        for (; i < x.Length; i++)
        {
            total += x[i] * y[i];
        }

        return total;
    }

    private sealed record Shape(int Trials, int Batch, int Time, int Hidden)
    {
        public Shape(Tensor projected, Tensor weights)
            : this((int)projected.size(0), (int)projected.size(1), (int)projected.size(2), (int)weights.size(2))
        {
        }

        /// <summary>Sequences in all: each trial's batch.</summary>
        public int Sequences => Trials * Batch;

        /// <summary>Per step on the tape: i, f, g, o, c, tanh(c).</summary>
        public static int TapeWidth(int hidden) => 6 * hidden;
    }
}
