using System.Text.Json.Nodes;

namespace Serval.LocalCluster.Server;

/// <summary>
/// A request failure that becomes a metav1.Status with the same code, reason and message kube-apiserver gives,
/// so that clients which branch on <c>reason</c> (IsNotFound, IsConflict, ...) behave as against a real cluster.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, string? name = null, string? group = null, string? kind = null,
        IReadOnlyList<StatusCause>? causes = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Group = group;
        Kind = kind;
        Causes = causes ?? [];
        RetryAfterSeconds = retryAfterSeconds;
    }

    public ApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
        Causes = [];
    }

    public int Code { get; }

    public string Reason { get; }

    public string? Name { get; }

    public string? Group { get; }

    public string? Kind { get; }

    public IReadOnlyList<StatusCause> Causes { get; }

    public int? RetryAfterSeconds { get; }

    public static ApiException NotFound(string groupResource, string group, string resource, string name) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found", name, group, resource);

    public static ApiException AlreadyExists(string groupResource, string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{groupResource} \"{name}\" already exists", name, group, resource);

    public static ApiException Conflict(string groupResource, string group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {groupResource} \"{name}\": {why}", name, group, resource);

    public static ApiException StaleResourceVersion(string groupResource, string group, string resource, string name) =>
        Conflict(groupResource, group, resource, name,
            "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<StatusCause> causes)
    {
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        var parts = causes.Select(c => c.Field is null ? c.Message : $"{c.Field}: {c.Message}").ToList();
        var detail = parts.Count == 1 ? parts[0] : $"[{string.Join(", ", parts)}]";
        return new ApiException(422, "Invalid", $"{qualified} \"{name}\" is invalid: {detail}", name, group, kind, causes);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static ApiException NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static ApiException Forbidden(string groupResource, string group, string resource, string name, string why) =>
        new(403, "Forbidden", $"{groupResource} \"{name}\" is forbidden: {why}", name, group, resource);

    public static ApiException PathNotFound(string path) => new(404, "NotFound", $"the server could not find the requested resource (path {path})");

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Name is not null || Kind is not null || Causes.Count > 0 || RetryAfterSeconds is not null)
        {
            var details = new JsonObject();
            if (Name is not null)
            {
                details["name"] = Name;
            }

            if (!string.IsNullOrEmpty(Group))
            {
                details["group"] = Group;
            }

            if (Kind is not null)
            {
                details["kind"] = Kind;
            }

            if (Causes.Count > 0)
            {
                var array = new JsonArray();
                foreach (var c in Causes)
                {
                    var cause = new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message };
                    if (c.Field is not null)
                    {
                        cause["field"] = c.Field;
                    }

                    array.Add(cause);
                }

                details["causes"] = array;
            }

            if (RetryAfterSeconds is { } retry)
            {
                details["retryAfterSeconds"] = retry;
            }

            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }
}
