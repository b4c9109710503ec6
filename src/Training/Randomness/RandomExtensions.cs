namespace SweepCluster.Training.Randomness;

public static class RandomExtensions
{
    /// <summary>A standard normal sample (Box-Muller), for orthogonal initialisation.</summary>
    public static double NextGaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static float[] Uniform(this Random random, int count, double low, double high)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(low + (high - low) * random.NextDouble());
        }

        return values;
    }

    public static float[] Gaussian(this Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextGaussian();
        }

        return values;
    }
}
