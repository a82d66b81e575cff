namespace Serval.Api.V1Alpha1;

/// <summary>The worker settings.</summary>
/// <param name="Image">The container image.</param>
/// <param name="ExecutionProvider">The ONNX Runtime execution provider.</param>
/// <param name="IntraOpThreads">ONNX Runtime intra-op threads; 0 lets it choose.</param>
/// <param name="AuthToken">The Secret key holding the bearer token, or null for no authentication.</param>
public sealed record ResolvedRuntime(string Image, ExecutionProvider ExecutionProvider, int IntraOpThreads, ResolvedSecretKey? AuthToken);
