namespace Serval.Worker.Inference;

/// <summary>The model could not be fetched, verified or loaded; the worker cannot serve and exits non-zero.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
