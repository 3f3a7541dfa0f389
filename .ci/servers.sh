#!/usr/bin/env bash
# Installs (if missing) and starts the servers the tests and benchmarks need, on loopback only:
# PostgreSQL and MariaDB from Debian, s3rver from npm. Idempotent: safe to run again.
# Creates user datasync/datasync (tests) and bench/bench (benchmarks) on both engines.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql postgresql-contrib)
command -v mariadbd >/dev/null || need+=(mariadb-server mariadb-client)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import psycopg2, pymysql' 2>/dev/null || need+=(python3-psycopg2 python3-pymysql)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: first cluster of the installed major version.
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$ver main" || pg_createcluster "$ver" main >/dev/null
pg_ctlcluster "$ver" main status >/dev/null 2>&1 || pg_ctlcluster "$ver" main start
for i in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'datasync') THEN CREATE ROLE datasync LOGIN SUPERUSER PASSWORD 'datasync'; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench') THEN CREATE ROLE bench LOGIN PASSWORD 'bench'; END IF;
END $$;
SQL
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='datasync_test'\"" | grep -q 1 || su postgres -c "createdb -O datasync datasync_test"
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='bench'\"" | grep -q 1 || su postgres -c "createdb -O bench bench"

# MariaDB
if ! mariadb-admin ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql >/dev/null
  (mysqld_safe --bind-address=127.0.0.1 >/dev/null 2>&1 &)
  for i in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 1; done
fi
mariadb -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'datasync'@'127.0.0.1' IDENTIFIED BY 'datasync';
CREATE USER IF NOT EXISTS 'datasync'@'localhost' IDENTIFIED BY 'datasync';
GRANT ALL PRIVILEGES ON *.* TO 'datasync'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'datasync'@'localhost' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'bench'@'127.0.0.1' IDENTIFIED BY 'bench';
CREATE USER IF NOT EXISTS 'bench'@'localhost' IDENTIFIED BY 'bench';
CREATE DATABASE IF NOT EXISTS datasync_test CHARACTER SET utf8mb4;
CREATE DATABASE IF NOT EXISTS bench CHARACTER SET utf8mb4;
GRANT ALL PRIVILEGES ON bench.* TO 'bench'@'127.0.0.1';
GRANT ALL PRIVILEGES ON bench.* TO 'bench'@'localhost';
FLUSH PRIVILEGES;
SQL
echo "servers: PostgreSQL $ver and MariaDB $(mariadb -uroot -N -e 'select version()') are up"
