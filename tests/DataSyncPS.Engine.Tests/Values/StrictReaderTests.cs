using System.Data;
using System.Text;
using System.Text.Json;
using DataSyncPS.Engine.Batches;
using DataSyncPS.Engine.Sources;

namespace DataSyncPS.Engine.Tests.Values;

/// <summary>
/// Some providers read a column only as its own CLR type: SqlClient's GetInt32 on a smallint or tinyint
/// throws InvalidCastException, where Npgsql and MySqlConnector convert. DataTableReader is as strict,
/// so it stands in for SQL Server here, where no SQL Server can run.
/// </summary>
public sealed class StrictReaderTests
{
    [Theory]
    [InlineData(typeof(short), (short)-32768, "-32768")]
    [InlineData(typeof(byte), (byte)255, "255")]
    [InlineData(typeof(sbyte), (sbyte)-128, "-128")]
    [InlineData(typeof(ushort), (ushort)65535, "65535")]
    [InlineData(typeof(int), int.MinValue, "-2147483648")]
    [InlineData(typeof(uint), uint.MaxValue, "4294967295")]
    [InlineData(typeof(long), long.MinValue, "-9223372036854775808")]
    [InlineData(typeof(ulong), ulong.MaxValue, "18446744073709551615")]
    [InlineData(typeof(float), 0.1f, "0.1")]
    [InlineData(typeof(double), 0.1, "0.1")]
    [InlineData(typeof(bool), true, "true")]
    [InlineData(typeof(string), "ação", "\"ação\"")]
    public void EachColumnIsReadAsItsOwnType(Type type, object value, string json) =>
        Assert.Equal("{\"v\":" + json + "}", WriteRow(type, value));

    [Fact]
    public void DecimalsTimesGuidsAndBytes()
    {
        Assert.Equal("{\"v\":10.50}", WriteRow(typeof(decimal), 10.50m));
        Assert.Equal("{\"v\":\"2024-01-02T03:04:05.5+00:00\"}", WriteRow(typeof(DateTime), new DateTime(2024, 1, 2, 3, 4, 5, 500)));
        Assert.Equal("{\"v\":\"2024-01-02T03:04:05+02:00\"}", WriteRow(typeof(DateTimeOffset), new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))));
        Assert.Equal("{\"v\":\"13:45:30.25\"}", WriteRow(typeof(TimeSpan), new TimeSpan(0, 13, 45, 30, 250)));
        Assert.Equal("{\"v\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"}", WriteRow(typeof(Guid), Guid.Parse("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")));
        Assert.Equal("{\"v\":\"AP8Q\"}", WriteRow(typeof(byte[]), new byte[] { 0, 255, 16 }));
        Assert.Equal("{\"v\":null}", WriteRow(typeof(short), DBNull.Value));
    }

    private static string WriteRow(Type type, object value)
    {
        var table = new DataTable();
        table.Columns.Add("v", type);
        table.Rows.Add(value);
        using var reader = table.CreateDataReader();
        Assert.True(reader.Read());
        var rowWriter = new RowJsonWriter(reader, SqlServerDialect.Instance, TimeZoneInfo.Utc);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, JsonValueWriter.WriterOptions)) rowWriter.Write(reader, w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
