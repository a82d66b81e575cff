namespace Serval.Worker.Http;

/// <summary>What the endpoints serve: the model name always, the model itself once loaded.</summary>
internal sealed class ServingState(string modelName, string modelVersion)
{
    private volatile ServingModel? _model;
    private volatile bool _stopping;

    public string ModelName { get; } = modelName;

    public string ModelVersion { get; } = modelVersion;

    /// <summary>The model, or null while loading or once stopping.</summary>
    public ServingModel? Model => _stopping ? null : _model;

    public bool IsReady => Model is not null;

    public void Serve(ServingModel model) => _model = model;

    /// <summary>From now on new requests are refused; those already queued still finish.</summary>
    public void Stop() => _stopping = true;
}
