namespace DataSyncPS;

/// <summary>What a step of Copy-DbStructure does.</summary>
public enum CopyAction
{
    /// <summary>DDL that creates, alters or drops an object.</summary>
    Execute,
    /// <summary>Replaces a table's rows with the source's.</summary>
    LoadData,
    /// <summary>A difference left as it is: it would drop data and needs -RemoveExtra or -AllowRecreate.</summary>
    Skip,
}

/// <summary>One step of a Copy-DbStructure plan, in the order it runs.</summary>
public sealed class CopyPlanStep
{
    public required int Step { get; init; }
    public required CopyAction Action { get; init; }
    public SchemaObjectKind? ObjectKind { get; init; }
    public required string Name { get; init; }
    public SchemaChange? Change { get; init; }
    /// <summary>The DDL of an Execute step; empty for the others.</summary>
    public string Sql { get; init; } = "";
    /// <summary>Why a step is skipped, or what a load does.</summary>
    public string? Note { get; init; }

    public override string ToString() => Action switch
    {
        CopyAction.Execute => $"{Step}. {Sql}",
        CopyAction.LoadData => $"{Step}. copy the rows of {Name}",
        _ => $"{Step}. skip {Change} {ObjectKind} {Name}: {Note}",
    };
}
