-- Tables shaped like the Consinco views Sync-Plusoft reads (see ConsincoSample.cs), MariaDB (seq_1_to_N: the Sequence engine, on by default).
-- Tokens replaced by the caller: {prefix} {filiais} {produtos} {clientes} {vendas}.
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
