namespace SweepCluster.Client.Output;

/// <summary>How much of the objective's variance over configurations one swept parameter's main effect explains (0-1).</summary>
public sealed record ParameterEffect(string Parameter, double Share, int Levels);
