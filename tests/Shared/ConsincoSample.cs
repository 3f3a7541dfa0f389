namespace DataSyncPS.Tests;

/// <summary>
/// Tables shaped like the Consinco views Sync-Plusoft reads (upper-case names, CHAR padding, CNPJ as a
/// number, codes such as STATUS 'A'/'I'), filled by the server with rows computed from their number,
/// so a test can say what each record must be. Names start with a prefix of the test's own:
/// <c>{prefix}VW_PLUSOFT_FILIAL</c>, <c>_PRODUTO</c>, <c>_CLIENTE</c>, <c>_VENDA</c>.
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

    public static string PostgreSql(string prefix, int filiais, int produtos, int clientes, int vendas) => DropPostgreSql(prefix) + $"""
        CREATE TABLE "{prefix}VW_PLUSOFT_FILIAL" ("NROEMPRESA" int PRIMARY KEY, "NOMEREDUZIDO" char(40) NOT NULL, "RAZAOSOCIAL" varchar(100),
          "NROCGC" bigint NOT NULL, "CIDADE" varchar(60), "UF" char(2), "STATUS" char(1) NOT NULL, "DTAALTERACAO" timestamp NOT NULL);
        INSERT INTO "{prefix}VW_PLUSOFT_FILIAL"
        SELECT i, 'LOJA ' || i, 'Supermercado São João Ltda, filial ' || i, 12345678000100 + i, 'Recife', 'PE',
               CASE WHEN i % 5 = 0 THEN 'I' ELSE 'A' END, timestamp '2024-07-01 00:00:00' + i * interval '1 second'
        FROM generate_series(1, {filiais}) i;
        CREATE TABLE "{prefix}VW_PLUSOFT_PRODUTO" ("SEQPRODUTO" int PRIMARY KEY, "DESCCOMPLETA" varchar(120) NOT NULL, "TXDESCRICAOREDUZIDA" char(40),
          "CODACESSO" varchar(14), "SEQFAMILIA" int, "EMBALAGEM" varchar(6), "PRECOVENDA" numeric(12,4), "STATUSVENDA" char(1), "DTAHORALTERACAO" timestamp NOT NULL);
        INSERT INTO "{prefix}VW_PLUSOFT_PRODUTO"
        SELECT i, 'Açúcar cristal 1kg nº ' || i, 'ACUCAR ' || i, CASE WHEN i % 10 = 0 THEN ' ' ELSE (7890000000000 + i)::text END,
               i % 50 + 1, 'UN', i % 1000 + 0.99, CASE WHEN i % 5 = 0 THEN 'I' ELSE 'A' END, timestamp '2024-07-01 00:00:00' + i * interval '1 second'
        FROM generate_series(1, {produtos}) i;
        CREATE TABLE "{prefix}VW_PLUSOFT_CLIENTE" ("SEQPESSOA" int PRIMARY KEY, "NOMERAZAO" varchar(100) NOT NULL, "FANTASIA" varchar(100),
          "NROCGCCPF" varchar(14) NOT NULL, "FISICAJURIDICA" char(1) NOT NULL, "EMAIL" varchar(100), "FONENRO" varchar(20), "CIDADE" varchar(60),
          "UF" char(2), "DTANASCFUND" date, "DTAALTERACAO" timestamp NOT NULL);
        INSERT INTO "{prefix}VW_PLUSOFT_CLIENTE"
        SELECT i, 'Cliente ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'Fantasia ' || i END,
               CASE WHEN i % 7 = 0 THEN lpad(i::text, 14, '0') ELSE lpad(i::text, 11, '0') END, CASE WHEN i % 7 = 0 THEN 'J' ELSE 'F' END,
               'cliente' || i || '@example.com', '8199' || lpad(i::text, 6, '0'), 'Olinda', 'PE', date '1980-01-01' + i % 10000,
               timestamp '2024-07-01 00:00:00' + i * interval '1 second'
        FROM generate_series(1, {clientes}) i;
        CREATE TABLE "{prefix}VW_PLUSOFT_VENDA" ("NROEMPRESA" int NOT NULL, "NUMERODF" bigint NOT NULL, "SERIEDF" varchar(3), "SEQITEM" int NOT NULL,
          "DTAVDA" date NOT NULL, "SEQPRODUTO" int NOT NULL, "SEQPESSOA" int, "QTDITEM" numeric(12,3) NOT NULL, "VLRITEM" numeric(12,2),
          "VLRTOTAL" numeric(14,2) NOT NULL, "VLRDESCONTO" numeric(12,2), PRIMARY KEY ("NROEMPRESA", "NUMERODF", "SEQITEM"));
        INSERT INTO "{prefix}VW_PLUSOFT_VENDA"
        SELECT (n - 1) / 3 % {filiais} + 1, (n - 1) / 3 + 1, '1', (n - 1) % 3 + 1, date '2024-07-01' + (n - 1) / 300,
               n % {produtos} + 1, CASE WHEN n % 4 = 0 THEN NULL ELSE n % {clientes} + 1 END, n % 5 + 1, n % 100 + 0.5,
               (n % 5 + 1) * (n % 100 + 0.5), CASE WHEN n % 6 = 0 THEN 1.00 END
        FROM generate_series(1, {vendas}) n;
        CREATE INDEX ON "{prefix}VW_PLUSOFT_VENDA" ("DTAVDA", "NROEMPRESA", "NUMERODF", "SEQITEM");
        """;

    public static string MariaDb(string prefix, int filiais, int produtos, int clientes, int vendas) => DropMariaDb(prefix) + $"""
        CREATE TABLE `{prefix}VW_PLUSOFT_FILIAL` (NROEMPRESA int PRIMARY KEY, NOMEREDUZIDO char(40) NOT NULL, RAZAOSOCIAL varchar(100),
          NROCGC bigint NOT NULL, CIDADE varchar(60), UF char(2), STATUS char(1) NOT NULL, DTAALTERACAO datetime NOT NULL);
        INSERT INTO `{prefix}VW_PLUSOFT_FILIAL`
        SELECT seq, CONCAT('LOJA ', seq), CONCAT('Supermercado São João Ltda, filial ', seq), 12345678000100 + seq, 'Recife', 'PE',
               IF(seq % 5 = 0, 'I', 'A'), TIMESTAMP '2024-07-01 00:00:00' + INTERVAL seq SECOND
        FROM seq_1_to_{filiais};
        CREATE TABLE `{prefix}VW_PLUSOFT_PRODUTO` (SEQPRODUTO int PRIMARY KEY, DESCCOMPLETA varchar(120) NOT NULL, TXDESCRICAOREDUZIDA char(40),
          CODACESSO varchar(14), SEQFAMILIA int, EMBALAGEM varchar(6), PRECOVENDA decimal(12,4), STATUSVENDA char(1), DTAHORALTERACAO datetime NOT NULL);
        INSERT INTO `{prefix}VW_PLUSOFT_PRODUTO`
        SELECT seq, CONCAT('Açúcar cristal 1kg nº ', seq), CONCAT('ACUCAR ', seq), IF(seq % 10 = 0, ' ', CAST(7890000000000 + seq AS char)),
               seq % 50 + 1, 'UN', seq % 1000 + 0.99, IF(seq % 5 = 0, 'I', 'A'), TIMESTAMP '2024-07-01 00:00:00' + INTERVAL seq SECOND
        FROM seq_1_to_{produtos};
        CREATE TABLE `{prefix}VW_PLUSOFT_CLIENTE` (SEQPESSOA int PRIMARY KEY, NOMERAZAO varchar(100) NOT NULL, FANTASIA varchar(100),
          NROCGCCPF varchar(14) NOT NULL, FISICAJURIDICA char(1) NOT NULL, EMAIL varchar(100), FONENRO varchar(20), CIDADE varchar(60),
          UF char(2), DTANASCFUND date, DTAALTERACAO datetime NOT NULL);
        INSERT INTO `{prefix}VW_PLUSOFT_CLIENTE`
        SELECT seq, CONCAT('Cliente ', seq), IF(seq % 3 = 0, NULL, CONCAT('Fantasia ', seq)),
               IF(seq % 7 = 0, LPAD(seq, 14, '0'), LPAD(seq, 11, '0')), IF(seq % 7 = 0, 'J', 'F'),
               CONCAT('cliente', seq, '@example.com'), CONCAT('8199', LPAD(seq, 6, '0')), 'Olinda', 'PE', DATE '1980-01-01' + INTERVAL seq % 10000 DAY,
               TIMESTAMP '2024-07-01 00:00:00' + INTERVAL seq SECOND
        FROM seq_1_to_{clientes};
        CREATE TABLE `{prefix}VW_PLUSOFT_VENDA` (NROEMPRESA int NOT NULL, NUMERODF bigint NOT NULL, SERIEDF varchar(3), SEQITEM int NOT NULL,
          DTAVDA date NOT NULL, SEQPRODUTO int NOT NULL, SEQPESSOA int, QTDITEM decimal(12,3) NOT NULL, VLRITEM decimal(12,2),
          VLRTOTAL decimal(14,2) NOT NULL, VLRDESCONTO decimal(12,2), PRIMARY KEY (NROEMPRESA, NUMERODF, SEQITEM),
          KEY (DTAVDA, NROEMPRESA, NUMERODF, SEQITEM));
        INSERT INTO `{prefix}VW_PLUSOFT_VENDA`
        SELECT (seq - 1) DIV 3 % {filiais} + 1, (seq - 1) DIV 3 + 1, '1', (seq - 1) % 3 + 1, DATE '2024-07-01' + INTERVAL (seq - 1) DIV 300 DAY,
               seq % {produtos} + 1, IF(seq % 4 = 0, NULL, seq % {clientes} + 1), seq % 5 + 1, seq % 100 + 0.5,
               (seq % 5 + 1) * (seq % 100 + 0.5), IF(seq % 6 = 0, 1.00, NULL)
        FROM seq_1_to_{vendas};
        """;
}
