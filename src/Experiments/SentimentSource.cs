namespace SweepCluster.Experiments;

/// <summary>Where a sentiment corpus comes from.</summary>
public enum SentimentSource
{
    /// <summary>The synthetic movie-review corpus shipped as code (GeneratedSentimentCorpus); needs no file.</summary>
    Generated,

    /// <summary>The Keras <c>imdb.npz</c> that <c>keras.datasets.imdb.load_data</c> downloads.</summary>
    ImdbNpz,

    /// <summary>Stanford's extracted <c>aclImdb</c> folder (train/pos, train/neg, test/pos, test/neg).</summary>
    AclImdb,
}
