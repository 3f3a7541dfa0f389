using DataSyncPS.Engine.Sources;
using DataSyncPS.Engine.Tests.Infrastructure;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>
/// Oracle.ManagedDataAccess cannot ship with the module; it is loaded at run time from -ProviderPath
/// (a folder or the DLL) or the module's folder. Without it, the error must say how to get it.
/// </summary>
public sealed class OracleProviderTests
{
    [Fact]
    public void AFolderIsSearchedForTheProviderDll()
    {
        using var dir = new TempDirectory();
        var dll = dir.Combine(OracleDialect.ProviderAssemblyFile);
        File.WriteAllBytes(dll, []);
        Assert.Equal(dll, OracleDialect.FindProviderAssembly(dir.Path));
    }

    [Fact]
    public void AFilePathIsTakenAsTheDllWhateverItsName()
    {
        using var dir = new TempDirectory();
        var dll = dir.Combine("oracle-23.5", "Custom.Oracle.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        File.WriteAllBytes(dll, []);
        Assert.Equal(dll, OracleDialect.FindProviderAssembly(dll));
    }

    [Fact]
    public void NothingIsFoundWhereThereIsNoDll()
    {
        using var dir = new TempDirectory();
        Assert.Null(OracleDialect.FindProviderAssembly(dir.Path));
        Assert.Null(OracleDialect.FindProviderAssembly(dir.Combine("missing.dll")));
        Assert.Null(OracleDialect.FindProviderAssembly(null));
    }

    [Fact]
    public void AMissingProviderSaysWhereItLookedAndHowToGetIt()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SyncException>(() => new OracleDialect(dir.Path).Factory);
        Assert.Equal(SyncErrorKind.ProviderMissing, ex.Kind);
        Assert.Contains(dir.Path, ex.Message);
        Assert.Contains("Oracle.ManagedDataAccess.Core", ex.Message);
        Assert.Contains("-ProviderPath", ex.Message);
    }

    [Fact]
    public void WithoutAPathTheModuleFolderIsNamed()
    {
        var ex = Assert.Throws<SyncException>(() => new OracleDialect().Factory);
        Assert.Equal(SyncErrorKind.ProviderMissing, ex.Kind);
        Assert.Contains("module folder", ex.Message);
    }

    [Fact]
    public void AFileThatIsNotAnAssemblyIsReportedAsUnusable()
    {
        using var dir = new TempDirectory();
        var dll = dir.Combine(OracleDialect.ProviderAssemblyFile);
        File.WriteAllText(dll, "not a PE file");
        var ex = Assert.Throws<SyncException>(() => new OracleDialect(dir.Path).Factory);
        Assert.Equal(SyncErrorKind.ProviderMissing, ex.Kind);
        Assert.Contains(dll, ex.Message);
    }

    [Fact]
    public async Task ConnectingWithoutTheProviderFailsBeforeAnythingElse()
    {
        using var dir = new TempDirectory();
        var spec = new ConnectionSpec { Provider = ProviderKind.Oracle, Server = "ora1", Database = "ORCL", ProviderPath = dir.Path };
        var ex = await Assert.ThrowsAsync<SyncException>(() => SourceConnector.ConnectAsync(spec, test: true, TestContext.Current.CancellationToken));
        Assert.Equal(SyncErrorKind.ProviderMissing, ex.Kind);
    }
}
