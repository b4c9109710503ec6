namespace SweepCluster.Sampling;

/// <summary>
/// The standard normal's log density and log probability of an interval, accurate far into the tails (a candidate
/// drawn from the good trials' density may lie many bandwidths away from every bad trial).
/// </summary>
internal static class StandardNormal
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrtTwoPi;

    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>log Φ(z); for z below -30 Φ underflows towards 0, so the asymptotic series takes over there.</summary>
    public static double LogCdf(double z)
    {
        if (z > -30)
        {
            return Math.Log(Cdf(z));
        }

        var inverseSquare = 1 / (z * z);
        var series = 1 - (inverseSquare * (1 - (3 * inverseSquare * (1 - (5 * inverseSquare)))));
        return LogPdf(z) - Math.Log(-z) + Math.Log(series);
    }

    /// <summary>log(Φ(b) - Φ(a)) for a &lt; b.</summary>
    public static double LogMass(double a, double b)
    {
        if (b - a < 1e-3)
        {
            // A narrow interval: density at the midpoint times width (relative error below 1e-4 even 40 sigmas out).
            return LogPdf(0.5 * (a + b)) + Math.Log(b - a);
        }

        if (a >= 0)
        {
            // Both in the upper tail: mirror into the lower tail, where Φ keeps its relative precision.
            return LogMass(-b, -a);
        }

        if (b <= 0)
        {
            var logB = LogCdf(b);
            return logB + Math.Log(1 - Math.Exp(LogCdf(a) - logB));
        }

        return Math.Log(Cdf(b) - Cdf(a));
    }

    /// <summary>
    /// The complementary error function by the Chebyshev fit of Numerical Recipes (erfcc): relative error below
    /// 1.2e-7 everywhere, including the tails, which is all the density ratio needs.
    /// </summary>
    private static double Erfc(double x)
    {
        var absolute = Math.Abs(x);
        var t = 1 / (1 + (0.5 * absolute));
        var polynomial = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var result = t * Math.Exp((-absolute * absolute) + polynomial);
        return x >= 0 ? result : 2 - result;
    }
}
