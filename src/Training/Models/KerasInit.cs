using SweepCluster.Training.Randomness;
using static TorchSharp.torch;

namespace SweepCluster.Training.Models;

/// <summary>
/// Keras' default initialisers (glorot_uniform kernels, orthogonal recurrent kernels, zero biases with
/// the LSTM forget-gate bias at 1, uniform(-0.05, 0.05) embeddings), drawn from a seeded
/// <see cref="Random"/> instead of libtorch's process-wide generator so that trials built concurrently on
/// different threads stay reproducible.
/// </summary>
public static class KerasInit
{
    public static void GlorotUniform(Tensor weight, long fanIn, long fanOut, Random random)
    {
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        Fill(weight, random.Uniform(checked((int)weight.numel()), -limit, limit));
    }

    public static void Uniform(Tensor weight, double low, double high, Random random) =>
        Fill(weight, random.Uniform(checked((int)weight.numel()), low, high));

    /// <summary>Keras' Embedding initialiser: uniform(-0.05, 0.05).</summary>
    public static void Embedding(TorchSharp.Modules.Embedding embedding, Random random) => Uniform(embedding.weight!, -0.05, 0.05, random);

    /// <summary>Orthogonal columns for a (rows >= cols) matrix, sign-corrected as Keras and PyTorch do.</summary>
    public static void Orthogonal(Tensor weight, Random random)
    {
        var (rows, cols) = (weight.shape[0], weight.shape[1]);
        var tall = rows >= cols;
        var (r, c) = tall ? (rows, cols) : (cols, rows);
        using var gaussian = tensor(random.Gaussian(checked((int)(r * c))).Select(v => (double)v).ToArray(), [r, c], ScalarType.Float64);
        var (q, upper) = linalg.qr(gaussian);
        using (q)
        using (upper)
        using (var signs = upper.diagonal().sign())
        using (var orthogonal = q.mul(signs))
        using (var shaped = tall ? orthogonal.contiguous() : orthogonal.t().contiguous())
        {
            Copy(weight, shaped);
        }
    }

    public static void Zeros(Tensor weight)
    {
        using var _ = no_grad();
        weight.zero_();
    }

    /// <summary>One LSTM direction: torch keeps Keras' single bias as b_ih + b_hh, so b_ih gets the forget-gate 1s.</summary>
    public static void LstmDirection(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, Random random)
    {
        var hidden = weightHh.shape[1];
        GlorotUniform(weightIh, weightIh.shape[1], weightIh.shape[0], random);
        Orthogonal(weightHh, random);
        var bias = new float[4 * hidden];
        Array.Fill(bias, 1f, (int)hidden, (int)hidden); // gate order i, f, g, o in both frameworks
        Fill(biasIh, bias);
        Zeros(biasHh);
    }

    private static void Fill(Tensor target, float[] values)
    {
        using var source = tensor(values, target.shape, ScalarType.Float32);
        Copy(target, source);
    }

    private static void Copy(Tensor target, Tensor source)
    {
        using var _ = no_grad();
        using var converted = source.to(target.dtype, target.device);
        target.copy_(converted);
    }
}
