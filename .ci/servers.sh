#!/usr/bin/env bash
# Installs (if missing) and starts the servers the tests and benchmarks need, on loopback only:
# PostgreSQL and MariaDB from Debian (with their dump tools), s3rver and maildev from npm. Idempotent.
# Creates user datasync/datasync (tests) and bench/bench (benchmarks) on both engines.
# s3rver (the S3 store behind the DataSnap emulator) listens on 127.0.0.1:4568, keys S3RVER/S3RVER.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql postgresql-contrib)
command -v mariadbd >/dev/null || need+=(mariadb-server mariadb-client)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import psycopg2, pymysql' 2>/dev/null || need+=(python3-psycopg2 python3-pymysql)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v npm >/dev/null || need+=(nodejs npm)
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

# s3rver, pinned, in a prefix of its own (the DataSnap emulator's presigned URLs point at it).
S3RVER_VERSION=3.7.1
S3RVER_PREFIX="${S3RVER_PREFIX:-/opt/s3rver-$S3RVER_VERSION}"
S3RVER_DATA="${S3RVER_DATA:-/var/lib/s3rver}"
s3rver_bin="$S3RVER_PREFIX/node_modules/.bin/s3rver"
s3rver_up() { node -e "require('http').get('http://127.0.0.1:4568/',r=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; }
if [ "$("$s3rver_bin" --version 2>/dev/null)" != "$S3RVER_VERSION" ]; then
  npm install --loglevel=error --no-save --no-fund --no-audit --prefix "$S3RVER_PREFIX" "s3rver@$S3RVER_VERSION" >/dev/null
fi
if ! s3rver_up; then
  mkdir -p "$S3RVER_DATA"
  (setsid nohup "$s3rver_bin" --directory "$S3RVER_DATA" --address 127.0.0.1 --port 4568 --silent \
    >>"$S3RVER_DATA.log" 2>&1 < /dev/null &)
  for i in $(seq 1 30); do s3rver_up && break; sleep 1; done
  s3rver_up || { echo "s3rver did not start on 127.0.0.1:4568 (see $S3RVER_DATA.log)"; exit 1; }
fi

# maildev, pinned: the SMTP server (127.0.0.1:1025) whose HTTP API (127.0.0.1:1080/email) the mail
# notification tests read back. The dump and restore tools (pg_dump/pg_restore, mariadb-dump/mariadb)
# come with the server packages above.
MAILDEV_VERSION=2.2.1
MAILDEV_PREFIX="${MAILDEV_PREFIX:-/opt/maildev-$MAILDEV_VERSION}"
maildev_bin="$MAILDEV_PREFIX/node_modules/.bin/maildev"
maildev_up() { node -e "require('http').get('http://127.0.0.1:1080/email',r=>process.exit(r.statusCode==200?0:1)).on('error',()=>process.exit(1))" 2>/dev/null; }
if [ "$("$maildev_bin" --version 2>/dev/null)" != "$MAILDEV_VERSION" ]; then
  npm install --loglevel=error --no-save --no-fund --no-audit --prefix "$MAILDEV_PREFIX" "maildev@$MAILDEV_VERSION" >/dev/null
fi
if ! maildev_up; then
  (setsid nohup "$maildev_bin" --ip 127.0.0.1 --smtp 1025 --web 1080 --silent >>/var/log/maildev.log 2>&1 < /dev/null &)
  for i in $(seq 1 30); do maildev_up && break; sleep 1; done
  maildev_up || { echo "maildev did not start on 127.0.0.1:1025/1080 (see /var/log/maildev.log)"; exit 1; }
fi
command -v pg_dump >/dev/null && command -v mariadb-dump >/dev/null || { echo "pg_dump or mariadb-dump is missing (postgresql-client, mariadb-client)"; exit 1; }

echo "servers: PostgreSQL $ver and MariaDB $(mariadb -uroot -N -e 'select version()') are up"
echo "servers: s3rver $("$s3rver_bin" --version) is up on http://127.0.0.1:4568 (data in $S3RVER_DATA)"
echo "servers: maildev $MAILDEV_VERSION is up (SMTP 127.0.0.1:1025, API http://127.0.0.1:1080); $(pg_dump --version); $(mariadb-dump --version)"
