namespace DataSyncPS.Module.Tests.Infrastructure;

/// <summary>Consinco-shaped tables of one test on a real server (<see cref="ConsincoSample"/>, names
/// prefixed), and a copy of the module's default mapping (Mappings/Plusoft.psd1) pointed at them: the
/// default mapping is what these tests sync with.</summary>
public sealed class PlusoftSource : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PlusoftSource(string provider, int filiais, int produtos, int clientes, int vendas)
    {
        Provider = provider;
        if (provider == "PostgreSql")
        {
            ModuleServers.RequirePostgreSql();
            ConnectionString = TestEnvironment.PostgreSql;
            ModuleServers.PostgreSql(ConsincoSample.PostgreSql(Prefix, filiais, produtos, clientes, vendas));
        }
        else
        {
            ModuleServers.RequireMariaDb();
            ConnectionString = TestEnvironment.MariaDb;
            ModuleServers.MariaDb(ConsincoSample.MariaDb(Prefix, filiais, produtos, clientes, vendas));
        }
        var mapping = File.ReadAllText(DefaultMapping).Replace("'VW_PLUSOFT_", $"'{Prefix}VW_PLUSOFT_", StringComparison.Ordinal);
        Assert.Equal(4, mapping.Split($"'{Prefix}VW_PLUSOFT_").Length - 1);
        MappingPath = _temp.Combine("mapping.psd1");
        File.WriteAllText(MappingPath, mapping);
    }

    public static string DefaultMapping => Path.Combine(Path.GetDirectoryName(ModuleRunspace.ModuleManifest)!, "Mappings", "Plusoft.psd1");

    public string Provider { get; }
    public string ConnectionString { get; }
    public string Prefix { get; } = "mp" + Guid.NewGuid().ToString("N")[..8] + "_";
    public string MappingPath { get; }
    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>SQL on this source's server.</summary>
    public void Execute(string sql)
    {
        if (Provider == "PostgreSql") ModuleServers.PostgreSql(sql);
        else ModuleServers.MariaDb(sql);
    }

    /// <summary>A table of the sample, quoted for its engine.</summary>
    public string Table(string view) => Provider == "PostgreSql" ? $"\"{Prefix}{view}\"" : $"`{Prefix}{view}`";

    public string Column(string name) => Provider == "PostgreSql" ? $"\"{name}\"" : name;

    public void Dispose()
    {
        try { Execute(Provider == "PostgreSql" ? ConsincoSample.DropPostgreSql(Prefix) : ConsincoSample.DropMariaDb(Prefix)); }
        catch (Exception) { /* a skipped test has no server */ }
        _temp.Dispose();
    }
}
