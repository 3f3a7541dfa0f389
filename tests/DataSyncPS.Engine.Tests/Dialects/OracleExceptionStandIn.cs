// Same namespace and name as the real provider's exception, which cannot be referenced here (it is
// loaded at run time): OracleDialect.Classify recognises it by full name and reads Number by reflection.
namespace Oracle.ManagedDataAccess.Client;

public sealed class OracleException(int number) : System.Data.Common.DbException($"ORA-{number:D5}: stand-in")
{
    public int Number { get; } = number;
}
