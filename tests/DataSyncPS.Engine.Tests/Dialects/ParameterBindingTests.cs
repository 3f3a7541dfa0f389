using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using DataSyncPS.Engine.Sources;
using Microsoft.Data.SqlClient;

namespace DataSyncPS.Engine.Tests.Dialects;

/// <summary>How each dialect binds keyset values: by name (placeholders repeat), without losing precision.</summary>
public class ParameterBindingTests
{
    [Fact]
    public void SqlServer_binds_DateTime_as_datetime2_so_watermarks_keep_their_ticks()
    {
        using var cmd = new SqlCommand();
        SqlServerDialect.Instance.AddParameter(cmd, 0, new DateTime(2024, 1, 1, 0, 0, 0, 1).AddTicks(3));
        SqlServerDialect.Instance.AddParameter(cmd, 1, 42L);
        Assert.Equal("@p0", cmd.Parameters[0].ParameterName);
        Assert.Equal(DbType.DateTime2, cmd.Parameters[0].DbType);
        Assert.Equal(DbType.Int64, cmd.Parameters[1].DbType);
    }

    [Fact]
    public void SqlServer_binds_an_ascii_string_as_varchar_so_a_varchar_key_compares_in_its_own_collation()
    {
        // An nvarchar parameter converts a varchar key column to nvarchar: under a SQL_ collation its order
        // then differs from the index's ('co-op' against 'coop'), so keyset pages could skip or repeat rows,
        // and the conversion turns the seek into a scan. Text that is not ASCII stays nvarchar, which loses nothing.
        using var cmd = new SqlCommand();
        SqlServerDialect.Instance.AddParameter(cmd, 0, "co-op");
        SqlServerDialect.Instance.AddParameter(cmd, 1, "Ação");
        SqlServerDialect.Instance.AddParameter(cmd, 2, new string('x', 9000));
        Assert.Equal(DbType.AnsiString, cmd.Parameters[0].DbType);
        Assert.Equal(8000, cmd.Parameters[0].Size); // one plan whatever the key's length
        Assert.Equal(DbType.String, cmd.Parameters[1].DbType);
        Assert.Equal(DbType.AnsiString, cmd.Parameters[2].DbType);
        Assert.Equal(-1, cmd.Parameters[2].Size);
    }

    [Fact]
    public void Oracle_binds_by_name_with_names_without_the_colon()
    {
        using var cmd = new OracleCommandStandIn();
        var dialect = new OracleDialect();
        dialect.AddParameter(cmd, 0, "x");
        dialect.AddParameter(cmd, 1, null);
        Assert.True(cmd.BindByName);
        Assert.Equal(["p0", "p1"], cmd.Parameters.Cast<DbParameter>().Select(p => p.ParameterName));
        Assert.Equal(DBNull.Value, cmd.Parameters[1].Value);
        Assert.Contains(":p0", dialect.KeysetPredicate(["\"A\"", "\"B\""], 0));
    }

    [Fact]
    public void PostgreSql_binds_by_placeholder_name()
    {
        using var cmd = new Npgsql.NpgsqlCommand();
        PostgreSqlDialect.Instance.AddParameter(cmd, 0, 1);
        Assert.Equal("@p0", cmd.Parameters[0].ParameterName);
    }

    /// <summary>ODP.NET's OracleCommand cannot be had here; this has the one property the dialect sets.</summary>
    private sealed class OracleCommandStandIn : DbCommand
    {
        private readonly ParameterList _parameters = new();
        public bool BindByName { get; set; }
        [AllowNull] public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
        public override CommandType CommandType { get; set; }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; }
        protected override DbParameterCollection DbParameterCollection => _parameters;
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        public override int ExecuteNonQuery() => 0;
        public override object? ExecuteScalar() => null;
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => new Microsoft.Data.Sqlite.SqliteParameter();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw new NotSupportedException();

        private sealed class ParameterList : DbParameterCollection
        {
            private readonly List<DbParameter> _items = new();
            public override int Count => _items.Count;
            public override object SyncRoot => _items;
            public override int Add(object value) { _items.Add((DbParameter)value); return _items.Count - 1; }
            public override void AddRange(Array values) { foreach (var v in values) Add(v!); }
            public override void Clear() => _items.Clear();
            public override bool Contains(object value) => _items.Contains((DbParameter)value);
            public override bool Contains(string value) => _items.Any(p => p.ParameterName == value);
            public override void CopyTo(Array array, int index) => ((System.Collections.ICollection)_items).CopyTo(array, index);
            public override System.Collections.IEnumerator GetEnumerator() => _items.GetEnumerator();
            public override int IndexOf(object value) => _items.IndexOf((DbParameter)value);
            public override int IndexOf(string parameterName) => _items.FindIndex(p => p.ParameterName == parameterName);
            public override void Insert(int index, object value) => _items.Insert(index, (DbParameter)value);
            public override void Remove(object value) => _items.Remove((DbParameter)value);
            public override void RemoveAt(int index) => _items.RemoveAt(index);
            public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));
            protected override DbParameter GetParameter(int index) => _items[index];
            protected override DbParameter GetParameter(string parameterName) => _items[IndexOf(parameterName)];
            protected override void SetParameter(int index, DbParameter value) => _items[index] = value;
            protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = value;
        }
    }
}
