namespace Serval.LocalCluster.Admission.Cel;

/// <summary>A CEL function refused its arguments at run time; the message is what the rule error reports.</summary>
internal sealed class CelEvaluationException : Exception
{
    public CelEvaluationException()
    {
    }

    public CelEvaluationException(string message)
        : base(message)
    {
    }

    public CelEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
