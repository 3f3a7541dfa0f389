namespace DataSyncPS.Tests;

/// <summary>
/// Tables shaped like the Consinco views Sync-Plusoft reads (upper-case names, CHAR padding, CNPJ as a
/// number, codes such as STATUS 'A'/'I'), filled by the server with rows computed from their number,
/// so a test can say what each record must be. The SQL is in consinco-sample.postgresql.sql and
/// consinco-sample.mariadb.sql beside this file (the Pester tests read the same files). Names start with
/// a prefix of the test's own: <c>{prefix}VW_PLUSOFT_FILIAL</c>, <c>_PRODUTO</c>, <c>_CLIENTE</c>, <c>_VENDA</c>.
/// Row i (from 1): FILIAL NROEMPRESA = i, NROCGC = 12345678000100 + i, STATUS 'I' when i % 5 = 0;
/// PRODUTO SEQPRODUTO = i, PRECOVENDA = i % 1000 + 0.9900, CODACESSO ' ' when i % 10 = 0;
/// CLIENTE SEQPESSOA = i, a CNPJ when i % 7 = 0 else a CPF, FANTASIA NULL when i % 3 = 0;
/// VENDA item n: three items per document NUMERODF = (n - 1) / 3 + 1, 300 items a day from 2024-07-01.
/// Change dates are 2024-07-01 00:00:00 + i seconds.
/// </summary>
public static class ConsincoSample
{
    public static readonly string[] Views = ["VW_PLUSOFT_FILIAL", "VW_PLUSOFT_PRODUTO", "VW_PLUSOFT_CLIENTE", "VW_PLUSOFT_VENDA"];

    public static string DropPostgreSql(string prefix) =>
        string.Concat(Views.Select(v => $"DROP VIEW IF EXISTS \"{prefix}{v}\"; DROP TABLE IF EXISTS \"{prefix}{v}\";"));

    public static string DropMariaDb(string prefix) =>
        string.Concat(Views.Select(v => $"DROP VIEW IF EXISTS `{prefix}{v}`; DROP TABLE IF EXISTS `{prefix}{v}`;"));

    public static string PostgreSql(string prefix, int filiais, int produtos, int clientes, int vendas) =>
        DropPostgreSql(prefix) + Fill("consinco-sample.postgresql.sql", prefix, filiais, produtos, clientes, vendas);

    public static string MariaDb(string prefix, int filiais, int produtos, int clientes, int vendas) =>
        DropMariaDb(prefix) + Fill("consinco-sample.mariadb.sql", prefix, filiais, produtos, clientes, vendas);

    private static string Fill(string file, string prefix, int filiais, int produtos, int clientes, int vendas) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Shared", file))
            .Replace("{prefix}", prefix).Replace("{filiais}", $"{filiais}").Replace("{produtos}", $"{produtos}")
            .Replace("{clientes}", $"{clientes}").Replace("{vendas}", $"{vendas}");
}
