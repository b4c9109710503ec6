using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Packing;

/// <summary>
/// One optimizer step of one packed cumsum trial — the LSTM reader(s), merge, one-unit head, binary cross-entropy on
/// logits, backpropagation through time and the trial's optimizer (Keras' Adam, RMSprop or SGD) — as plain loops over
/// the trial's own slice of the pack's parameters, with no torch operation in between.
/// Why: at the tutorial's size (hidden 20, 10 timesteps, batch 1) a trial's step is ~0.2 MFLOP, while each torch
/// operation costs microseconds of dispatch, and a packed step written with them (input projection, merge, head, loss,
/// Adam: ~80 operations) cost more than the arithmetic of 16 trials. Here a step costs its arithmetic, vectorised along
/// the gates and parameters. Equal to <see cref="Training.TrainingSession"/>'s torch step up to float rounding (sums in another
/// order, another exp); <c>PackedSessionTests</c> hold every variant to its own curve.
/// </summary>
/// <remarks>
/// Parameters of a trial, as one flat vector in the order <see cref="PackedSession"/> stacks them: per reader
/// W_ih (4H x 1), W_hh transposed (H x 4H: a step's gates are then axpys along the gates, and its gradient is summed
/// in the same layout), b_ih (4H), b_hh (4H); then the head's weight (width) and bias (1).
/// Gates in torch's order (input, forget, cell, output). Scratch buffers are made once per pack and reused.
/// </remarks>
internal sealed class PackedStepKernel
{
    // The pack's optimizer (its members share it: it is part of the pack key), its settings as float32 like the torch step's.
    private readonly OptimizerSettings _optimizer;
    private readonly float _rho;
    private readonly float _oneMinusRho;
    private readonly float _momentum;
    private readonly float _beta1;
    private readonly float _beta2;
    private readonly float _oneMinusBeta1;
    private readonly float _oneMinusBeta2;
    private readonly float _epsilon;

    /// <summary>Per step on a reader's tape: i, f, g, o, c, tanh(c), h.</summary>
    private const int TapeFields = 7;

    private readonly int _hidden;
    private readonly int _batch;
    private readonly int _time;
    private readonly int _readers;
    private readonly bool _concat;

    private readonly float[] _tapes;
    private readonly float[] _features; // per (sequence, t): the head's input
    private readonly float[] _featureGradients;
    private readonly float[] _hiddenGradients; // per reader, per (sequence, t): dL/dh from the head
    private readonly float[] _gates;
    private readonly float[] _hiddenNext;
    private readonly float[] _cellNext;
    private readonly float[] _zeros;

    public PackedStepKernel(int hidden, int batch, int time, bool bidirectional, bool concat, OptimizerSettings optimizer)
    {
        _optimizer = optimizer;
        (_beta1, _beta2, _epsilon) = ((float)optimizer.Beta1, (float)optimizer.Beta2, (float)optimizer.Epsilon);
        (_oneMinusBeta1, _oneMinusBeta2) = ((float)(1 - optimizer.Beta1), (float)(1 - optimizer.Beta2));
        (_rho, _oneMinusRho, _momentum) = ((float)optimizer.Rho, (float)(1 - optimizer.Rho), (float)optimizer.Momentum);
        (_hidden, _batch, _time, _readers, _concat) = (hidden, batch, time, bidirectional ? 2 : 1, bidirectional && concat);
        var gates = 4 * hidden;
        ParameterCount = (_readers * ((gates * (1 + hidden)) + (2 * gates))) + Width + 1;
        Gradients = new float[ParameterCount];
        Parameters = new float[ParameterCount];
        _tapes = new float[_readers * batch * time * TapeFields * hidden];
        _features = new float[batch * time * Width];
        _featureGradients = new float[batch * time * Width];
        _hiddenGradients = new float[_readers * batch * time * hidden];
        _gates = new float[gates];
        _hiddenNext = new float[hidden];
        _cellNext = new float[hidden];
        _zeros = new float[hidden];
    }

    /// <summary>Floats in one trial's flat parameter vector.</summary>
    public int ParameterCount { get; }

    /// <summary>The head's input per timestep: 2H for concat, else H.</summary>
    public int Width => _concat ? 2 * _hidden : _hidden;

    /// <summary>The trial being stepped: its parameters, copied in by the caller before <see cref="Step"/>.</summary>
    public float[] Parameters { get; }

    /// <summary>The last step's gradient of the trial's mean loss, in the layout of <see cref="Parameters"/>.</summary>
    public float[] Gradients { get; }

    /// <summary>
    /// Forward and backward of the trial whose parameters are in <see cref="Parameters"/> on its batch (values and labels
    /// (batch, time)); fills <see cref="Gradients"/>. A one-way trial reading backwards has <paramref name="reverse"/>;
    /// a bidirectional one merges its readers f, b as <paramref name="sum"/>(f + b) + <paramref name="product"/>(f * b)
    /// unless it concatenates. Returns the mean loss and the number of labels predicted right.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (float Loss, int Hits) Step(ReadOnlySpan<float> values, ReadOnlySpan<float> labels, bool reverse, float sum, float product)
    {
        var (h, width) = (_hidden, Width);
        Array.Clear(Gradients);
        for (var reader = 0; reader < _readers; reader++)
        {
            Forward(reader, values, reverse ^ (reader == 1));
        }

        // The head: one logit per timestep, its binary cross-entropy, and the gradients of their mean.
        var head = Parameters.AsSpan(ParameterCount - width - 1, width);
        var bias = Parameters[ParameterCount - 1];
        var headGradient = Gradients.AsSpan(ParameterCount - width - 1, width);
        var count = _batch * _time;
        // Summed in float32 as torch's mean is: a trial whose losses overflow it diverges here as it does alone.
        var loss = 0f;
        var hits = 0;
        float biasGradient = 0;
        for (var at = 0; at < count; at++)
        {
            var feature = _features.AsSpan(at * width, width);
            Merge(at, feature, sum, product);
            var logit = Dot(head, feature) + bias;
            var label = labels[at];

            // max(z, 0) - z y + log(1 + exp(-|z|)): finite for any z.
            loss += Math.Max(logit, 0f) - (logit * label) + MathF.Log(1f + MathF.Exp(-MathF.Abs(logit)));
            hits += (logit > 0) == (label > 0.5f) ? 1 : 0;
            var gradient = (Sigmoid(logit) - label) / count;
            Axpy(gradient, feature, headGradient);
            biasGradient += gradient;
            var featureGradient = _featureGradients.AsSpan(at * width, width);
            head.CopyTo(featureGradient);
            Scale(featureGradient, gradient);
            Unmerge(at, featureGradient, sum, product);
        }

        Gradients[ParameterCount - 1] = biasGradient;
        for (var reader = 0; reader < _readers; reader++)
        {
            Backward(reader, values, reverse ^ (reader == 1));
        }

        return (loss / count, hits);
    }

    /// <summary>
    /// The held-out score of the trial whose parameters are in <see cref="Parameters"/>: forward only, one sequence at a
    /// time (this kernel's batch is one), over <paramref name="values"/> and <paramref name="labels"/> (sequences x
    /// time). Returns the sum over sequences of each one's mean loss over its timesteps, and the labels predicted right.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double LossSum, int Hits) Score(ReadOnlySpan<float> values, ReadOnlySpan<float> labels, bool reverse, float sum, float product)
    {
        if (_batch != 1)
        {
            throw new InvalidOperationException("a kernel scores with a batch of one");
        }

        var width = Width;
        var head = Parameters.AsSpan(ParameterCount - width - 1, width);
        var bias = Parameters[ParameterCount - 1];
        double lossSum = 0;
        var hits = 0;
        for (var sequence = 0; sequence < values.Length / _time; sequence++)
        {
            var x = values.Slice(sequence * _time, _time);
            for (var reader = 0; reader < _readers; reader++)
            {
                Forward(reader, x, reverse ^ (reader == 1));
            }

            var loss = 0f;
            for (var t = 0; t < _time; t++)
            {
                var feature = _features.AsSpan(t * width, width);
                Merge(t, feature, sum, product);
                var logit = Dot(head, feature) + bias;
                var label = labels[(sequence * _time) + t];
                loss += Math.Max(logit, 0f) - (logit * label) + MathF.Log(1f + MathF.Exp(-MathF.Abs(logit)));
                hits += (logit > 0) == (label > 0.5f) ? 1 : 0;
            }

            lossSum += loss / _time;
        }

        return (lossSum, hits);
    }

    /// <summary>
    /// Step <paramref name="step"/> (1-based) of the pack's optimizer on one trial's slice, as <see cref="Training.UpdateRule"/>
    /// computes it with torch: <paramref name="first"/> and <paramref name="second"/> are the rule's slots (Adam: m and
    /// v; RMSprop: v and its momentum buffer; SGD: its momentum buffer and, unused, the second).
    /// </summary>
    public void Update(Span<float> parameters, Span<float> first, Span<float> second, ReadOnlySpan<float> gradients, double learningRate, long step)
    {
        switch (_optimizer.Kind)
        {
            case OptimizerKind.Adam:
                // The step size computed in double, as a single trial's rule does, then applied in float32.
                Adam(parameters, first, second, gradients, (float)-KerasAdamRule.StepSize(learningRate, _optimizer, step));
                break;
            case OptimizerKind.RmsProp:
                RmsProp(parameters, first, second, gradients, (float)learningRate);
                break;
            default:
                Sgd(parameters, first, gradients, (float)learningRate);
                break;
        }
    }

    /// <summary>
    /// Keras' Adam: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g², p += step m / (sqrt(v) + eps), where
    /// <paramref name="stepSize"/> is minus the learning rate with the bias correction folded in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Adam(Span<float> parameters, Span<float> first, Span<float> second, ReadOnlySpan<float> gradients, float stepSize)
    {
        var (beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon) = (_beta1, _beta2, _oneMinusBeta1, _oneMinusBeta2, _epsilon);
        var epsilons = new Vector<float>(epsilon);
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= parameters.Length - lanes; i += lanes)
        {
            var g = new Vector<float>(gradients[i..]);
            var m = (new Vector<float>(first[i..]) * beta1) + (g * oneMinusBeta1);
            var v = (new Vector<float>(second[i..]) * beta2) + (g * oneMinusBeta2 * g);
            m.CopyTo(first[i..]);
            v.CopyTo(second[i..]);
            (new Vector<float>(parameters[i..]) + (m * stepSize / (Vector.SquareRoot(v) + epsilons))).CopyTo(parameters[i..]);
        }

        for (; i < parameters.Length; i++)
        {
            var g = gradients[i];
            first[i] = (first[i] * beta1) + (g * oneMinusBeta1);
            second[i] = (second[i] * beta2) + (g * oneMinusBeta2 * g);
            parameters[i] += first[i] * stepSize / (MathF.Sqrt(second[i]) + epsilon);
        }
    }

    /// <summary>Keras' RMSprop: v = rho v + (1 - rho) g², b = momentum b + lr g / sqrt(v + eps), p -= b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RmsProp(Span<float> parameters, Span<float> velocity, Span<float> buffer, ReadOnlySpan<float> gradients, float learningRate)
    {
        var (rho, oneMinusRho, epsilon, momentum) = (_rho, _oneMinusRho, _epsilon, _momentum);
        var epsilons = new Vector<float>(epsilon);
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= parameters.Length - lanes; i += lanes)
        {
            var g = new Vector<float>(gradients[i..]);
            var v = (new Vector<float>(velocity[i..]) * rho) + (g * oneMinusRho * g);
            var b = (new Vector<float>(buffer[i..]) * momentum) + (g * learningRate / Vector.SquareRoot(v + epsilons));
            v.CopyTo(velocity[i..]);
            b.CopyTo(buffer[i..]);
            (new Vector<float>(parameters[i..]) - b).CopyTo(parameters[i..]);
        }

        for (; i < parameters.Length; i++)
        {
            var g = gradients[i];
            velocity[i] = (velocity[i] * rho) + (g * oneMinusRho * g);
            buffer[i] = (buffer[i] * momentum) + (g * learningRate / MathF.Sqrt(velocity[i] + epsilon));
            parameters[i] -= buffer[i];
        }
    }

    /// <summary>Keras' SGD: m = momentum m - lr g, p += m (Nesterov: p += momentum m - lr g).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sgd(Span<float> parameters, Span<float> velocity, ReadOnlySpan<float> gradients, float learningRate)
    {
        var (momentum, nesterov, minusRate) = (_momentum, _optimizer.Nesterov, -learningRate);
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= parameters.Length - lanes; i += lanes)
        {
            var g = new Vector<float>(gradients[i..]);
            var m = (new Vector<float>(velocity[i..]) * momentum) + (g * minusRate);
            m.CopyTo(velocity[i..]);
            var p = new Vector<float>(parameters[i..]) + (nesterov ? m * momentum : m);
            (nesterov ? p + (g * minusRate) : p).CopyTo(parameters[i..]);
        }

        for (; i < parameters.Length; i++)
        {
            var g = gradients[i];
            velocity[i] = (velocity[i] * momentum) + (g * minusRate);
            parameters[i] = nesterov ? parameters[i] + (velocity[i] * momentum) + (g * minusRate) : parameters[i] + velocity[i];
        }
    }

    private int ReaderOffset(int reader) => reader * ((4 * _hidden * (1 + _hidden)) + (8 * _hidden));

    private Span<float> Input(Span<float> flat, int reader) => flat.Slice(ReaderOffset(reader), 4 * _hidden);

    private Span<float> Recurrent(Span<float> flat, int reader) => flat.Slice(ReaderOffset(reader) + (4 * _hidden), 4 * _hidden * _hidden);

    private Span<float> InputBias(Span<float> flat, int reader) => flat.Slice(ReaderOffset(reader) + (4 * _hidden * (1 + _hidden)), 4 * _hidden);

    private Span<float> HiddenBias(Span<float> flat, int reader) => flat.Slice(ReaderOffset(reader) + (4 * _hidden * (2 + _hidden)), 4 * _hidden);

    private Span<float> Tape(int reader, int sequence, int t) =>
        _tapes.AsSpan((((reader * _batch) + sequence) * _time + t) * TapeFields * _hidden, TapeFields * _hidden);

    /// <summary>One reader over every sequence, in its reading order; its tape is kept by input position.</summary>
    private void Forward(int reader, ReadOnlySpan<float> values, bool reverse)
    {
        var (h, g) = (_hidden, 4 * _hidden);
        var input = Input(Parameters, reader);
        var inputBias = InputBias(Parameters, reader);
        var hiddenBias = HiddenBias(Parameters, reader);
        var transposed = Recurrent(Parameters, reader);
        var gates = _gates.AsSpan();
        for (var sequence = 0; sequence < _batch; sequence++)
        {
            var previous = -1;
            for (var s = 0; s < _time; s++)
            {
                var t = reverse ? _time - 1 - s : s;
                var x = values[(sequence * _time) + t];
                for (var r = 0; r < g; r++)
                {
                    gates[r] = (x * input[r]) + inputBias[r] + hiddenBias[r];
                }

                if (previous >= 0)
                {
                    AccumulateRows(Tape(reader, sequence, previous).Slice(6 * h, h), transposed, gates);
                }

                var step = Tape(reader, sequence, t);
                gates.CopyTo(step);
                Sigmoid(step[..(2 * h)]);
                Tanh(step.Slice(2 * h, h));
                Sigmoid(step.Slice(3 * h, h));
                ReadOnlySpan<float> cellsBefore = previous >= 0 ? Tape(reader, sequence, previous).Slice(4 * h, h) : _zeros;
                States(step, cellsBefore);
                previous = t;
            }
        }
    }

    /// <summary>The head's input at (sequence, t): the reader's h, both concatenated, or sum (f + b) + product (f * b).</summary>
    private void Merge(int at, Span<float> feature, float sum, float product)
    {
        var h = _hidden;
        var (sequence, t) = (at / _time, at % _time);
        var forwards = Tape(0, sequence, t).Slice(6 * h, h);
        if (_readers == 1)
        {
            forwards.CopyTo(feature);
            return;
        }

        var backwards = Tape(1, sequence, t).Slice(6 * h, h);
        if (_concat)
        {
            forwards.CopyTo(feature);
            backwards.CopyTo(feature[h..]);
            return;
        }

        for (var u = 0; u < h; u++)
        {
            feature[u] = (sum * (forwards[u] + backwards[u])) + (product * forwards[u] * backwards[u]);
        }
    }

    /// <summary>The head input's gradient at (sequence, t) handed to each reader's h.</summary>
    private void Unmerge(int at, ReadOnlySpan<float> featureGradient, float sum, float product)
    {
        var h = _hidden;
        var (sequence, t) = (at / _time, at % _time);
        var forwards = _hiddenGradients.AsSpan(at * h, h);
        if (_readers == 1)
        {
            featureGradient.CopyTo(forwards);
            return;
        }

        var backwards = _hiddenGradients.AsSpan(((_batch * _time) + at) * h, h);
        if (_concat)
        {
            featureGradient[..h].CopyTo(forwards);
            featureGradient.Slice(h, h).CopyTo(backwards);
            return;
        }

        var f = Tape(0, sequence, t).Slice(6 * h, h);
        var b = Tape(1, sequence, t).Slice(6 * h, h);
        for (var u = 0; u < h; u++)
        {
            forwards[u] = featureGradient[u] * (sum + (product * b[u]));
            backwards[u] = featureGradient[u] * (sum + (product * f[u]));
        }
    }

    /// <summary>Backpropagation through time of one reader: from the last step it read back to its first.</summary>
    private void Backward(int reader, ReadOnlySpan<float> values, bool reverse)
    {
        var (h, g) = (_hidden, 4 * _hidden);
        var transposed = Recurrent(Parameters, reader);
        var recurrentGradient = Recurrent(Gradients, reader);
        var inputGradient = Input(Gradients, reader);
        var inputBiasGradient = InputBias(Gradients, reader);
        var gates = _gates.AsSpan();
        var hiddenNext = _hiddenNext.AsSpan();
        var cellNext = _cellNext.AsSpan();
        for (var sequence = 0; sequence < _batch; sequence++)
        {
            hiddenNext.Clear();
            cellNext.Clear();
            for (var s = _time - 1; s >= 0; s--)
            {
                var t = reverse ? _time - 1 - s : s;
                var previous = s == 0 ? -1 : reverse ? t + 1 : t - 1;
                var step = Tape(reader, sequence, t);
                var incoming = _hiddenGradients.AsSpan((((reader * _batch) + sequence) * _time + t) * h, h);
                ReadOnlySpan<float> cellsBefore = previous >= 0 ? Tape(reader, sequence, previous).Slice(4 * h, h) : _zeros;
                GateGradients(step, incoming, cellsBefore, hiddenNext, cellNext, gates);

                // Both biases and the input weights (one input) see the gates' gradient as it is.
                Axpy(values[(sequence * _time) + t], gates, inputGradient);
                Axpy(1f, gates, inputBiasGradient);
                if (previous >= 0)
                {
                    // h(t-1) receives W_hh^T dgates; W_hh's gradient gains dgates h(t-1)^T (kept transposed, like W_hh here).
                    RowDotsAndUpdates(transposed, gates, Tape(reader, sequence, previous).Slice(6 * h, h), hiddenNext, recurrentGradient);
                }
            }
        }

        inputBiasGradient.CopyTo(HiddenBias(Gradients, reader));
    }

    /// <summary>A step's c = f c(t-1) + i g, tanh(c) and h = o tanh(c), onto its tape (i, f, g, o already there).</summary>
    private void States(Span<float> step, ReadOnlySpan<float> cellsBefore)
    {
        var (h, lanes) = (_hidden, Vector<float>.Count);
        Check(step.Length >= 7 * h && cellsBefore.Length >= h);
        if (h < lanes)
        {
            for (var u = 0; u < h; u++)
            {
                var c = (step[h + u] * cellsBefore[u]) + (step[u] * step[(2 * h) + u]);
                var tanhC = Tanh(c);
                (step[(4 * h) + u], step[(5 * h) + u], step[(6 * h) + u]) = (c, tanhC, step[(3 * h) + u] * tanhC);
            }

            return;
        }

        ref var s = ref MemoryMarshal.GetReference(step);
        ref var before = ref MemoryMarshal.GetReference(cellsBefore);
        var H = (nuint)h;

        // Whole vectors, the last one overlapping the one before where h is not a multiple of the lanes: its outputs
        // are not its inputs, so elements computed twice come out the same.
        for (var u = 0; ; u = Math.Min(u + lanes, h - lanes))
        {
            var at = (nuint)u;
            var c = (Vector.LoadUnsafe(ref s, H + at) * Vector.LoadUnsafe(ref before, at)) + (Vector.LoadUnsafe(ref s, at) * Vector.LoadUnsafe(ref s, (2 * H) + at));
            var tanhC = Tanh(c);
            c.StoreUnsafe(ref s, (4 * H) + at);
            tanhC.StoreUnsafe(ref s, (5 * H) + at);
            (Vector.LoadUnsafe(ref s, (3 * H) + at) * tanhC).StoreUnsafe(ref s, (6 * H) + at);
            if (u == h - lanes)
            {
                break;
            }
        }
    }

    /// <summary>
    /// A step's gate gradients from dL/dh (the head's plus the next step's) and dL/dc carried back; leaves dL/dc(t-1)
    /// in <paramref name="cellNext"/>.
    /// </summary>
    private void GateGradients(
        ReadOnlySpan<float> step, ReadOnlySpan<float> incoming, ReadOnlySpan<float> cellsBefore, ReadOnlySpan<float> hiddenNext,
        Span<float> cellNext, Span<float> gates)
    {
        var (h, lanes) = (_hidden, Vector<float>.Count);
        Check(step.Length >= 6 * h && incoming.Length >= h && cellsBefore.Length >= h && hiddenNext.Length >= h && cellNext.Length >= h && gates.Length >= 4 * h);
        if (h < lanes)
        {
            for (var u = 0; u < h; u++)
            {
                var (i, f, cell, o, tanhC) = (step[u], step[h + u], step[(2 * h) + u], step[(3 * h) + u], step[(5 * h) + u]);
                var dh = incoming[u] + hiddenNext[u];
                var dc = (dh * o * (1 - (tanhC * tanhC))) + cellNext[u];
                gates[u] = dc * cell * i * (1 - i);
                gates[h + u] = dc * cellsBefore[u] * f * (1 - f);
                gates[(2 * h) + u] = dc * i * (1 - (cell * cell));
                gates[(3 * h) + u] = dh * tanhC * o * (1 - o);
                cellNext[u] = dc * f;
            }

            return;
        }

        // dL/dc is read and written in place: the last (overlapping) vector is computed before the others overwrite its
        // inputs and stored after them, so elements computed twice come out the same.
        var last = GateGradients(h - lanes, h, step, incoming, cellsBefore, hiddenNext, cellNext);
        for (var u = 0; u < h - lanes; u += lanes)
        {
            GateGradients(u, h, step, incoming, cellsBefore, hiddenNext, cellNext).Store(u, h, gates, cellNext);
        }

        last.Store(h - lanes, h, gates, cellNext);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GateGradientVectors GateGradients(
        int u, int h, ReadOnlySpan<float> step, ReadOnlySpan<float> incoming, ReadOnlySpan<float> cellsBefore, ReadOnlySpan<float> hiddenNext, ReadOnlySpan<float> cellNext)
    {
        var one = Vector<float>.One;
        ref var s = ref MemoryMarshal.GetReference(step);
        var (at, H) = ((nuint)u, (nuint)h);
        var (i, f, cell) = (Vector.LoadUnsafe(ref s, at), Vector.LoadUnsafe(ref s, H + at), Vector.LoadUnsafe(ref s, (2 * H) + at));
        var (o, tanhC) = (Vector.LoadUnsafe(ref s, (3 * H) + at), Vector.LoadUnsafe(ref s, (5 * H) + at));
        var dh = Vector.LoadUnsafe(ref MemoryMarshal.GetReference(incoming), at) + Vector.LoadUnsafe(ref MemoryMarshal.GetReference(hiddenNext), at);
        var dc = (dh * o * (one - (tanhC * tanhC))) + Vector.LoadUnsafe(ref MemoryMarshal.GetReference(cellNext), at);
        return new GateGradientVectors(
            dc * cell * i * (one - i),
            dc * Vector.LoadUnsafe(ref MemoryMarshal.GetReference(cellsBefore), at) * f * (one - f),
            dc * i * (one - (cell * cell)),
            dh * tanhC * o * (one - o),
            dc * f);
    }

    /// <summary>One vector of a step's four gate gradients and of dL/dc(t-1).</summary>
    private readonly record struct GateGradientVectors(Vector<float> Input, Vector<float> Forget, Vector<float> Cell, Vector<float> Output, Vector<float> CellBefore)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int u, int h, Span<float> gates, Span<float> cellNext)
        {
            ref var g = ref MemoryMarshal.GetReference(gates);
            var (at, H) = ((nuint)u, (nuint)h);
            Input.StoreUnsafe(ref g, at);
            Forget.StoreUnsafe(ref g, H + at);
            Cell.StoreUnsafe(ref g, (2 * H) + at);
            Output.StoreUnsafe(ref g, (3 * H) + at);
            CellBefore.StoreUnsafe(ref MemoryMarshal.GetReference(cellNext), at);
        }
    }

    /// <summary>A rows x columns matrix into its columns x rows transpose (W_hh to the kernel's layout and back).</summary>
    public static void Transpose(ReadOnlySpan<float> matrix, Span<float> transposed, int rows, int columns)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>In place; 1 / (1 + exp(-x)) saturates to 0 and 1 without overflow trouble, and NaN stays NaN.</summary>
    private static void Sigmoid(Span<float> x)
    {
        if (x.Length < Vector<float>.Count)
        {
            foreach (ref var value in x)
            {
                value = Sigmoid(value);
            }

            return;
        }

        InPlace<SigmoidFunction>(x);
    }

    /// <summary>In place, as 1 - 2 / (exp(2x) + 1): exact limits at both ends (exp overflowing to infinity gives 1).</summary>
    private static void Tanh(Span<float> x)
    {
        if (x.Length < Vector<float>.Count)
        {
            foreach (ref var value in x)
            {
                value = Tanh(value);
            }

            return;
        }

        InPlace<TanhFunction>(x);
    }

    /// <summary>
    /// x = f(x) by whole vectors (at least one): where the length is not a multiple of the lanes, the last vector
    /// overlaps the one before, and is computed from the inputs before they are overwritten and stored last.
    /// </summary>
    private static void InPlace<TFunction>(Span<float> x)
        where TFunction : IVectorFunction
    {
        var (lanes, n) = (Vector<float>.Count, x.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        var last = (nuint)(n - lanes);
        var tail = TFunction.Apply(Vector.LoadUnsafe(ref xs, last));
        for (var i = 0; i < n - lanes; i += lanes)
        {
            TFunction.Apply(Vector.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref xs, (nuint)i);
        }

        tail.StoreUnsafe(ref xs, last);
    }

    /// <summary>An elementwise function of a vector (a struct type argument, so the call is inlined).</summary>
    private interface IVectorFunction
    {
        static abstract Vector<float> Apply(Vector<float> x);
    }

    private readonly struct SigmoidFunction : IVectorFunction
    {
        public static Vector<float> Apply(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));
    }

    private readonly struct TanhFunction : IVectorFunction
    {
        public static Vector<float> Apply(Vector<float> x) => Tanh(x);
    }

    private static Vector<float> Tanh(Vector<float> x) => Vector<float>.One - (new Vector<float>(2f) / (Vector.Exp(x + x) + Vector<float>.One));

    private static float Tanh(float x) => 1f - (2f / (MathF.Exp(x + x) + 1f));

    private static void Scale(Span<float> x, float a)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    /// <summary>y += a x</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(y.Length >= x.Length);
        var (lanes, n) = (Vector<float>.Count, x.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var scale = new Vector<float>(a);
        var i = 0;
        for (; i <= n - lanes; i += lanes)
        {
            (Vector.LoadUnsafe(ref ys, (nuint)i) + (scale * Vector.LoadUnsafe(ref xs, (nuint)i))).StoreUnsafe(ref ys, (nuint)i);
        }

        for (; i < n; i++)
        {
            y[i] += a * x[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Check(y.Length >= x.Length);
        var (lanes, n) = (Vector<float>.Count, x.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= n - lanes; i += lanes)
        {
            sum += Vector.LoadUnsafe(ref xs, (nuint)i) * Vector.LoadUnsafe(ref ys, (nuint)i);
        }

        var total = Vector.Sum(sum);
        for (; i < n; i++)
        {
            total += x[i] * y[i];
        }

        return total;
    }

    /// <summary>
    /// <paramref name="target"/> += sum over u of <paramref name="coefficients"/>[u] times row u of <paramref name="rows"/>
    /// (rows as long as the target), added row after row: the sums of one axpy per row, with each block of the target
    /// held in registers across the rows rather than loaded and stored once per row.
    /// </summary>
    private static void AccumulateRows(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, Span<float> target)
    {
        var (lanes, n, count) = (Vector<float>.Count, target.Length, coefficients.Length);
        Check(rows.Length >= count * n);
        ref var w = ref MemoryMarshal.GetReference(rows);
        ref var y = ref MemoryMarshal.GetReference(target);
        ref var c = ref MemoryMarshal.GetReference(coefficients);
        var i = 0;
        for (; i <= n - (4 * lanes); i += 4 * lanes)
        {
            var (at0, at1, at2, at3) = ((nuint)i, (nuint)(i + lanes), (nuint)(i + (2 * lanes)), (nuint)(i + (3 * lanes)));
            var (y0, y1, y2, y3) = (Vector.LoadUnsafe(ref y, at0), Vector.LoadUnsafe(ref y, at1), Vector.LoadUnsafe(ref y, at2), Vector.LoadUnsafe(ref y, at3));
            for (var u = 0; u < count; u++)
            {
                var scale = new Vector<float>(Unsafe.Add(ref c, u));
                ref var row = ref Unsafe.Add(ref w, u * n);
                y0 += scale * Vector.LoadUnsafe(ref row, at0);
                y1 += scale * Vector.LoadUnsafe(ref row, at1);
                y2 += scale * Vector.LoadUnsafe(ref row, at2);
                y3 += scale * Vector.LoadUnsafe(ref row, at3);
            }

            y0.StoreUnsafe(ref y, at0);
            y1.StoreUnsafe(ref y, at1);
            y2.StoreUnsafe(ref y, at2);
            y3.StoreUnsafe(ref y, at3);
        }

        for (; i <= n - lanes; i += lanes)
        {
            var y0 = Vector.LoadUnsafe(ref y, (nuint)i);
            for (var u = 0; u < count; u++)
            {
                y0 += new Vector<float>(Unsafe.Add(ref c, u)) * Vector.LoadUnsafe(ref Unsafe.Add(ref w, u * n), (nuint)i);
            }

            y0.StoreUnsafe(ref y, (nuint)i);
        }

        for (; i < n; i++)
        {
            for (var u = 0; u < count; u++)
            {
                target[i] += coefficients[u] * rows[(u * n) + i];
            }
        }
    }

    /// <summary>
    /// For each row u of <paramref name="rows"/> (rows as long as <paramref name="vector"/>): <paramref name="dots"/>[u] =
    /// row u . vector, and row u of <paramref name="updated"/> += <paramref name="coefficients"/>[u] vector, in one pass
    /// over the vector; the same sums as a dot and an axpy per row.
    /// </summary>
    private static void RowDotsAndUpdates(ReadOnlySpan<float> rows, ReadOnlySpan<float> vector, ReadOnlySpan<float> coefficients, Span<float> dots, Span<float> updated)
    {
        var (lanes, n, count) = (Vector<float>.Count, vector.Length, coefficients.Length);
        Check(rows.Length >= count * n && updated.Length >= count * n && dots.Length >= count);
        ref var x = ref MemoryMarshal.GetReference(vector);
        for (var u = 0; u < count; u++)
        {
            ref var row = ref Unsafe.AsRef(in rows[u * n]);
            ref var target = ref updated[u * n];
            var coefficient = coefficients[u];
            var scale = new Vector<float>(coefficient);
            var sum = Vector<float>.Zero;
            var i = 0;
            for (; i <= n - lanes; i += lanes)
            {
                var xi = Vector.LoadUnsafe(ref x, (nuint)i);
                sum += Vector.LoadUnsafe(ref row, (nuint)i) * xi;
                (Vector.LoadUnsafe(ref target, (nuint)i) + (scale * xi)).StoreUnsafe(ref target, (nuint)i);
            }

            var total = Vector.Sum(sum);
            for (; i < n; i++)
            {
                total += Unsafe.Add(ref row, i) * vector[i];
                Unsafe.Add(ref target, i) += coefficient * vector[i];
            }

            dots[u] = total;
        }
    }

    /// <summary>The unchecked loads above rely on the lengths checked here, once per call.</summary>
    private static void Check(bool lengthsFit)
    {
        if (!lengthsFit)
        {
            throw new ArgumentException("spans shorter than the kernel's shapes");
        }
    }
}
