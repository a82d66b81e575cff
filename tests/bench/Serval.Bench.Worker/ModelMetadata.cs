namespace Serval.Bench.Worker;

/// <summary>A served model's signature as the V2 metadata endpoint reports it.</summary>
internal sealed record ModelMetadata(IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);
