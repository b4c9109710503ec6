namespace SweepCluster.Experiments;

/// <summary>The learning problems SweepCluster knows, named as in sweep specs.</summary>
public enum TaskKind
{
    Cumsum,
    MovingSquare,
    Sentiment,
}
