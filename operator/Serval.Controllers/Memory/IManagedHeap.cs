namespace Serval.Controllers.Memory;

/// <summary>The seam over the garbage collector, so that the trimmer's decisions are tested without one.</summary>
public interface IManagedHeap
{
    HeapReading Read();

    /// <summary>A blocking, compacting collection of every generation that returns free memory to the OS.</summary>
    void Compact();
}
