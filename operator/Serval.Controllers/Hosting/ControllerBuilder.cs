using k8s;
using k8s.Models;
using Serval.Controllers.Cache;
using Serval.Controllers.Kubernetes;
using Serval.Controllers.Reconciliation;

namespace Serval.Controllers.Hosting;

/// <summary>
/// Describes one controller before it is registered: the primary kind (<see cref="ControllerHost.For{T}"/>),
/// the kinds it owns, other kinds it watches, and its options.
/// </summary>
/// <typeparam name="T">The primary kind.</typeparam>
public sealed class ControllerBuilder<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ControllerHost _host;
    private readonly List<Action<Controller<T>>> _sources = [];
    private readonly ControllerOptions _options = new();
    private string _name = ResourceKind.Of<T>().Kind.ToLowerInvariant();
    private bool _completed;

    internal ControllerBuilder(ControllerHost host)
    {
        _host = host;
    }

    /// <summary>Names the controller (metric label and logs); defaults to the kind in lower case.</summary>
    public ControllerBuilder<T> Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>
    /// Changes to <typeparamref name="TChild"/> objects queue their controlling owner when it is a
    /// <typeparamref name="T"/> (owner reference with controller: true).
    /// </summary>
    public ControllerBuilder<T> Owns<TChild>()
        where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        var ownerKind = ResourceKind.Of<T>();
        _sources.Add(controller => _host.GetInformer<TChild>().AddHandler(new EnqueueForOwner<TChild>(controller, ownerKind)));
        return this;
    }

    /// <summary>Changes to <typeparamref name="TOther"/> objects queue the keys <paramref name="map"/> returns.</summary>
    public ControllerBuilder<T> Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        _sources.Add(controller => _host.GetInformer<TOther>().AddHandler(new EnqueueMapped<TOther>(controller, map)));
        return this;
    }

    public ControllerBuilder<T> WithOptions(Action<ControllerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Registers the controller with the host; it runs when the host runs (and leads).</summary>
    public Controller<T> Complete(IReconciler<T> reconciler)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        if (_completed)
        {
            throw new InvalidOperationException($"Controller '{_name}' was already completed.");
        }

        _options.Validate(_name);
        _completed = true;
        var informer = _host.GetInformer<T>();
        var controller = _host.CreateController(_name, reconciler, informer, _options);
        informer.AddHandler(new EnqueueForObject<T>(controller));
        foreach (var source in _sources)
        {
            source(controller);
        }

        return controller;
    }
}
