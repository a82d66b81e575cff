using System.Reflection;
using k8s.Models;

namespace Serval.Controllers.Kubernetes;

/// <summary>
/// Where a kind lives in the API: group, version, plural and kind, read from the type's
/// <see cref="KubernetesEntityAttribute"/> (built-in models and our custom resources carry one).
/// </summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind)
{
    /// <summary><c>group/version</c>, or just <c>version</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>A short name for logs and metric labels, e.g. <c>deployments.apps</c>.</summary>
    public string Resource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The kind of <typeparamref name="T"/>.</summary>
    public static ResourceKind Of<T>() => Cache<T>.Kind;

    /// <summary>The kind of <paramref name="type"/>.</summary>
    public static ResourceKind Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Read(type);
    }

    private static ResourceKind Read(Type type)
    {
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException(
                $"Type {type.FullName} has no [KubernetesEntity] attribute, so its API group, version and plural are unknown.",
                nameof(type));
        if (string.IsNullOrEmpty(entity.ApiVersion) || string.IsNullOrEmpty(entity.PluralName) || string.IsNullOrEmpty(entity.Kind))
        {
            throw new ArgumentException(
                $"Type {type.FullName} has an incomplete [KubernetesEntity]: ApiVersion '{entity.ApiVersion}', " +
                $"Kind '{entity.Kind}' and PluralName '{entity.PluralName}' must all be set.",
                nameof(type));
        }

        return new ResourceKind(entity.Group ?? string.Empty, entity.ApiVersion, entity.PluralName, entity.Kind);
    }

    /// <summary>True when <paramref name="apiVersion"/> names this kind's group (any version).</summary>
    public bool IsGroupOf(string? apiVersion)
    {
        if (apiVersion is null)
        {
            return false;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        return string.Equals(group, Group, StringComparison.Ordinal);
    }

    public override string ToString() => $"{Kind} ({ApiVersion}, {Plural})";

    private static class Cache<T>
    {
        public static readonly ResourceKind Kind = Read(typeof(T));
    }
}
