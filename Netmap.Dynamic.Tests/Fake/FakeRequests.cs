using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Short ways to open the ports the tests use.</summary>
internal static class FakeRequests
{
    public static NetmapPort OpenPipe(this FakeNetmapBackend backend, string id, bool master, string pipeBase = "pipe") =>
        backend.OpenPort($"netmap:{pipeBase}{(master ? "{" : "}")}{id}");
}
