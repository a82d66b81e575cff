namespace Serval.Bench.Worker;

/// <summary>An input or output as <c>GET /v2/models/{m}</c> describes it (-1 for a dynamic dimension).</summary>
internal sealed record TensorMetadata(string Name, string Datatype, long[] Shape);
