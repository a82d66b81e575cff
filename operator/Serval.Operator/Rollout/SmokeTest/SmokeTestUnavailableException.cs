namespace Serval.Operator.Rollout.SmokeTest;

/// <summary>The smoke test could not be judged (the stable revision did not answer, or no pod could be reached): try again later.</summary>
internal sealed class SmokeTestUnavailableException : Exception
{
    public SmokeTestUnavailableException()
    {
    }

    public SmokeTestUnavailableException(string message)
        : base(message)
    {
    }

    public SmokeTestUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
