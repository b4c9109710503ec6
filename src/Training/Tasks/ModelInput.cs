namespace SweepCluster.Training.Tasks;

/// <summary>What a task feeds the model, which decides the model's front.</summary>
public abstract record ModelInput
{
    private ModelInput()
    {
    }

    /// <summary>(batch, time, features) floats straight into the recurrent layer.</summary>
    public sealed record Values(int Features) : ModelInput;

    /// <summary>(batch, time, 1, size, size) video frames, through a per-frame CNN.</summary>
    public sealed record Frames(int Size) : ModelInput;

    /// <summary>(batch, time) token ids below <paramref name="VocabularySize"/>, through an embedding.</summary>
    public sealed record Tokens(int VocabularySize) : ModelInput;
}
