namespace Serval.Api.V1Alpha1;

/// <summary>Which ONNX Runtime execution provider the worker runs the model with.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when the pod has a GPU, otherwise CPU.</summary>
    Auto,

    /// <summary>Always the CPU provider, even on a GPU node.</summary>
    Cpu,

    /// <summary>The CUDA provider; the worker is not ready if CUDA cannot be loaded. Needs a GPU limit.</summary>
    Cuda,
}
