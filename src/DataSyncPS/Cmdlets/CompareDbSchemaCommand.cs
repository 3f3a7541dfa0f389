using System.Management.Automation;
using System.Text;
using DataSyncPS.Engine.Schema;
using DataSyncPS.Hosting;

namespace DataSyncPS.Cmdlets;

/// <summary>Compares two databases' schemas (tables, columns, keys, indexes, constraints, views, triggers,
/// routines, sequences, enum types): one SchemaDifference per difference, with the DDL that makes the
/// difference side match the reference; -AsScript or -ScriptPath give the whole migration in order.</summary>
[Cmdlet(VerbsData.Compare, "DbSchema")]
[OutputType(typeof(SchemaDifference), typeof(string))]
public sealed class CompareDbSchemaCommand : SyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public SyncSource? Reference { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public SyncSource? Difference { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeTable { get; set; }

    /// <summary>PostgreSQL schemas to compare (all but the system's by default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Schema { get; set; }

    /// <summary>Writes the migration script (a string) instead of the differences.</summary>
    [Parameter]
    public SwitchParameter AsScript { get; set; }

    /// <summary>Also writes the migration script to this file (UTF-8); the differences are still output.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScriptPath { get; set; }

    protected override void EndProcessing()
    {
        Run();
        base.EndProcessing();
    }

    private void Run()
    {
        var filter = new SchemaFilter(Table, ExcludeTable);
        var (differences, script) = RunEngine(_ => SchemaComparison.RunAsync(Reference!, Difference!, filter, Schema, StopToken), target: Difference);
        WriteVerbose($"{differences.Count} difference(s) between {Reference!.Name} and {Difference!.Name}.");
        if (ScriptPath is not null && differences.Count > 0)
        {
            var path = ResolvePath(ScriptPath);
            RunEngine(() => { File.WriteAllText(path, script, new UTF8Encoding(false)); return 0; }, target: path);
            WriteVerbose($"Migration script written to '{path}'.");
        }
        if (AsScript)
        {
            if (script.Length > 0) WriteObject(script);
            return;
        }
        WriteObject(differences, enumerateCollection: true);
    }
}
