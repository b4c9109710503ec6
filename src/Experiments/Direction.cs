namespace SweepCluster.Experiments;

/// <summary>How the recurrent layer reads the sequence.</summary>
public enum Direction
{
    Forward,
    Backward,
    Bidirectional,
}
