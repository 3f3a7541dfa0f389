#!/usr/bin/env bash
# Installs (if missing) and starts the servers the tests and benchmarks need, on loopback only:
# PostgreSQL and MariaDB from Debian (with their dump tools), s3rver and maildev from npm, and two
# smtp4dev (a dotnet tool) that demand TLS and a login. Idempotent.
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
# smtp4dev, pinned, twice: SMTP servers that require TLS and a login, for the mail security tests —
# STARTTLS on 127.0.0.1:1587 (API http://127.0.0.1:1588) and implicit TLS on 127.0.0.1:1465 (API
# http://127.0.0.1:1466), user datasync-mail / mail-Secret-42, with a self-signed certificate made here
# (cert.pem; the tests trust it by its thumbprint, or not at all).
SMTP4DEV_VERSION=3.15.0
SMTP4DEV_PREFIX="${SMTP4DEV_PREFIX:-/opt/smtp4dev-$SMTP4DEV_VERSION}"
SMTP_TLS_DIR="${SMTP_TLS_DIR:-/var/lib/datasync-smtp-tls}"
[ -x "$SMTP4DEV_PREFIX/smtp4dev" ] || dotnet tool install --tool-path "$SMTP4DEV_PREFIX" Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION" >/dev/null
command -v openssl >/dev/null || { apt-get update -qq && apt-get install -y -qq openssl >/dev/null; }
mkdir -p "$SMTP_TLS_DIR"
if [ ! -s "$SMTP_TLS_DIR/cert.pem" ] || [ ! -s "$SMTP_TLS_DIR/key.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$SMTP_TLS_DIR/key.pem" -out "$SMTP_TLS_DIR/cert.pem" 2>/dev/null
  chmod 600 "$SMTP_TLS_DIR/key.pem"
fi
smtp4dev_up() { node -e "require('http').get('http://127.0.0.1:$1/api/messages',r=>process.exit(r.statusCode==200?0:1)).on('error',()=>process.exit(1))" 2>/dev/null; }
start_smtp4dev() { # start_smtp4dev SMTP_PORT API_PORT TLS_MODE
  smtp4dev_up "$2" && return 0
  # Workstation GC: the tool asks for server GC, a heap per core, for a server that sees a few mails.
  (DOTNET_gcServer=0 setsid nohup "$SMTP4DEV_PREFIX/smtp4dev" --bindaddress=127.0.0.1 --hostname=localhost --smtpport="$1" \
    --tlsmode="$3" --secureconnectionrequired --authenticationrequired --smtpallowanycredentials- --user=datasync-mail=mail-Secret-42 \
    --tlscertificate="$SMTP_TLS_DIR/cert.pem" --tlscertificateprivatekey="$SMTP_TLS_DIR/key.pem" \
    --urls="http://127.0.0.1:$2" --db= --imapport= --pop3port= --nousersettings >>"/var/log/smtp4dev-$1.log" 2>&1 < /dev/null &)
  for i in $(seq 1 60); do smtp4dev_up "$2" && return 0; sleep 1; done
  echo "smtp4dev did not start on 127.0.0.1:$1/$2 (see /var/log/smtp4dev-$1.log)"; exit 1
}
start_smtp4dev 1587 1588 StartTls
start_smtp4dev 1465 1466 ImplicitTls

command -v pg_dump >/dev/null && command -v mariadb-dump >/dev/null || { echo "pg_dump or mariadb-dump is missing (postgresql-client, mariadb-client)"; exit 1; }

echo "servers: PostgreSQL $ver and MariaDB $(mariadb -uroot -N -e 'select version()') are up"
echo "servers: s3rver $("$s3rver_bin" --version) is up on http://127.0.0.1:4568 (data in $S3RVER_DATA)"
echo "servers: maildev $MAILDEV_VERSION is up (SMTP 127.0.0.1:1025, API http://127.0.0.1:1080); $(pg_dump --version); $(mariadb-dump --version)"
echo "servers: smtp4dev $SMTP4DEV_VERSION is up (STARTTLS 127.0.0.1:1587, API :1588; implicit TLS 127.0.0.1:1465, API :1466; certificate $SMTP_TLS_DIR/cert.pem)"
