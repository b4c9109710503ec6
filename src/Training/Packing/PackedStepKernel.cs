using System.Numerics;
using System.Runtime.CompilerServices;
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
                    var before = Tape(reader, sequence, previous).Slice(6 * h, h);
                    for (var u = 0; u < h; u++)
                    {
                        Axpy(before[u], transposed.Slice(u * g, g), gates);
                    }
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
                    var before = Tape(reader, sequence, previous).Slice(6 * h, h);
                    for (var u = 0; u < h; u++)
                    {
                        hiddenNext[u] = Dot(transposed.Slice(u * g, g), gates);
                        Axpy(before[u], gates, recurrentGradient.Slice(u * g, g));
                    }
                }
            }
        }

        inputBiasGradient.CopyTo(HiddenBias(Gradients, reader));
    }

    /// <summary>A step's c = f c(t-1) + i g, tanh(c) and h = o tanh(c), onto its tape (i, f, g, o already there).</summary>
    private void States(Span<float> step, ReadOnlySpan<float> cellsBefore)
    {
        var (h, lanes) = (_hidden, Vector<float>.Count);
        var u = 0;
        for (; u <= h - lanes; u += lanes)
        {
            var c = (new Vector<float>(step[(h + u)..]) * new Vector<float>(cellsBefore[u..])) + (new Vector<float>(step[u..]) * new Vector<float>(step[((2 * h) + u)..]));
            var tanhC = Tanh(c);
            c.CopyTo(step[((4 * h) + u)..]);
            tanhC.CopyTo(step[((5 * h) + u)..]);
            (new Vector<float>(step[((3 * h) + u)..]) * tanhC).CopyTo(step[((6 * h) + u)..]);
        }

        for (; u < h; u++)
        {
            var c = (step[h + u] * cellsBefore[u]) + (step[u] * step[(2 * h) + u]);
            var tanhC = Tanh(c);
            (step[(4 * h) + u], step[(5 * h) + u], step[(6 * h) + u]) = (c, tanhC, step[(3 * h) + u] * tanhC);
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
        var one = Vector<float>.One;
        var u = 0;
        for (; u <= h - lanes; u += lanes)
        {
            var (i, f, cell) = (new Vector<float>(step[u..]), new Vector<float>(step[(h + u)..]), new Vector<float>(step[((2 * h) + u)..]));
            var (o, tanhC) = (new Vector<float>(step[((3 * h) + u)..]), new Vector<float>(step[((5 * h) + u)..]));
            var dh = new Vector<float>(incoming[u..]) + new Vector<float>(hiddenNext[u..]);
            var dc = (dh * o * (one - (tanhC * tanhC))) + new Vector<float>(cellNext[u..]);
            (dc * cell * i * (one - i)).CopyTo(gates[u..]);
            (dc * new Vector<float>(cellsBefore[u..]) * f * (one - f)).CopyTo(gates[(h + u)..]);
            (dc * i * (one - (cell * cell))).CopyTo(gates[((2 * h) + u)..]);
            (dh * tanhC * o * (one - o)).CopyTo(gates[((3 * h) + u)..]);
            (dc * f).CopyTo(cellNext[u..]);
        }

        for (; u < h; u++)
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
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= x.Length - lanes; i += lanes)
        {
            (Vector<float>.One / (Vector<float>.One + Vector.Exp(-new Vector<float>(x[i..])))).CopyTo(x[i..]);
        }

        for (; i < x.Length; i++)
        {
            x[i] = Sigmoid(x[i]);
        }
    }

    /// <summary>In place, as 1 - 2 / (exp(2x) + 1): exact limits at both ends (exp overflowing to infinity gives 1).</summary>
    private static void Tanh(Span<float> x)
    {
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= x.Length - lanes; i += lanes)
        {
            Tanh(new Vector<float>(x[i..])).CopyTo(x[i..]);
        }

        for (; i < x.Length; i++)
        {
            x[i] = Tanh(x[i]);
        }
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
        var lanes = Vector<float>.Count;
        var scale = new Vector<float>(a);
        var i = 0;
        for (; i <= x.Length - lanes; i += lanes)
        {
            (new Vector<float>(y[i..]) + (scale * new Vector<float>(x[i..]))).CopyTo(y[i..]);
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
}
