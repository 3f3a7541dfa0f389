#!/usr/bin/env python3
"""The seed's way of loading API records into PostgreSQL (auvo_sync.py's style): one INSERT ... ON
CONFLICT per record through psycopg2, committed at the end. Reads the benchmark's CSV.
usage: py_insert_pg.py <csv> <table>"""
import csv
import os
import sys

import psycopg2


def main():
    path, table = sys.argv[1], sys.argv[2]
    conn = psycopg2.connect(host="127.0.0.1", user=os.environ.get("BENCH_PG_USER", "bench"),
                            password=os.environ.get("BENCH_PG_PASSWORD", "bench"), dbname=os.environ.get("BENCH_PG_DB", "bench"))
    cur = conn.cursor()
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(f"""CREATE TABLE {table} (id bigint PRIMARY KEY, nome text, valor numeric, ativo boolean,
                    atualizado_em timestamptz, endereco jsonb)""")
    conn.commit()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cur.execute(
                f"""INSERT INTO {table} (id, nome, valor, ativo, atualizado_em, endereco)
                    VALUES (%s, %s, %s, %s, %s, %s)
                    ON CONFLICT (id) DO UPDATE SET nome = EXCLUDED.nome, valor = EXCLUDED.valor, ativo = EXCLUDED.ativo,
                        atualizado_em = EXCLUDED.atualizado_em, endereco = EXCLUDED.endereco""",
                (int(row["id"]), row["nome"], row["valor"], row["ativo"] == "true", row["atualizado_em"], row["endereco"]))
    conn.commit()
    conn.close()


if __name__ == "__main__":
    main()
