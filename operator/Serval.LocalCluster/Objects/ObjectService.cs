using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serval.LocalCluster.Apply;
using Serval.LocalCluster.Json;
using Serval.LocalCluster.Patch;
using Serval.LocalCluster.Resources;
using Serval.LocalCluster.Resources.Strategies;
using Serval.LocalCluster.Server;
using Serval.LocalCluster.Storage;

namespace Serval.LocalCluster.Objects;

/// <summary>
/// The API semantics of every verb, independent of HTTP: metadata rules, optimistic concurrency, status/spec split,
/// generation, admission, finalizers and deletion, patches and apply, and serving custom resources when their CRD lands.
/// </summary>
internal sealed partial class ObjectService(ResourceRegistry registry, ObjectStore store, TimeProvider time)
{
    private const int MaxRetries = 16;
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly UnknownFields _unknownFields = new();

    public ResourceRegistry Registry => registry;

    public ObjectStore Store => store;

    public string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public StoredObject Get(ResourceType type, string? ns, string name) =>
        store.For(type.StorageResource).Get(StoreKeys.Of(ns, name)) ?? throw NotFound(type, name);

    public StoredObject? TryGet(ResourceType type, string? ns, string name) => store.For(type.StorageResource).Get(StoreKeys.Of(ns, name));

    public ListResult List(ResourceType type, string? ns, ListOptions options)
    {
        var (items, rv) = store.For(type.StorageResource).List(ns);
        string? start = null;
        if (!string.IsNullOrEmpty(options.Continue))
        {
            (rv, start) = DecodeContinue(options.Continue);
        }

        items.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var selected = new List<StoredObject>();
        var remaining = 0L;
        string? next = null;
        foreach (var item in items)
        {
            if (start is not null && string.CompareOrdinal(item.Key, start) <= 0)
            {
                continue;
            }

            if (!options.Labels.IsEverything && !options.Labels.Matches(item.Labels))
            {
                continue;
            }

            if (!(options.Fields.MatchesMetadataOnly(item.Namespace, item.Name) ?? options.Fields.Matches(item.ToJson())))
            {
                continue;
            }

            if (options.Limit is { } limit and > 0 && selected.Count >= limit)
            {
                remaining++;
                next ??= EncodeContinue(rv, selected[^1].Key);
                continue;
            }

            selected.Add(item);
        }

        return new ListResult(selected, rv, next, next is null ? null : remaining);
    }

    public WriteResult Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        CheckKind(type, body);
        if (type.Conversion is { } conversion)
        {
            body = conversion.ToStorage(body);
        }

        var metadata = body.Metadata();
        var name = metadata.StringAt("name");
        var generateName = metadata.StringAt("generateName");
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(generateName))
        {
            throw ApiException.Invalid(type.Kind, type.Group, string.Empty,
                [new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
        }

        ns = CheckNamespace(type, ns, metadata);
        if (type.Namespaced)
        {
            RequireLiveNamespace(type, ns!, name ?? generateName!);
        }

        for (var attempt = 0; ; attempt++)
        {
            var candidate = attempt == 0 ? body : body.CloneObject();
            var m = candidate.Metadata();
            if (string.IsNullOrEmpty(name))
            {
                m["name"] = generateName + RandomSuffix();
            }

            var objectName = m.StringAt("name")!;
            ValidateMetadata(type, candidate, objectName);
            var now = Now();
            m.Remove("resourceVersion");
            m.Remove("deletionTimestamp");
            m.Remove("deletionGracePeriodSeconds");
            m.Remove("selfLink");
            m["uid"] = Guid.NewGuid().ToString();
            m["creationTimestamp"] = now;
            if (type.TracksGeneration)
            {
                m["generation"] = 1;
            }
            else
            {
                m.Remove("generation");
            }

            if (type.HasStatus)
            {
                candidate.Remove("status");
            }

            var storage = StorageType(type);
            candidate["apiVersion"] = storage.GroupVersion;
            candidate["kind"] = type.Kind;
            var warnings = _unknownFields.Enforce(storage, candidate, options.FieldValidation)
                .Concat(type.Strategy.Admit(type, candidate, null, new AdmissionOptions(options.FieldValidation, StatusWrite: false))).ToList();
            if (m["managedFields"] is null)
            {
                ManagedFields.RecordUpdate(candidate, null, type, options.Manager, null, now);
            }

            if (options.DryRun)
            {
                return new WriteResult(Uncommitted(type, ns, objectName, candidate, 0), Created: true, Gone: false, warnings);
            }

            var (outcome, result, _) = store.For(type.StorageResource).Commit(ns, objectName, null, candidate);
            if (outcome == WriteOutcome.AlreadyExists)
            {
                if (string.IsNullOrEmpty(name) && attempt < MaxRetries)
                {
                    continue;
                }

                throw ApiException.AlreadyExists(type.GroupResource, type.Group, type.Plural, objectName);
            }

            AfterCommit(type, result!, deleted: false);
            return new WriteResult(result!, Created: true, Gone: false, warnings);
        }
    }

    public WriteResult Update(ResourceType type, string? ns, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        CheckKind(type, body);
        var bodyName = body.StringAtPath("metadata", "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        CheckNamespace(type, ns, body.Metadata());
        var pinned = body.StringAtPath("metadata", "resourceVersion");
        if (string.IsNullOrEmpty(pinned) && !type.AllowUnconditionalUpdate)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name,
                [new StatusCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
        }

        return Mutate(type, ns, name, subresource, options, _ => body.CloneObject(), pinnedByClient: !string.IsNullOrEmpty(pinned), recordManager: true);
    }

    public WriteResult Patch(ResourceType type, string? ns, string name, string? subresource, string contentType, byte[] patch, WriteOptions options)
    {
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (media == "application/apply-patch+yaml")
        {
            return ApplyPatch(type, ns, name, subresource, patch, options);
        }

        Func<JsonObject, JsonObject> apply = media switch
        {
            "application/json-patch+json" => ParseJsonPatch(patch),
            "application/merge-patch+json" => ParseMergePatch(patch),
            "application/strategic-merge-patch+json" when type.IsCustom => throw ApiException.UnsupportedMediaType(
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
            "application/strategic-merge-patch+json" => ParseStrategicPatch(patch, type),
            _ => throw ApiException.UnsupportedMediaType(
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(type.IsCustom ? string.Empty : ", application/strategic-merge-patch+json")}"),
        };
        var pinned = false;
        return Mutate(type, ns, name, subresource, options, current =>
        {
            var currentRv = current.StringAtPath("metadata", "resourceVersion");
            var patched = apply(current);
            var patchedRv = patched.StringAtPath("metadata", "resourceVersion");
            pinned = patchedRv != currentRv && !string.IsNullOrEmpty(patchedRv);
            if (!pinned)
            {
                patched.Metadata()["resourceVersion"] = currentRv;
            }

            return patched;
        }, pinnedByClient: false, recordManager: true, pinnedProbe: () => pinned);
    }

    public WriteResult Delete(ResourceType type, string? ns, string name, DeleteOptions delete)
    {
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var current = Get(type, ns, name);
            if (delete.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
            {
                throw ApiException.Conflict(type.GroupResource, type.Group, type.Plural, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            if (delete.PreconditionResourceVersion is { Length: > 0 } prv && prv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type.GroupResource, type.Group, type.Plural, name,
                    $"Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {current.ResourceVersion}");
            }

            var obj = current.ToJson();
            var metadata = obj.Metadata();
            var finalizers = metadata.StringList("finalizers");
            if (type.GroupResource == "namespaces")
            {
                if (name is "default" or "kube-system" or "kube-public")
                {
                    throw ApiException.Forbidden(type.GroupResource, type.Group, type.Plural, name, "this namespace may not be deleted");
                }

                if (current.Deleting)
                {
                    return new WriteResult(current, false, false, []);
                }

                metadata["deletionTimestamp"] = Now();
                metadata["deletionGracePeriodSeconds"] = 0;
                obj.ObjectAt("status")["phase"] = "Terminating";
            }
            else
            {
                if (!current.Deleting)
                {
                    switch (delete.PropagationPolicy)
                    {
                        case "Orphan" when !finalizers.Contains(GarbageCollectionFinalizers.Orphan):
                            finalizers.Add(GarbageCollectionFinalizers.Orphan);
                            break;
                        case "Foreground" when !finalizers.Contains(GarbageCollectionFinalizers.Foreground):
                            finalizers.Add(GarbageCollectionFinalizers.Foreground);
                            break;
                        case null or "" or "Background" or "Orphan" or "Foreground":
                            break;
                        default:
                            throw ApiException.Invalid("DeleteOptions", "meta.k8s.io", string.Empty,
                                [new StatusCause("FieldValueNotSupported", $"Unsupported value: \"{delete.PropagationPolicy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"", "propagationPolicy")]);
                    }
                }

                if (finalizers.Count == 0)
                {
                    if (delete.DryRun)
                    {
                        return new WriteResult(current, false, true, []);
                    }

                    var (outcome, result, _) = store.For(type.StorageResource).Commit(ns, name, current.ResourceVersion, null);
                    if (outcome == WriteOutcome.Conflict)
                    {
                        continue;
                    }

                    if (outcome == WriteOutcome.NotFound)
                    {
                        throw NotFound(type, name);
                    }

                    AfterCommit(type, result!, deleted: true);
                    return new WriteResult(result!, false, true, []);
                }

                if (current.Deleting && finalizers.SequenceEqual(current.Finalizers))
                {
                    return new WriteResult(current, false, false, []);
                }

                metadata["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
                if (!current.Deleting)
                {
                    metadata["deletionTimestamp"] = Now();
                    metadata["deletionGracePeriodSeconds"] = 0;
                    if (type.TracksGeneration)
                    {
                        metadata["generation"] = (metadata.LongAt("generation") ?? 0) + 1;
                    }
                }
            }

            if (delete.DryRun)
            {
                return new WriteResult(Uncommitted(type, ns, name, obj, current.ResourceVersion), false, false, []);
            }

            var (updated, stored, _) = store.For(type.StorageResource).Commit(ns, name, current.ResourceVersion, obj);
            if (updated == WriteOutcome.Committed)
            {
                AfterCommit(type, stored!, deleted: false);
                return new WriteResult(stored!, false, false, []);
            }
        }

        throw ApiException.StaleResourceVersion(type.GroupResource, type.Group, type.Plural, name);
    }

    /// <summary>Deletes every object a list with these options would return; answers what was deleted (or marked).</summary>
    public List<WriteResult> DeleteCollection(ResourceType type, string? ns, ListOptions options, DeleteOptions delete)
    {
        var results = new List<WriteResult>();
        foreach (var item in List(type, ns, options with { Limit = null, Continue = null }).Items)
        {
            try
            {
                results.Add(Delete(type, item.Namespace, item.Name, delete));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted concurrently: a collection delete does not fail for that.
            }
        }

        return results;
    }

    /// <summary>
    /// Reads, changes and commits an object, retrying on a concurrent change unless the client pinned a version.
    /// Every path that rewrites a whole object (PUT, patches, apply, internal controllers) goes through here.
    /// </summary>
    public WriteResult Mutate(ResourceType type, string? ns, string name, string? subresource, WriteOptions options,
        Func<JsonObject, JsonObject> change, bool pinnedByClient, bool recordManager, Func<bool>? pinnedProbe = null)
    {
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var current = Get(type, ns, name);
            var old = current.ToJson();
            var candidate = change(type.Conversion?.FromStorage(old) ?? old.CloneObject());
            var pinnedNow = pinnedByClient || (pinnedProbe?.Invoke() ?? false);
            var rv = candidate.StringAtPath("metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(rv) && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.StaleResourceVersion(type.GroupResource, type.Group, type.Plural, name);
            }

            if (type.Conversion is { } conversion)
            {
                candidate = conversion.ToStorage(candidate);
            }

            var (prepared, warnings, noop) = PrepareUpdate(type, candidate, old, subresource, options, recordManager);
            if (noop)
            {
                return new WriteResult(current, false, false, warnings);
            }

            if (options.DryRun)
            {
                return new WriteResult(Uncommitted(type, ns, name, prepared, current.ResourceVersion), false, false, warnings);
            }

            var deleteNow = current.Deleting && prepared.Metadata().StringList("finalizers").Count == 0
                && type.GroupResource != "namespaces";
            var (outcome, result, _) = store.For(type.StorageResource).Commit(ns, name, current.ResourceVersion, prepared, delete: deleteNow);
            switch (outcome)
            {
                case WriteOutcome.Committed:
                    AfterCommit(type, result!, deleteNow);
                    return new WriteResult(result!, false, deleteNow, warnings);
                case WriteOutcome.NotFound:
                    throw NotFound(type, name);
                case WriteOutcome.Conflict when pinnedNow:
                    throw ApiException.StaleResourceVersion(type.GroupResource, type.Group, type.Plural, name);
                default:
                    continue;
            }
        }

        throw ApiException.StaleResourceVersion(type.GroupResource, type.Group, type.Plural, name);
    }

    /// <summary>The scale subresource (autoscaling/v1 Scale) of an object whose type declares one.</summary>
    public JsonObject GetScale(ResourceType type, string? ns, string name) => ToScale(type, Get(type, ns, name).ToJson());

    public JsonObject UpdateScale(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> changeScale, WriteOptions options)
    {
        var scale = type.Scale ?? throw ApiException.PathNotFound($"{type.Plural}/scale");
        var result = Mutate(type, ns, name, "scale", options, current =>
        {
            var desired = changeScale(ToScale(type, current));
            var replicas = desired.At("spec", "replicas");
            var rv = desired.StringAtPath("metadata", "resourceVersion");
            if (replicas is not JsonValue value || !long.TryParse(value.ToJsonString(), out var count) || count < 0)
            {
                throw ApiException.Invalid("Scale", "autoscaling", name,
                    [new StatusCause("FieldValueInvalid", $"Invalid value: {FieldErrors.Render(replicas)}: must be greater than or equal to 0", "spec.replicas")]);
            }

            SetPath(current, scale.SpecReplicasPath, JsonValue.Create(count));
            if (!string.IsNullOrEmpty(rv))
            {
                current.Metadata()["resourceVersion"] = rv;
            }

            return current;
        }, pinnedByClient: false, recordManager: true);
        return ToScale(type, result.Object.ToJson());
    }

    /// <summary>Registers, refreshes or removes what a CRD serves after it changed.</summary>
    public void SyncDefinition(StoredObject crd, bool deleted)
    {
        var obj = crd.ToJson();
        var group = obj.StringAtPath("spec", "group") ?? string.Empty;
        var plural = obj.StringAtPath("spec", "names", "plural") ?? string.Empty;
        var groupResource = $"{plural}.{group}";
        if (deleted)
        {
            registry.ReplaceCustom(crd.Name, groupResource, []);
            store.Drop(groupResource);
            return;
        }

        registry.ReplaceCustom(crd.Name, groupResource, CustomResourceDefinitions.ToResourceTypes(obj));
    }

    /// <summary>The type objects of <paramref name="type"/>'s resource are stored as.</summary>
    public ResourceType StorageType(ResourceType type) => type.IsStorageVersion ? type : registry.StorageType(type.StorageResource) ?? type;

    /// <summary>The object as seen through <paramref name="type"/>'s version (custom resources may serve several).</summary>
    public static byte[] View(ResourceType type, StoredObject obj)
    {
        if (type.IsStorageVersion)
        {
            return obj.Json;
        }

        var json = obj.ToJson();
        if (type.Conversion is { } conversion)
        {
            json = conversion.FromStorage(json);
        }

        json["apiVersion"] = type.GroupVersion;
        return json.ToUtf8();
    }

    private WriteResult ApplyPatch(ResourceType type, string? ns, string name, string? subresource, byte[] patch, WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.FieldManager))
        {
            throw ApiException.BadRequest("PATCH requests with apply content type require fieldManager to be set");
        }

        JsonObject applied;
        try
        {
            var documents = YamlJson.ParseDocuments(Encoding.UTF8.GetString(patch));
            applied = documents.Count == 1 ? documents[0] : throw ApiException.BadRequest("an apply patch must hold exactly one object");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw ApiException.BadRequest($"error decoding YAML: {e.Message}");
        }

        CheckKind(type, applied, required: true);
        var appliedName = applied.StringAtPath("metadata", "name");
        if (appliedName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({name})");
        }

        CheckNamespace(type, ns, applied.Metadata());
        var existing = TryGet(type, ns, name);
        if (existing is null)
        {
            if (subresource is not null)
            {
                throw NotFound(type, name);
            }

            var created = ServerSideApply.Apply(null, applied, type, options.FieldManager, options.Force, null, Now());
            return Create(type, ns, created, options);
        }

        var pinned = !string.IsNullOrEmpty(applied.StringAtPath("metadata", "resourceVersion"));
        try
        {
            return Mutate(type, ns, name, subresource, options, current =>
            {
                var merged = ServerSideApply.Apply(current, applied, type, options.FieldManager, options.Force, subresource, Now());
                if (applied.StringAtPath("metadata", "resourceVersion") is { Length: > 0 } rv)
                {
                    merged.Metadata()["resourceVersion"] = rv;
                }

                return merged;
            }, pinnedByClient: pinned, recordManager: false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            var created = ServerSideApply.Apply(null, applied, type, options.FieldManager, options.Force, null, Now());
            return Create(type, ns, created, options);
        }
    }

    private (JsonObject Prepared, IReadOnlyList<string> Warnings, bool Noop) PrepareUpdate(ResourceType type, JsonObject candidate, JsonObject old,
        string? subresource, WriteOptions options, bool recordManager)
    {
        var oldMetadata = old.Metadata();
        var statusWrite = subresource == "status";
        JsonObject updated;
        if (statusWrite && type.HasStatus)
        {
            updated = old.CloneObject();
            if (candidate["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }

            if (candidate.At("metadata", "managedFields") is { } givenManaged)
            {
                updated.Metadata()["managedFields"] = givenManaged.DeepClone();
            }
        }
        else
        {
            updated = candidate;
            if (type.HasStatus && subresource is null)
            {
                if (old["status"] is { } oldStatus)
                {
                    updated["status"] = oldStatus.DeepClone();
                }
                else
                {
                    updated.Remove("status");
                }
            }
        }

        var metadata = updated.Metadata();
        var givenUid = metadata.StringAt("uid");
        if (!string.IsNullOrEmpty(givenUid) && givenUid != oldMetadata.StringAt("uid"))
        {
            throw ApiException.Conflict(type.GroupResource, type.Group, type.Plural, oldMetadata.StringAt("name") ?? string.Empty,
                $"Precondition failed: UID in precondition: {givenUid}, UID in object meta: {oldMetadata.StringAt("uid")}");
        }

        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMetadata[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
            else
            {
                metadata.Remove(field);
            }
        }

        metadata["resourceVersion"] = oldMetadata["resourceVersion"]?.DeepClone();
        var explicitManagedFields = metadata["managedFields"] is { } mf && !JsonNode.DeepEquals(mf, oldMetadata["managedFields"]);
        if (metadata["managedFields"] is null && oldMetadata["managedFields"] is { } oldManaged)
        {
            metadata["managedFields"] = oldManaged.DeepClone();
        }

        updated["apiVersion"] = StorageType(type).GroupVersion;
        updated["kind"] = type.Kind;
        if (oldMetadata["deletionTimestamp"] is not null)
        {
            var before = oldMetadata.StringList("finalizers");
            var added = metadata.StringList("finalizers").Except(before).ToList();
            if (added.Count > 0)
            {
                throw ApiException.Invalid(type.Kind, type.Group, oldMetadata.StringAt("name") ?? string.Empty,
                    [new StatusCause("FieldValueForbidden", "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{" + string.Join(", ", added.Select(a => $"\"{a}\"")) + "}", "metadata.finalizers")]);
            }
        }

        ValidateMetadata(type, updated, metadata.StringAt("name") ?? string.Empty);
        var warnings = _unknownFields.Enforce(StorageType(type), updated, options.FieldValidation)
            .Concat(type.Strategy.Admit(type, updated, old, new AdmissionOptions(options.FieldValidation, statusWrite))).ToList();
        if (type.TracksGeneration && SpecChanged(type, updated, old))
        {
            metadata["generation"] = (oldMetadata.LongAt("generation") ?? 0) + 1;
        }

        if (recordManager && !explicitManagedFields)
        {
            ManagedFields.RecordUpdate(updated, old, type, options.Manager, statusWrite ? "status" : subresource == "scale" ? "scale" : null, Now());
        }

        return (updated, warnings, SameContent(updated, old));
    }

    private static bool SpecChanged(ResourceType type, JsonObject updated, JsonObject old)
    {
        var keys = updated.Select(p => p.Key).Union(old.Select(p => p.Key)).Where(k => k is not ("metadata" or "apiVersion" or "kind")
            && !(type.HasStatus && k == "status"));
        return keys.Any(k => !JsonNode.DeepEquals(updated[k], old[k]));
    }

    /// <summary>Whether an update changes nothing but resourceVersion and managedFields times (then it is not written).</summary>
    private static bool SameContent(JsonObject updated, JsonObject old)
    {
        if (!SameKeys(updated, old))
        {
            return false;
        }

        foreach (var (key, value) in updated)
        {
            var before = old[key];
            if (key == "metadata" && value is JsonObject metadata && before is JsonObject oldMetadata)
            {
                if (!SameMetadata(metadata, oldMetadata))
                {
                    return false;
                }
            }
            else if (!JsonNode.DeepEquals(value, before))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameMetadata(JsonObject metadata, JsonObject old)
    {
        var keys = metadata.Select(p => p.Key).Where(k => k != "resourceVersion").ToHashSet(StringComparer.Ordinal);
        if (!keys.SetEquals(old.Select(p => p.Key).Where(k => k != "resourceVersion")))
        {
            return false;
        }

        foreach (var key in keys)
        {
            if (key == "managedFields" && metadata[key] is JsonArray entries && old[key] is JsonArray oldEntries)
            {
                if (entries.Count != oldEntries.Count)
                {
                    return false;
                }

                for (var i = 0; i < entries.Count; i++)
                {
                    if (entries[i] is not JsonObject entry || oldEntries[i] is not JsonObject oldEntry || !SameKeys(entry, oldEntry)
                        || entry.Any(p => p.Key != "time" && !JsonNode.DeepEquals(p.Value, oldEntry[p.Key])))
                    {
                        return false;
                    }
                }
            }
            else if (!JsonNode.DeepEquals(metadata[key], old[key]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameKeys(JsonObject a, JsonObject b) => a.Count == b.Count && a.All(p => b.ContainsKey(p.Key));

    private void AfterCommit(ResourceType type, StoredObject result, bool deleted)
    {
        if (type.GroupResource == "customresourcedefinitions.apiextensions.k8s.io")
        {
            SyncDefinition(result, deleted);
        }
    }

    private StoredObject Uncommitted(ResourceType type, string? ns, string name, JsonObject obj, long rv)
    {
        if (rv > 0)
        {
            obj.Metadata()["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        }

        return new StoredObject(StorageType(type).GroupResource, ns, name, rv, obj.ToUtf8(), ObjectFacts.Of(obj));
    }

    private void RequireLiveNamespace(ResourceType type, string ns, string name)
    {
        var namespaceObject = store.For("namespaces").Get(ns) ?? throw new ApiException(404, "NotFound", $"namespaces \"{ns}\" not found", ns, string.Empty, "namespaces");
        if (namespaceObject.Deleting)
        {
            throw ApiException.Forbidden(type.GroupResource, type.Group, type.Plural, name,
                $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private static string? CheckNamespace(ResourceType type, string? ns, JsonObject metadata)
    {
        var given = metadata.StringAt("namespace");
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return null;
        }

        if (!string.IsNullOrEmpty(given) && given != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
        return ns;
    }

    private static void CheckKind(ResourceType type, JsonObject body, bool required = false)
    {
        var apiVersion = body.StringAt("apiVersion");
        var kind = body.StringAt("kind");
        if (required && (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind)))
        {
            throw ApiException.BadRequest($"{(string.IsNullOrEmpty(apiVersion) ? "apiVersion" : "kind")} must be set in an applied object");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.GroupVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
    }

    private static void ValidateMetadata(ResourceType type, JsonObject obj, string name)
    {
        var errors = new FieldErrors();
        var problem = type.NameFormat switch
        {
            NameFormat.Dns1123Label => NameRules.Dns1123Label(name),
            NameFormat.PathSegment => NameRules.PathSegment(name),
            _ => NameRules.Dns1123Subdomain(name),
        };
        if (problem is not null)
        {
            errors.Invalid("metadata.name", name, problem);
        }

        var metadata = obj.Metadata();
        if (metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (NameRules.QualifiedName(key) is { } keyProblem)
                {
                    errors.Invalid("metadata.labels", key, keyProblem);
                }

                if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
                {
                    errors.Invalid($"metadata.labels", value?.DeepClone(), "label values must be strings");
                }
                else if (NameRules.LabelValue(text) is { } valueProblem)
                {
                    errors.Invalid("metadata.labels", text, valueProblem);
                }
            }
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            foreach (var (key, value) in annotations)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out _))
                {
                    errors.Invalid($"metadata.annotations", value?.DeepClone(), $"annotation {key} must be a string");
                }
            }
        }

        errors.ThrowIfAny(type, name);
    }

    private static JsonObject ToScale(ResourceType type, JsonObject obj)
    {
        var scale = type.Scale ?? throw ApiException.PathNotFound($"{type.Plural}/scale");
        var metadata = obj.Metadata();
        var result = new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj.At(scale.SpecReplicasPath.Split('.'))?.DeepClone() ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = obj.At(scale.StatusReplicasPath.Split('.'))?.DeepClone() ?? 0 },
        };
        if (scale.LabelSelectorPath is { } selectorPath && obj.At(selectorPath.Split('.')) is { } selector)
        {
            ((JsonObject)result["status"]!)["selector"] = selector is JsonObject selectorObject
                ? Selectors.LabelSelector.FromJson(selectorObject, selectorPath).ToString()
                : JsonObjects.ScalarText(selector);
        }

        if (!type.Namespaced)
        {
            result.Metadata().Remove("namespace");
        }

        return result;
    }

    private static void SetPath(JsonObject obj, string path, JsonNode value)
    {
        var parts = path.Split('.');
        var node = obj;
        foreach (var part in parts[..^1])
        {
            node = node.ObjectAt(part);
        }

        node[parts[^1]] = value;
    }

    private static Func<JsonObject, JsonObject> ParseJsonPatch(byte[] patch)
    {
        JsonArray operations;
        try
        {
            operations = JsonNode.Parse(patch) as JsonArray ?? throw ApiException.BadRequest("a json patch must be an array of operations");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"error decoding json patch: {e.Message}");
        }

        return current => JsonPatch.Apply(current, operations) as JsonObject
            ?? throw new ApiException(422, "Invalid", "the server rejected our request: the patch result is not an object");
    }

    private static Func<JsonObject, JsonObject> ParseMergePatch(byte[] patch)
    {
        var parsed = JsonObjects.ParseObject(patch, "merge patch");
        return current => MergePatch.Apply(current, parsed) as JsonObject ?? new JsonObject();
    }

    private static Func<JsonObject, JsonObject> ParseStrategicPatch(byte[] patch, ResourceType type)
    {
        var parsed = JsonObjects.ParseObject(patch, "strategic merge patch");
        var smp = new StrategicMergePatch(type.ListTypes);
        return current => smp.Apply(current, parsed);
    }

    private static ApiException NotFound(ResourceType type, string name) =>
        ApiException.NotFound(type.GroupResource, type.Group, type.Plural, name);

    private static string RandomSuffix()
    {
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = GenerateNameAlphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(GenerateNameAlphabet.Length)];
        }

        return new string(chars);
    }

    private static string EncodeContinue(long rv, string key)
    {
        var token = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = key };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (long, string) DecodeContinue(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var json = JsonNode.Parse(Convert.FromBase64String(padded)) as JsonObject;
            return (json.LongAt("rv") ?? 0, json.StringAt("start") ?? throw new FormatException("no start"));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
