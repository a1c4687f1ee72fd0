namespace Netmap.Dynamic.Tests.Loading;

public sealed class NetmapModuleParametersTests
{
    [Test]
    public void Every_parameter_file_is_read_trimmed()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("netmap-params-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "buf_size"), "2048\n");
            File.WriteAllText(Path.Combine(dir.FullName, "admode"), "0\n");

            IReadOnlyDictionary<string, string> parameters = NetmapModuleParameters.Read(dir.FullName);

            Assert.That(parameters, Is.EqualTo(new Dictionary<string, string> { ["admode"] = "0", ["buf_size"] = "2048" }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void A_missing_directory_gives_no_parameters() =>
        Assert.That(NetmapModuleParameters.Read(Path.Combine(Path.GetTempPath(), $"no-netmap-{Guid.NewGuid():N}")), Is.Empty);
}
