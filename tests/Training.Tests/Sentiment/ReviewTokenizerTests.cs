using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

public sealed class ReviewTokenizerTests
{
    [Fact]
    public void WordsAreLowercasedAndSplitOnPunctuation()
    {
        Assert.Equal(["great", "fun", "the", "cast", "enjoyed", "it"], ReviewTokenizer.Tokenize("Great fun! The cast enjoyed it."));
    }

    [Fact]
    public void HtmlLineBreaksSeparateWords()
    {
        Assert.Equal(["end", "next", "line"], ReviewTokenizer.Tokenize("end.<br /><br />Next<BR/>line"));
    }

    [Fact]
    public void ApostrophesStayInsideWordsButNotAroundThem()
    {
        Assert.Equal(["don't", "call", "it", "great", "90's"], ReviewTokenizer.Tokenize("Don't call it 'great' (90's)"));
    }
}
