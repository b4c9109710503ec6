namespace SweepCluster.Client;

/// <summary>A problem the user can fix (a missing silo, an unknown sweep); printed without a stack trace.</summary>
public sealed class UserException(string message) : Exception(message)
{
    public static UserException UnknownSweep(string sweepId) =>
        new($"sweep '{sweepId}' does not exist (./sweep list shows the sweeps)");
}
