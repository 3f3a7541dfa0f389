namespace DataSyncPS.Engine.Tests.Schema;

/// <summary>A production-like schema per engine: foreign keys with a cycle (pedidos ↔ itens) and a
/// self-reference, a view, a trigger, routines, a generated column, a reserved-word table and a column
/// with a quote in its name. <see cref="Respelled"/> is the same schema typed another way.</summary>
public static class ProductionSchema
{
    public static string[] For(ProviderKind kind) => kind == ProviderKind.PostgreSql ? PostgreSql : MariaDb;

    public static readonly string[] MariaDb =
    [
        """
        CREATE TABLE clientes (id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY, nome varchar(100) NOT NULL,
          indicado_por int(11) NULL, email varchar(200), criado_em timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
          dados json, `it's` varchar(10) DEFAULT 'x''y' COMMENT 'quote''s', KEY idx_nome (nome(20)), UNIQUE KEY uq_email (email),
          CONSTRAINT fk_indicado FOREIGN KEY (indicado_por) REFERENCES clientes(id) ON DELETE SET NULL)
          ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='clientes'
        """,
        """
        CREATE TABLE pedidos (id bigint(20) NOT NULL AUTO_INCREMENT PRIMARY KEY, cliente_id int(11) NOT NULL, total decimal(12,2) NOT NULL DEFAULT 0.00,
          qtd int NOT NULL, preco decimal(10,2) NOT NULL, subtotal decimal(12,2) GENERATED ALWAYS AS (qtd * preco) STORED, ultimo_item_id bigint NULL,
          CONSTRAINT ck_qtd CHECK (qtd > 0), KEY idx_cli_total (cliente_id, total DESC),
          CONSTRAINT fk_cliente FOREIGN KEY (cliente_id) REFERENCES clientes(id) ON DELETE CASCADE ON UPDATE CASCADE)
          ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
        """,
        """
        CREATE TABLE itens (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, pedido_id bigint NOT NULL, produto varchar(50),
          CONSTRAINT fk_pedido FOREIGN KEY (pedido_id) REFERENCES pedidos(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
        """,
        "ALTER TABLE pedidos ADD CONSTRAINT fk_ultimo_item FOREIGN KEY (ultimo_item_id) REFERENCES itens(id)",
        "CREATE TABLE `order` (`select` int PRIMARY KEY, `from` varchar(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
        "CREATE VIEW v_pedidos AS SELECT p.id, c.nome, p.subtotal FROM pedidos p JOIN clientes c ON c.id = p.cliente_id",
        "CREATE TRIGGER trg_pedidos_bi BEFORE INSERT ON pedidos FOR EACH ROW SET NEW.total = GREATEST(NEW.total, 0)",
        "CREATE PROCEDURE limpa_pedidos(IN ate BIGINT) BEGIN DELETE FROM pedidos WHERE id < ate; END",
        "CREATE FUNCTION dobro(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
    ];

    public static readonly string[] PostgreSql =
    [
        "CREATE TYPE status_pedido AS ENUM ('novo', 'pago', 'enviado')",
        "CREATE SEQUENCE nota_seq START 1000",
        """
        CREATE TABLE clientes (id serial PRIMARY KEY, nome varchar(100) NOT NULL, indicado_por int REFERENCES clientes(id) ON DELETE SET NULL,
          email text COLLATE "C" UNIQUE, criado_em timestamptz NOT NULL DEFAULT now(), dados jsonb, "it's" varchar(10) DEFAULT 'x''y')
        """,
        "COMMENT ON COLUMN clientes.\"it's\" IS 'quote''s'",
        """
        CREATE TABLE pedidos (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, cliente_id int NOT NULL, status status_pedido NOT NULL DEFAULT 'novo',
          qtd int NOT NULL CHECK (qtd > 0), preco numeric(10,2) NOT NULL, subtotal numeric(12,2) GENERATED ALWAYS AS (qtd * preco) STORED,
          nota int DEFAULT nextval('nota_seq'), ultimo_item_id bigint,
          CONSTRAINT fk_cliente FOREIGN KEY (cliente_id) REFERENCES clientes(id) ON DELETE CASCADE ON UPDATE CASCADE)
        """,
        "CREATE INDEX idx_cli ON pedidos (cliente_id, preco DESC) WHERE qtd > 1",
        "CREATE TABLE itens (id bigserial PRIMARY KEY, pedido_id bigint NOT NULL REFERENCES pedidos(id), produto varchar(50))",
        "ALTER TABLE pedidos ADD CONSTRAINT fk_ultimo_item FOREIGN KEY (ultimo_item_id) REFERENCES itens(id)",
        "CREATE TABLE \"order\" (\"select\" int PRIMARY KEY, \"from\" text)",
        "CREATE VIEW v_pedidos AS SELECT p.id, c.nome, p.subtotal FROM pedidos p JOIN clientes c ON c.id = p.cliente_id",
        "CREATE FUNCTION trg_preco() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.preco := greatest(NEW.preco, 0); RETURN NEW; END $$",
        "CREATE TRIGGER trg_pedidos_bi BEFORE INSERT ON pedidos FOR EACH ROW EXECUTE FUNCTION trg_preco()",
    ];

    /// <summary>The same schema typed with other spellings: no display widths, charset restated, int4 for integer.</summary>
    public static string[] Respelled(ProviderKind kind) => For(kind).Select(s => kind == ProviderKind.PostgreSql
        ? s.Replace("cliente_id int NOT NULL", "cliente_id int4 NOT NULL").Replace("varchar(50)", "character varying(50)")
        : s.Replace("int(11)", "int").Replace("bigint(20)", "bigint").Replace("varchar(200)", "varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"))
        .ToArray();

    /// <summary>Rows that exercise the cycle, the self-reference and the odd names.</summary>
    public static string[] Rows(ProviderKind kind) => kind == ProviderKind.PostgreSql
        ?
        [
            "INSERT INTO clientes (nome, email) SELECT 'cliente ' || g, 'c' || g || '@x' FROM generate_series(1, 300) g",
            "UPDATE clientes SET indicado_por = id - 1 WHERE id > 1",
            "INSERT INTO pedidos (cliente_id, qtd, preco) SELECT 1 + g % 300, 1 + g % 5, g * 0.5 FROM generate_series(1, 2500) g",
            "INSERT INTO itens (pedido_id, produto) SELECT id, 'produto ''' || id FROM pedidos",
            "UPDATE pedidos SET ultimo_item_id = (SELECT max(i.id) FROM itens i WHERE i.pedido_id = pedidos.id)",
            "INSERT INTO \"order\" VALUES (1, 'a\"b'), (2, NULL)",
        ]
        :
        [
            "INSERT INTO clientes (nome, email) SELECT CONCAT('cliente ', seq), CONCAT('c', seq, '@x') FROM seq_1_to_300",
            "UPDATE clientes SET indicado_por = id - 1 WHERE id > 1",
            "INSERT INTO pedidos (cliente_id, qtd, preco) SELECT 1 + seq % 300, 1 + seq % 5, seq * 0.5 FROM seq_1_to_2500",
            "INSERT INTO itens (pedido_id, produto) SELECT id, CONCAT('produto ''', id) FROM pedidos",
            "UPDATE pedidos p SET ultimo_item_id = (SELECT max(i.id) FROM itens i WHERE i.pedido_id = p.id)",
            "INSERT INTO `order` VALUES (1, 'a`b'), (2, NULL)",
        ];
}
