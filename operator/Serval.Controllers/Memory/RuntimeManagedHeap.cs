namespace Serval.Controllers.Memory;

/// <summary><see cref="IManagedHeap"/> over this process's garbage collector.</summary>
public sealed class RuntimeManagedHeap : IManagedHeap
{
    public HeapReading Read()
    {
        var info = GC.GetGCMemoryInfo();
        return new HeapReading(GC.GetTotalAllocatedBytes(), info.TotalCommittedBytes, info.HeapSizeBytes);
    }

    // Aggressive: compact every generation (the large object heap too) and decommit what is then free, rather than
    // keep it for the allocations a busy process would make next.
    public void Compact() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
