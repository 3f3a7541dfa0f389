-- Tables shaped like the Consinco views Sync-Plusoft reads (see ConsincoSample.cs), PostgreSQL.
-- Tokens replaced by the caller: {prefix} {filiais} {produtos} {clientes} {vendas}.
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
