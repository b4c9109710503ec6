namespace SweepCluster.Experiments;

/// <summary>The update rule a trial trains with, as Keras names them (<c>optimizer: adam | rmsprop | sgd</c>).</summary>
public enum OptimizerKind
{
    Adam,
    RmsProp,
    Sgd,
}
