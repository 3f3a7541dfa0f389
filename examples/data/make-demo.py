#!/usr/bin/env python3
"""Builds demo.sqlite, the embedded demo source of the quickstart: a small retail 'vendas' table
shaped like ../shared/bench/seed_*.sql (mixed types, NULLs, non-ASCII text). Deterministic.

The columns declare the types Export-SyncBatch writes as DESIGN contract 3 says (SQLite itself keeps
each value as INTEGER, REAL, TEXT or BLOB): DECIMAL(14,2) as an exact number, BOOLEAN as true/false,
TIMESTAMP/DATETIME as ISO 8601 with offset, DATE as yyyy-MM-dd, JSON as JSON."""
import json, os, sqlite3, sys
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "demo.sqlite")
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
if os.path.exists(path): os.remove(path)
db = sqlite3.connect(path)
db.executescript("""
CREATE TABLE vendas (
  id INTEGER PRIMARY KEY, filial_id INTEGER NOT NULL, cliente_nome VARCHAR(120), produto TEXT NOT NULL,
  quantidade INTEGER NOT NULL, valor_total DECIMAL(14,2) NOT NULL, pago BOOLEAN NOT NULL,
  vendido_em TIMESTAMP NOT NULL, data_fiscal DATE NOT NULL, extra JSON, updated_at DATETIME NOT NULL);
CREATE INDEX vendas_updated ON vendas(updated_at, id);
CREATE TABLE filiais (id INTEGER PRIMARY KEY, nome TEXT NOT NULL, cidade TEXT NOT NULL);
""")
db.executemany("INSERT INTO filiais VALUES (?, ?, ?)",
    [(i, f"Filial {i}", c) for i, c in enumerate(["São Paulo", "Belo Horizonte", "Curitiba", "Recife", "Porto Alegre"], 1)])
db.executemany("INSERT INTO vendas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
    (g, g % 5 + 1, None if g % 11 == 0 else f"Cliente São João nº {g}", f"Produto {g % 97}", g % 9 + 1,
     f"{(g * 7919) % 100000 / 100:.2f}", g % 3 == 0,
     f"2024-01-{1 + g % 28:02d}T{g % 24:02d}:{g % 60:02d}:00-03:00", f"2024-01-{1 + g % 28:02d}",
     None if g % 4 == 1 else json.dumps({"canal": ["loja", "web"][g % 2], "cupom": g % 7 == 0}, ensure_ascii=False),
     f"2024-02-01 00:{(g // 100) % 60:02d}:{g % 60:02d}")
    for g in range(1, rows + 1)])
db.commit(); db.execute("VACUUM"); db.close()
print(path, rows, "rows")
