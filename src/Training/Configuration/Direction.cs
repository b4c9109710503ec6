namespace SweepCluster.Training.Configuration;

/// <summary>How the recurrent layer reads the sequence.</summary>
public enum Direction
{
    Forward,
    Backward,
    Bidirectional,
}
