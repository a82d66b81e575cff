namespace Serval.Controllers.Memory;

/// <summary>The managed heap as the runtime last reported it.</summary>
/// <param name="TotalAllocatedBytes">Bytes allocated since the process started (a counter).</param>
/// <param name="CommittedBytes">Memory the heap holds from the OS, as of the last collection.</param>
/// <param name="HeapSizeBytes">Bytes in use by the heap after the last collection (live objects and free space in it).</param>
public readonly record struct HeapReading(long TotalAllocatedBytes, long CommittedBytes, long HeapSizeBytes);
