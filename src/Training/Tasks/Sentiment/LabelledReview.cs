namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>One review's raw text, its label (1 = positive) and its aclImdb file name (<c>{id}_{rating}.txt</c>).</summary>
internal sealed record LabelledReview(string FileName, string Text, int Label);
