namespace Serval.LocalCluster.Resources;

/// <summary>
/// A servable resource at one group/version: names, scope, subresources and the behaviour its objects get on writes.
/// Versions of one resource share storage (keyed by <see cref="GroupResource"/>).
/// </summary>
public sealed record ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Whether a /status subresource splits status writes from spec writes.</summary>
    public bool HasStatus { get; init; }

    public ScaleSubresource? Scale { get; init; }

    /// <summary>Whether metadata.generation is kept (bumped on spec changes).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether PUT without metadata.resourceVersion is allowed (custom resources refuse it).</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    /// <summary>Whether an immediate DELETE answers with the deleted object rather than a Success status.</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>Whether the object is a custom resource (JSON merge patch only, schema admission).</summary>
    public bool IsCustom { get; init; }

    /// <summary>Whether this version is the one objects are stored in (the others are views of it).</summary>
    public bool IsStorageVersion { get; init; } = true;

    public NameFormat NameFormat { get; init; } = NameFormat.Dns1123Subdomain;

    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];

    /// <summary>Extra field selector labels this type supports besides metadata.name and metadata.namespace.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>How this type's lists merge (strategic merge patch and server-side apply).</summary>
    public IListTypes ListTypes { get; init; } = new BuiltInListTypes(string.Empty);

    /// <summary>The OpenAPI v3 schema of custom resources (null for built-ins); never mutated, clone before use.</summary>
    internal System.Text.Json.Nodes.JsonNode? Schema { get; init; }

    internal IResourceStrategy Strategy { get; init; } = GenericStrategy.Instance;

    public string ListKind => $"{Kind}List";

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"deployments.apps", or "pods" for the core group: the name errors and storage use.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The group/resource whose storage holds this type's objects (another resource's, for a second view).</summary>
    public string StorageResource => StoredAs ?? GroupResource;

    /// <summary>Set when the objects live in another resource's storage (events.k8s.io Events are core Events).</summary>
    public string? StoredAs { get; init; }

    /// <summary>Whether creating one only asks a question (access reviews): answered, not stored.</summary>
    public bool IsReview { get; init; }

    /// <summary>KubernetesClient's model of a built-in kind, used to find fields the kind does not have.</summary>
    internal Type? Model { get; init; }

    /// <summary>Converts between this type's version and the stored one; null when they are the same shape.</summary>
    internal IObjectConversion? Conversion { get; init; }

    public IReadOnlyList<string> Verbs { get; init; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
