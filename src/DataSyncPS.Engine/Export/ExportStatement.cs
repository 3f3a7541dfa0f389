namespace DataSyncPS.Engine.Export;

/// <summary>
/// A statement an export runs: its SQL, written with whatever stands for its values (a bound
/// parameter, or a literal where a statement cannot take parameters), and the values.
/// </summary>
/// <param name="Sql">Makes the SQL, given what stands for value i.</param>
internal sealed record ExportStatement(Func<Func<int, string>, string> Sql, IReadOnlyList<object?> Values);
