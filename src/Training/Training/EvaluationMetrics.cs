namespace SweepCluster.Training.Training;

/// <summary>Loss and accuracy on the task's held-out set, with the model in eval mode and no gradients.</summary>
public sealed record EvaluationMetrics(double Loss, double Accuracy, long Examples);
