namespace Serval.Controllers.Cache;

/// <summary>
/// Receives an informer's changes after the cache has applied them. Called on the informer's
/// loop: keep it quick (enqueue work, do not call the API).
/// </summary>
/// <typeparam name="T">The kind.</typeparam>
public interface IInformerHandler<in T>
{
    void OnAdd(T obj);

    void OnUpdate(T oldObj, T newObj);

    /// <summary>
    /// The object was deleted, or vanished while the informer could not watch (found on relist);
    /// then it is the last state the cache knew.
    /// </summary>
    void OnDelete(T obj);
}
