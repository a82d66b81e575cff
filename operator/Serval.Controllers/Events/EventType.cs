namespace Serval.Controllers.Events;

/// <summary>The two kinds of Kubernetes events.</summary>
public enum EventType
{
    Normal,
    Warning,
}
