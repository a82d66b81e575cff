using k8s.Models;

namespace Serval.Controllers.Status;

/// <summary>
/// metav1.Condition semantics over a status's condition list: one condition per type;
/// lastTransitionTime moves only when the status flips; reason, message and
/// observedGeneration are kept current.
/// </summary>
public static class Conditions
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == True;

    public static bool IsFalse(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == False;

    /// <summary>Sets a condition from its parts; see <see cref="Set(IList{V1Condition}, V1Condition, DateTimeOffset)"/>.</summary>
    public static bool Set(
        IList<V1Condition> conditions, string type, bool status, string reason, string message, long? observedGeneration, DateTimeOffset now) =>
        Set(
            conditions,
            new V1Condition
            {
                Type = type,
                Status = status ? True : False,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
            },
            now);

    /// <summary>
    /// Adds or updates the condition of <paramref name="condition"/>'s type and returns true when
    /// anything changed. A new condition, or one whose status changed, gets the given
    /// lastTransitionTime or else <paramref name="now"/>; otherwise the old time stays.
    /// </summary>
    public static bool Set(IList<V1Condition> conditions, V1Condition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(condition);
        Validate(condition);
        var transition = condition.LastTransitionTime == default ? now.UtcDateTime : condition.LastTransitionTime;
        var existing = Find(conditions, condition.Type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = condition.Type,
                Status = condition.Status,
                Reason = condition.Reason,
                Message = condition.Message ?? string.Empty,
                ObservedGeneration = condition.ObservedGeneration,
                LastTransitionTime = transition,
            });
            return true;
        }

        var changed = false;
        if (existing.Status != condition.Status)
        {
            existing.Status = condition.Status;
            existing.LastTransitionTime = transition;
            changed = true;
        }

        if (existing.Reason != condition.Reason)
        {
            existing.Reason = condition.Reason;
            changed = true;
        }

        var message = condition.Message ?? string.Empty;
        if (existing.Message != message)
        {
            existing.Message = message;
            changed = true;
        }

        if (existing.ObservedGeneration != condition.ObservedGeneration)
        {
            existing.ObservedGeneration = condition.ObservedGeneration;
            changed = true;
        }

        return changed;
    }

    /// <summary>Removes the condition of <paramref name="type"/>; true when there was one.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    private static void Validate(V1Condition condition)
    {
        if (string.IsNullOrWhiteSpace(condition.Type))
        {
            throw new ArgumentException($"A condition needs a type, got '{condition.Type}'.", nameof(condition));
        }

        if (condition.Status is not (True or False or Unknown))
        {
            throw new ArgumentException(
                $"Condition '{condition.Type}': status must be True, False or Unknown, got '{condition.Status}'.", nameof(condition));
        }

        if (string.IsNullOrWhiteSpace(condition.Reason) || !char.IsLetter(condition.Reason[0]) || condition.Reason.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or ',' or ':')))
        {
            throw new ArgumentException(
                $"Condition '{condition.Type}': reason must be a CamelCase word (letters, digits, '_', ',' or ':'), got '{condition.Reason}'.",
                nameof(condition));
        }
    }
}
