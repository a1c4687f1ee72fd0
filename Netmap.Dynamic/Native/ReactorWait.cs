namespace Netmap.Dynamic.Native;

/// <summary>
/// What a <see cref="ReactorRegistration"/> keeps for each pending wait on its port: the events
/// it waits for, and how its outcome is decided (under the registration's lock) and delivered
/// (after the lock is released). A port's own <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> is a
/// <see cref="ReactorWaiter"/>; a <see cref="NetmapPoller"/>'s wait puts a
/// <see cref="ReactorSetMember"/> into the registration of each of its ports.
/// </summary>
internal abstract class ReactorWait
{
    /// <summary>The events this wait asked for.</summary>
    public NetmapPollEvents Interest { get; protected set; }

    /// <summary>True from the start of a wait until it is completed, failed or withdrawn (under the registration's lock).</summary>
    public bool IsPending { get; protected set; }

    /// <summary>Decides the outcome (under the registration's lock); <see cref="Deliver"/> publishes it.</summary>
    public abstract void Complete(NetmapPollEvents ready);

    /// <summary>Decides a failure (under the registration's lock); <see cref="Deliver"/> publishes it.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Publishes the outcome decided before, outside every lock of the reactor.</summary>
    public abstract void Deliver();

    /// <summary>Taken out of its registration before anything happened (under the registration's lock).</summary>
    public void Withdraw() => IsPending = false;
}
