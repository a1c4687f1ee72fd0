using System.Text.Json;

using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Loading;

/// <summary>A shim that loads but does not fit (test-only variants built from the shim's own source), and one that does.</summary>
[Platform(Include = "Linux")]
public sealed class NetmapLibraryCompatibilityTests
{
    private static NetmapProbeResult ProbeShim(string shim, string? libc = null, string? device = null) => NetmapLibrary.Probe(new NetmapLoadOptions
    {
        ShimPath = shim,
        LibcPath = libc,
        DevicePath = device ?? NativeTestFiles.MissingDevice,
        UseEnvironmentVariable = false,
        UseSystemLoader = false,
    });

    [Test]
    public void The_built_shim_describes_itself_and_matches_the_managed_layout()
    {
        NetmapProbeResult result = ProbeShim(NativeTestFiles.Shim);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsLibraryLoaded, Is.True);
            Assert.That(result.ShimVersion, Is.EqualTo(ShimFunctions.ApiVersion));
            Assert.That(result.Shim, Is.Not.Null);
            Assert.That(result.Shim!.Headers, Is.EqualTo("bundled"), "this host has no <net/netmap.h>");
            Assert.That(result.Shim.NetmapApi, Is.EqualTo(14));
            Assert.That(result.Layout.Checked, Is.True);
            Assert.That(result.Layout.Mismatches, Is.Empty);
            Assert.That(result.Layout.ItemsCompared, Is.GreaterThan(90));
            Assert.That(result.LibcPath, Is.EqualTo("libc.so.6"));
        });
    }

    [Test]
    public void The_shims_layout_table_and_ioctls_agree_with_the_golden_abi()
    {
        // The C side's offsetof/sizeof against the numbers compiled from the real headers.
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "netmap-abi.json")));
        JsonElement structs = golden.RootElement.GetProperty("structs");
        JsonElement constants = golden.RootElement.GetProperty("constants");
        NetmapShimDescription shim = ProbeShim(NativeTestFiles.Shim).Shim!;

        Assert.Multiple(() =>
        {
            foreach (NetmapLayoutEntry row in shim.Layout)
            {
                JsonElement s = structs.GetProperty(row.Struct);
                if (row.Field.Length == 0)
                {
                    Assert.That(row.Size, Is.EqualTo(s.GetProperty("size").GetInt32()), row.Name);
                    continue;
                }
                JsonElement field = s.GetProperty("fields").GetProperty(row.Field);
                Assert.That((row.Offset, row.Size), Is.EqualTo((field[0].GetInt32(), field[1].GetInt32())), row.Name);
            }
            Assert.That(shim.NiocCtrl, Is.EqualTo(constants.GetProperty("NIOCCTRL").GetUInt64()));
            Assert.That(shim.NiocTxSync, Is.EqualTo(constants.GetProperty("NIOCTXSYNC").GetUInt64()));
            Assert.That(shim.NiocRxSync, Is.EqualTo(constants.GetProperty("NIOCRXSYNC").GetUInt64()));
            Assert.That(shim.Layout.Select(r => r.Struct).Distinct(), Is.SupersetOf(new[] { "netmap_if", "netmap_ring", "netmap_slot", "nmreq_header", "nmreq_register" }));
        });
    }

    [Test]
    public void A_shim_lacking_an_export_is_ShimIncompatible_naming_it()
    {
        NetmapProbeResult result = ProbeShim(NativeTestFiles.Variant("noprobe"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.ShimIncompatible));
            Assert.That(result.MissingExports, Is.EqualTo(new[] { "nmshim_kernel_probe" }));
            Assert.That(result.Message, Does.Contain("nmshim_kernel_probe"));
            Assert.That(result.IsLibraryLoaded, Is.False);
        });
    }

    [Test]
    public void A_shim_of_another_C_API_version_is_ShimIncompatible()
    {
        NetmapProbeResult result = ProbeShim(NativeTestFiles.Variant("v99"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.ShimIncompatible));
            Assert.That(result.ShimVersion, Is.EqualTo(99));
            Assert.That(result.Message, Does.Contain("version 99").And.Contain($"version {ShimFunctions.ApiVersion}"));
        });
    }

    [Test]
    public void A_shim_whose_layout_disagrees_is_ShimIncompatible_naming_the_field()
    {
        // The variant reports netmap_ring.head 4 bytes further than the real headers put it.
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "netmap-abi.json")));
        int head = golden.RootElement.GetProperty("structs").GetProperty("netmap_ring").GetProperty("fields").GetProperty("head")[0].GetInt32();

        NetmapProbeResult result = ProbeShim(NativeTestFiles.Variant("badlayout"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.ShimIncompatible));
            Assert.That(result.Layout.Checked, Is.True);
            Assert.That(result.Layout.Mismatches, Is.EqualTo(new[] { new NetmapLayoutMismatch("netmap_ring.head", $"offset {head} size 4", $"offset {head + 4} size 4") }));
            Assert.That(result.Message, Does.Contain("netmap_ring.head"));
            Assert.That(result.ToString(), Does.Contain("netmap_ring.head"));
        });
    }

    [Test]
    public void A_wrong_libc_path_is_LibcNotFound()
    {
        string bogus = Path.Combine(Path.GetTempPath(), "netmap-dynamic-tests", "libc-does-not-exist.so.6");

        NetmapProbeResult result = ProbeShim(NativeTestFiles.Shim, libc: bogus);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.LibcNotFound));
            Assert.That(result.ShimPath, Is.EqualTo(NativeTestFiles.Shim));
            Assert.That(result.Attempts.Last(), Is.EqualTo(result.Attempts.Single(a => a.Library == "libc")));
            Assert.That(result.Attempts.Last().Path, Is.EqualTo(bogus));
            Assert.That(result.Attempts.Last().Outcome, Does.Contain("No such file or directory"));
            Assert.That(result.Message, Does.Contain("LibcPath"));
        });
    }
}
