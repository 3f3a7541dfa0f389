using System.IO.Compression;
using System.Management.Automation;
using DataSyncPS.Module.Tests.Infrastructure;

namespace DataSyncPS.Module.Tests;

/// <summary>Export-SyncBatch in pipelines, as a user types them.</summary>
public class ExportSyncBatchTests
{
    /// <summary>The test PostgreSQL as a piped source; $cs, $out and $state come from <see cref="Vars"/>.</summary>
    internal const string Connect = "Connect-SyncSource -Provider PostgreSql -ConnectionString $cs";

    internal static Dictionary<string, object?> Vars(TempDirectory dir) => new()
    {
        ["cs"] = TestEnvironment.PostgreSql,
        ["out"] = dir.Combine("out"),
        ["state"] = dir.Combine("state.db"),
    };

    private static string CreateTable(int rows)
    {
        var table = "mt_" + Guid.NewGuid().ToString("N")[..10];
        ModuleServers.PostgreSql($"""
            CREATE TABLE {table} (id int PRIMARY KEY, nome text, valor numeric(12,2), atualizado timestamp NOT NULL);
            INSERT INTO {table} SELECT g, 'Ação nº ' || g, g * 1.5, timestamp '2024-01-01' + (g / 10) * interval '1 minute'
            FROM generate_series(1, {rows}) g;
            """);
        return table;
    }

    [Fact]
    public void Piped_source_exports_batches_as_objects_with_progress_and_verbose_sql()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(25);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state -BatchSize 10 -Incremental -CursorColumn atualizado -Verbose", Vars(dir))
            .AssertNoErrors();
        var batches = r.Output.Select(o => (dynamic)o).ToList();
        Assert.Equal(3, batches.Count);
        Assert.Equal([10L, 10L, 5L], batches.Select(b => (long)b.Rows));
        Assert.Equal([1L, 2L, 3L], batches.Select(b => (long)b.Sequence));
        Assert.All(batches, b => Assert.True(File.Exists((string)b.Path)));
        Assert.All(batches, b => Assert.Equal(64, ((string)b.Sha256).Length));
        Assert.Equal("DataSyncPS.SyncBatch", r.Output[0].TypeNames[0]);
        Assert.Contains(r.Verbose, v => v.StartsWith("SQL: ") && v.Contains("SELECT") && v.Contains(table));
        Assert.DoesNotContain(r.Verbose, v => v.Contains("Password=", StringComparison.OrdinalIgnoreCase));
        var lines = ReadLines((string)batches[0].Path);
        Assert.Contains("\"nome\":\"Ação nº 1\"", lines[0]);
        Assert.Contains("\"valor\":1.50", lines[0]);

        var again = rs.Run($"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state -BatchSize 10 -Incremental -CursorColumn atualizado", Vars(dir))
            .AssertNoErrors();
        Assert.Empty(again.Output);
    }

    [Fact]
    public void Incremental_without_a_cursor_column_uses_updated_at_or_else_the_primary_key()
    {
        ModuleServers.RequirePostgreSql();
        var withUpdated = "mt_" + Guid.NewGuid().ToString("N")[..10];
        var appendOnly = "mt_" + Guid.NewGuid().ToString("N")[..10];
        ModuleServers.PostgreSql($"""
            CREATE TABLE {withUpdated} (id int PRIMARY KEY, Updated_At timestamptz NOT NULL DEFAULT now());
            INSERT INTO {withUpdated} (id) SELECT generate_series(1, 3);
            CREATE TABLE {appendOnly} (id bigint PRIMARY KEY, msg text);
            INSERT INTO {appendOnly} SELECT g, 'm' FROM generate_series(1, 4) g;
            """);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var a = rs.Run($"{Connect} | Export-SyncBatch -Table {withUpdated} -Incremental -OutputDirectory $out -StatePath $state -Verbose", Vars(dir)).AssertNoErrors();
        Assert.Contains("Keyset: (updated_at, id); the first is the cursor.", a.Verbose);
        var b = rs.Run($"{Connect} | Export-SyncBatch -Table {appendOnly} -Incremental -OutputDirectory $out -StatePath $state -Verbose", Vars(dir)).AssertNoErrors();
        Assert.Contains("Keyset: (id); the first is the cursor.", b.Verbose);
        Assert.Equal(4L, (long)b.Single().Rows);
    }

    [Fact]
    public void Progress_records_carry_rows_and_rate_and_complete()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(200_000);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state -CompressionLevel Fastest", Vars(dir)).AssertNoErrors();
        Assert.Equal(ProgressRecordType.Completed, r.Progress[^1].RecordType);
        // Real updates while rows flow, not only the closing record: rows so far and their rate.
        var processing = r.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.All(processing, p => Assert.Matches(@"^\d[^ ]* rows, \d[^ ]* rows/s, \d[^ ]* batch\(es\) closed$", p.StatusDescription));
        Assert.Contains(processing, p => System.Text.RegularExpressions.Regex.IsMatch(p.StatusDescription, @"^[1-9][^ ]* rows, [1-9][^ ]* rows/s"));
    }

    [Fact]
    public void WhatIf_touches_nothing()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(5);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state -WhatIf", Vars(dir)).AssertNoErrors();
        Assert.Empty(r.Output);
        Assert.False(Directory.Exists(dir.Combine("out")));
        Assert.False(File.Exists(dir.Combine("state.db")));
    }

    [Fact]
    public void Reset_starts_the_stream_over_and_honours_WhatIf()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(12);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var export = $"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state -Incremental -CursorColumn atualizado";
        Assert.Single(rs.Run(export, Vars(dir)).AssertNoErrors().Output);
        Assert.Empty(rs.Run(export + " -Reset -WhatIf", Vars(dir)).AssertNoErrors().Output);
        Assert.Empty(rs.Run(export, Vars(dir)).AssertNoErrors().Output);
        var reset = rs.Run(export + " -Reset -Confirm:$false", Vars(dir)).AssertNoErrors();
        var batch = reset.Single();
        Assert.Equal(12L, (long)batch.Rows);
        Assert.Equal(2L, (long)batch.Sequence); // sequences keep growing: the first file is never overwritten
    }

    [Fact]
    public void Pipeline_objects_are_batched_as_a_named_stream()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("""
            1..10 | ForEach-Object { [pscustomobject]@{ id = $_; nome = "cliente $_"; tags = @('a', 'b'); quando = [datetime]::new(2024, 5, 1, 12, 0, 0, [System.DateTimeKind]::Utc) } } |
                Export-SyncBatch -Stream clientes -OutputDirectory $out -StatePath $state -BatchSize 4
            """, Vars(dir)).AssertNoErrors();
        Assert.Equal([4L, 4L, 2L], r.Output.Select(o => (long)((dynamic)o).Rows));
        var first = ReadLines((string)((dynamic)r.Output[0]).Path)[0];
        Assert.Equal("""{"id":1,"nome":"cliente 1","tags":["a","b"],"quando":"2024-05-01T12:00:00+00:00"}""", first);
    }

    [Fact]
    public void A_Laravel_log_folder_exports_its_entries_and_a_rerun_only_new_ones()
    {
        using var dir = new TempDirectory();
        var logs = Directory.CreateDirectory(dir.Combine("logs")).FullName;
        File.Copy(TestEnvironment.SharedPath("data", "laravel", "real-3.log"), Path.Combine(logs, "laravel.log"));
        using var rs = new ModuleRunspace();
        var vars = Vars(dir);
        vars["logs"] = logs;
        var export = "Connect-SyncSource -Provider LaravelLog -Path $logs | Export-SyncBatch -OutputDirectory $out -StatePath $state";
        var first = rs.Run(export, vars).AssertNoErrors();
        Assert.Equal(41L, first.Output.Sum(o => (long)((dynamic)o).Rows));
        Assert.Equal("laravel", (string)((dynamic)first.Output[0]).Stream);
        File.AppendAllText(Path.Combine(logs, "laravel.log"), "[2024-03-01 10:00:00] production.WARNING: Estoque baixo na filial São Paulo {\"sku\":42}\n");
        var second = rs.Run(export, vars).AssertNoErrors();
        var line = Assert.Single(ReadLines((string)second.Single().Path));
        Assert.Contains("\"level\":\"WARNING\"", line);
        Assert.Contains("\"context\":{\"sku\":42}", line);
        Assert.Contains("São Paulo", line);
    }

    [Fact]
    public void An_array_arriving_as_one_object_is_exported_as_its_items()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run(",@([pscustomobject]@{ id = 1 }, [pscustomobject]@{ id = 2 }) | Export-SyncBatch -Stream api -OutputDirectory $out -StatePath $state", Vars(dir)).AssertNoErrors();
        Assert.Equal(["""{"id":1}""", """{"id":2}"""], ReadLines((string)r.Single().Path));
    }

    [Theory]
    [InlineData("-CursorColumn atualizado")]
    [InlineData("-LookbackSeconds 60")]
    [InlineData("-BatchSize 0")]
    public void Options_that_cannot_apply_are_clear_errors(string options)
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(3);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run($"{Connect} | Export-SyncBatch -Table {table} -OutputDirectory $out -StatePath $state {options}", Vars(dir));
        Assert.Equal("InvalidArgument,DataSyncPS.Cmdlets.ExportSyncBatchCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Hashtables_from_the_pipeline_keep_their_keys()
    {
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var r = rs.Run("@{ id = 1 }, @{ id = 2 } | Export-SyncBatch -Stream api -OutputDirectory $out -StatePath $state", Vars(dir)).AssertNoErrors();
        Assert.Equal(["""{"id":1}""", """{"id":2}"""], ReadLines((string)r.Single().Path));
    }

    [Fact]
    public void Unknown_table_and_malicious_identifiers_are_clear_errors_that_write_nothing()
    {
        ModuleServers.RequirePostgreSql();
        var victim = CreateTable(3);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        var unknown = rs.Run($"{Connect} | Export-SyncBatch -Table no_such_table -OutputDirectory $out -StatePath $state", Vars(dir));
        var error = Assert.Single(unknown.Errors);
        Assert.Equal("TableNotFound,DataSyncPS.Cmdlets.ExportSyncBatchCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no_such_table", error.ToString());

        var evil = rs.Run($"{Connect} | Export-SyncBatch -Table '{victim}\"; DROP TABLE {victim}; --' -OutputDirectory $out -StatePath $state", Vars(dir));
        Assert.Single(evil.Errors);
        Assert.Equal(3L, ModuleServers.PostgreSqlScalar($"SELECT count(*) FROM {victim}"));

        var badColumn = rs.Run($"{Connect} | Export-SyncBatch -Table {victim} -Incremental -CursorColumn 'x; DROP TABLE {victim}' -OutputDirectory $out -StatePath $state", Vars(dir));
        Assert.Equal("ColumnNotFound,DataSyncPS.Cmdlets.ExportSyncBatchCommand", Assert.Single(badColumn.Errors).FullyQualifiedErrorId);
        Assert.Equal(3L, ModuleServers.PostgreSqlScalar($"SELECT count(*) FROM {victim}"));
        Assert.Empty(Directory.Exists(dir.Combine("out")) ? Directory.GetFiles(dir.Combine("out"), "*.gz") : []);
    }

    [Fact]
    public void Table_names_complete_from_the_connected_source()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(1);
        using var rs = new ModuleRunspace();
        rs.Run($"$src = {Connect}", new() { ["cs"] = TestEnvironment.PostgreSql }).AssertNoErrors();
        var input = $"$src | Export-SyncBatch -Table {table[..6]}";
        var r = rs.Run("(TabExpansion2 -inputScript $i -cursorColumn $i.Length).CompletionMatches.CompletionText", new() { ["i"] = input }).AssertNoErrors();
        Assert.Contains(table, r.Output.Select(o => o?.ToString()));
    }

    [Fact]
    public void Table_names_complete_from_the_source_piped_in_a_variable_not_the_one_connected_last()
    {
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(1);
        using var dir = new TempDirectory();
        using var rs = new ModuleRunspace();
        rs.Run($"$pg = {Connect}; $lite = Connect-SyncSource -Provider Sqlite -Path $lite -SkipTest",
            new() { ["cs"] = TestEnvironment.PostgreSql, ["lite"] = dir.Combine("other.sqlite") }).AssertNoErrors();
        var input = $"$pg | Export-SyncBatch -Table {table[..6]}";
        var r = rs.Run("(TabExpansion2 -inputScript $i -cursorColumn $i.Length).CompletionMatches.CompletionText", new() { ["i"] = input }).AssertNoErrors();
        Assert.Contains(table, r.Output.Select(o => o?.ToString()));
    }

    [Fact]
    public void Table_completion_in_one_runspace_is_not_changed_by_a_source_connected_in_another()
    {
        // Runspaces share the process (ForEach-Object -Parallel, a hosted editor, the tests themselves):
        // "the source connected last" is each runspace's own.
        ModuleServers.RequirePostgreSql();
        var table = CreateTable(1);
        using var dir = new TempDirectory();
        using var mine = new ModuleRunspace();
        using var other = new ModuleRunspace();
        mine.Run($"$null = {Connect}", new() { ["cs"] = TestEnvironment.PostgreSql }).AssertNoErrors();
        other.Run("$null = Connect-SyncSource -Provider Sqlite -Path $lite -SkipTest", new() { ["lite"] = dir.Combine("other.sqlite") }).AssertNoErrors();
        var input = $"Export-SyncBatch -Table {table[..6]}";
        var r = mine.Run("(TabExpansion2 -inputScript $i -cursorColumn $i.Length).CompletionMatches.CompletionText", new() { ["i"] = input }).AssertNoErrors();
        Assert.Contains(table, r.Output.Select(o => o?.ToString()));
    }

    internal static List<string> ReadLines(string gzPath)
    {
        using var gz = new GZipStream(File.OpenRead(gzPath), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var lines = new List<string>();
        while (reader.ReadLine() is { } l) lines.Add(l);
        return lines;
    }
}
