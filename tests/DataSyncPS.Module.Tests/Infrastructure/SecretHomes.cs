namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>Points DATASYNCPS_HOME and DATASYNCPS_MACHINE_HOME at a temporary folder for one test and puts
/// them back afterwards. They are process-wide, so the tests that use this run alone
/// (<see cref="SecretHomeCollection"/>).</summary>
public sealed class SecretHomes : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string? _home = Environment.GetEnvironmentVariable("DATASYNCPS_HOME");
    private readonly string? _machine = Environment.GetEnvironmentVariable("DATASYNCPS_MACHINE_HOME");

    public SecretHomes()
    {
        Environment.SetEnvironmentVariable("DATASYNCPS_HOME", User);
        Environment.SetEnvironmentVariable("DATASYNCPS_MACHINE_HOME", Machine);
    }

    public string User => _temp.Combine("user");

    public string Machine => _temp.Combine("machine");

    /// <summary>Every file written under either home, as bytes.</summary>
    public IEnumerable<(string Path, byte[] Bytes)> Files() =>
        Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllBytes(f)));

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("DATASYNCPS_HOME", _home);
        Environment.SetEnvironmentVariable("DATASYNCPS_MACHINE_HOME", _machine);
        _temp.Dispose();
    }
}

[CollectionDefinition(nameof(SecretHomeCollection), DisableParallelization = true)]
public sealed class SecretHomeCollection;
