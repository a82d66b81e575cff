namespace Serval.Worker.Inference;

/// <summary>A session call failed. <see cref="IsInvalidInput"/> tells a bad input (400) from a runtime fault (500).</summary>
internal sealed class ModelExecutionException : Exception
{
    public ModelExecutionException(string message, bool isInvalidInput, Exception? innerException = null)
        : base(message, innerException) => IsInvalidInput = isInvalidInput;

    public ModelExecutionException()
    {
    }

    public ModelExecutionException(string message)
        : base(message)
    {
    }

    public ModelExecutionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The runtime blamed the input (its INVALID_ARGUMENT), not itself.</summary>
    public bool IsInvalidInput { get; }
}
