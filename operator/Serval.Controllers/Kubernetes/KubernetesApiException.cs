using System.Net;
using k8s.Models;

namespace Serval.Controllers.Kubernetes;

/// <summary>The API server refused a request; <see cref="StatusCode"/> and <see cref="Status"/> say why.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesApiException(string message, HttpStatusCode statusCode, V1Status? status, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The server's Status object, when it sent one.</summary>
    public V1Status? Status { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Status?.Reason == "AlreadyExists";
}
