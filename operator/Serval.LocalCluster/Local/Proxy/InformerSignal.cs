using Serval.Controllers.Cache;

namespace Serval.LocalCluster.Local.Proxy;

/// <summary>Turns every informer change into one call: the proxy rebuilds its whole table, so what changed does not matter.</summary>
internal sealed class InformerSignal<T>(Action changed) : IInformerHandler<T>
{
    public void OnAdd(T obj) => changed();

    public void OnUpdate(T oldObj, T newObj) => changed();

    public void OnDelete(T obj) => changed();
}
