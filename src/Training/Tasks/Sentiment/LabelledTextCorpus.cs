namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// A text corpus in aclImdb's canonical order: each split's positive reviews, then its negative ones, each in
/// ordinal file-name order. The aclImdb reader and the generator both produce this order, which is what makes a
/// generated corpus written to disk load back to identical ids.
/// </summary>
internal sealed record LabelledTextCorpus(IReadOnlyList<LabelledReview> Train, IReadOnlyList<LabelledReview> Test);
