#!/usr/bin/env bash
# Builds a realistic SQLite database of about MB mebibytes, damaged the way a
# rename-first migration damages it, for the fix-fk benchmarks (tools/bench.sh).
# Usage: tools/bench/make_bigdb.sh DB MB [SHAPE]   (needs only the sqlite3 CLI)
# SHAPE is shop (the default, below) or index-heavy: the same database plus
# ten secondary indexes on text and date columns, and many orphan rows: a
# tenth of the users, accounts and products deleted after the damage, so no
# cascade ran (the shape of an issue tracker whose keys dangled for months).
#
# 1. Fifteen tables of a shop and bank (users, accounts, products, orders,
#    items, payments, reviews, sessions, ...): TEXT, REAL and BLOB columns,
#    realistic row sizes, two WITHOUT ROWID tables (items, sessions), UNIQUE and
#    composite-PK autoindexes, an AUTOINCREMENT table, 14 explicit indexes.
# 2. Rows come from recursive CTEs; every value except the randomblob() bytes
#    is a function of the row number, and every length is, so the same MB gives
#    the same schema, row counts and (within a page or two) the same file size.
#    Row counts are proportional to MB (the two tiny lookup tables are fixed).
# 3. A handful of orphan rows (children whose parent row does not exist), as
#    real databases collect while foreign keys are off.
# 4. users, accounts and products are rebuilt rename-first, with the default
#    PRAGMA legacy_alter_table=OFF: RENAME TO users__old / accounts_old /
#    products_backup, CREATE the new table, INSERT ... SELECT, DROP the old one.
#    SQLite repoints every child's REFERENCES at the renamed table, so nine
#    child tables are left naming a table that no longer exists. The dropped
#    tables' pages stay on the freelist, as in a real migrated file.
# The script checks the nine dangling tables and prints the file's size.
set -euo pipefail

db=${1:?usage: make_bigdb.sh DB MB [SHAPE]}
mb=${2:?usage: make_bigdb.sh DB MB [SHAPE]}
shape=${3:-shop}
case $shape in shop|index-heavy) ;; *) echo "make_bigdb: SHAPE is shop or index-heavy, got '$shape'" >&2; exit 2 ;; esac
[[ $mb =~ ^[1-9][0-9]*$ ]] || { echo "make_bigdb: MB must be a positive integer, got '$mb'" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "make_bigdb: the sqlite3 CLI is missing" >&2; exit 2; }

# Rows per MiB, tuned so that the file is about MB MiB (see the check below).
# NOTE: the rates are integers per 64 MiB so that small sizes still round well.
rows() { echo $(( ($1 * mb + 63) / 64 )); }
n_users=$(rows 4560)
n_accounts=$(rows 5840)
n_products=$(rows 584)
n_orders=$(rows 14600)
n_payments=$(rows 11680)
n_reviews=$(rows 7300)
n_sessions=$(rows 5840)
n_addresses=$(rows 4560)
n_transfers=$(rows 8760)
n_audit=$(rows 5840)
n_categories=200
n_warehouses=8

rm -f "$db" "$db-journal" "$db-wal" "$db-shm"
start=$(date +%s.%N)

sqlite3 -bail "$db" >/dev/null <<SQL
-- Build speed only: none of these is stored in the file.
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
PRAGMA locking_mode=EXCLUSIVE;
PRAGMA cache_size=-262144;
PRAGMA temp_store=MEMORY;
PRAGMA legacy_alter_table=OFF;
PRAGMA foreign_keys=OFF;

-- Deterministic text: slices of this paragraph (TEMP: not stored in the file).
CREATE TEMP TABLE lorem(t TEXT);
INSERT INTO lorem VALUES (
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore '
  || 'et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut '
  || 'aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum '
  || 'dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui '
  || 'officia deserunt mollit anim id est laborum. Sed ut perspiciatis unde omnis iste natus error sit '
  || 'voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore '
  || 'veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo enim ipsam voluptatem quia '
  || 'voluptas sit aspernatur aut odit aut fugit, sed quia consequuntur magni dolores eos qui ratione '
  || 'voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, '
  || 'adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat '
  || 'voluptatem. Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi '
  || 'ut aliquid ex ea commodi consequatur? Quis autem vel eum iure reprehenderit qui in ea voluptate velit esse '
  || 'quam nihil molestiae consequatur, vel illum qui dolorem eum fugiat quo voluptas nulla pariatur?');
-- text(i, salt, n): n characters of the paragraph at an offset derived from i.
-- (Written out inline below as substr((SELECT t FROM lorem), 1 + (i*P+salt) % 700, n).)

CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  bio TEXT);
CREATE TABLE accounts(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('checking', 'savings', 'credit')),
  iban TEXT NOT NULL UNIQUE,
  balance REAL NOT NULL DEFAULT 0,
  opened_at TEXT NOT NULL);
CREATE TABLE products(
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT,
  price REAL NOT NULL,
  image BLOB);
CREATE TABLE categories(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  parent_id INTEGER REFERENCES categories(id));
CREATE TABLE warehouses(
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  city TEXT NOT NULL);
CREATE TABLE product_categories(
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories(id),
  PRIMARY KEY (product_id, category_id));
CREATE TABLE orders(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'new',
  total REAL NOT NULL,
  created_at TEXT NOT NULL,
  note TEXT);
CREATE TABLE items(
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL,
  unit_price REAL NOT NULL,
  PRIMARY KEY (order_id, line)) WITHOUT ROWID;
CREATE TABLE payments(
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  amount REAL NOT NULL,
  paid_at TEXT NOT NULL,
  receipt BLOB);
CREATE TABLE reviews(
  id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body TEXT,
  created_at TEXT NOT NULL);
CREATE TABLE sessions(
  token TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL,
  data BLOB) WITHOUT ROWID;
CREATE TABLE addresses(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  street TEXT NOT NULL,
  city TEXT NOT NULL,
  zip TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT 'DE');
CREATE TABLE transfers(
  id INTEGER PRIMARY KEY,
  from_account INTEGER NOT NULL REFERENCES accounts(id),
  to_account INTEGER NOT NULL REFERENCES accounts(id),
  amount REAL NOT NULL,
  memo TEXT,
  created_at TEXT NOT NULL);
CREATE TABLE inventory(
  product_id INTEGER NOT NULL REFERENCES products(id),
  warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
  quantity INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (product_id, warehouse_id));
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  payload BLOB);

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_categories)
INSERT INTO categories
  SELECT i, 'category-' || i, CASE WHEN i > 20 THEN 1 + i % 20 END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_warehouses)
INSERT INTO warehouses
  SELECT i, printf('WH%02d', i), substr('BerlinHamburgMunichCologneLeipzigDresdenBremenEssen', 1 + (i - 1) * 6, 6) FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_users)
INSERT INTO users
  SELECT i,
         'user' || i || '@example.' || substr('comorgnetdeio', 1 + (i % 5) * 3, 3),
         substr((SELECT t FROM lorem), 1 + (i * 7919) % 700, 8 + i % 17),
         datetime(1500000000 + i * 97, 'unixepoch'),
         substr((SELECT t FROM lorem), 1 + (i * 104729) % 300, 200 + (i * 31) % 700)
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_accounts)
INSERT INTO accounts
  SELECT i,
         1 + (i * 2654435761) % $n_users,
         CASE i % 3 WHEN 0 THEN 'checking' WHEN 1 THEN 'savings' ELSE 'credit' END,
         printf('DE%02d%08d%010d', i % 97, (i * 48271) % 100000000, i),
         round(((i * 69069) % 10000000) / 100.0 - 20000, 2),
         datetime(1500000000 + i * 83, 'unixepoch')
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_products)
INSERT INTO products
  SELECT i,
         printf('SKU-%07d', i),
         substr((SELECT t FROM lorem), 1 + (i * 6007) % 700, 20 + i % 40),
         substr((SELECT t FROM lorem), 1 + (i * 3571) % 300, 300 + (i * 13) % 900),
         round(1 + ((i * 40503) % 99999) / 100.0, 2),
         randomblob(4000 + (i * 7) % 8000)
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_products)
INSERT INTO product_categories
  SELECT i, 1 + (i * 31) % $n_categories FROM n
  UNION ALL SELECT i, 1 + (i * 31 + 7) % $n_categories FROM n
  UNION ALL SELECT i, 1 + (i * 31 + 101) % $n_categories FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_products * $n_warehouses)
INSERT INTO inventory
  SELECT 1 + (i - 1) / $n_warehouses, 1 + (i - 1) % $n_warehouses, (i * 7841) % 500 FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_orders)
INSERT INTO orders
  SELECT i,
         1 + (i * 2246822519) % $n_users,
         CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + (i * 3266489917) % $n_accounts END,
         CASE i % 7 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'new' WHEN 2 THEN 'paid' ELSE 'shipped' END,
         round(((i * 668265263) % 5000000) / 100.0, 2),
         datetime(1550000000 + i * 29, 'unixepoch'),
         CASE WHEN i % 4 <> 0 THEN substr((SELECT t FROM lorem), 1 + (i * 15485863) % 700, 20 + i % 100) END
  FROM n;

-- One to five lines per order, in primary-key order.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_orders),
     l(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM l WHERE k < 5)
INSERT INTO items
  SELECT i, k,
         1 + (i * 374761393 + k * 668265263) % $n_products,
         1 + (i + k) % 4,
         round(1 + ((i * 40503 + k) % 99999) / 100.0, 2)
  FROM n, l WHERE k <= 1 + (i * 7) % 5;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_payments)
INSERT INTO payments
  SELECT i,
         1 + (i * 2654435761) % $n_orders,
         1 + (i * 40503) % $n_accounts,
         round(((i * 69069) % 5000000) / 100.0, 2),
         datetime(1550000000 + i * 37, 'unixepoch'),
         randomblob(800 + (i * 13) % 1600)
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_reviews)
INSERT INTO reviews
  SELECT i,
         1 + (i * 2246822519) % $n_products,
         CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + (i * 3266489917) % $n_users END,
         1 + (i * 7) % 5,
         substr((SELECT t FROM lorem), 1 + (i * 104723) % 200, 200 + (i * 17) % 1000),
         datetime(1560000000 + i * 41, 'unixepoch')
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_sessions)
INSERT INTO sessions
  SELECT printf('%08x%08x%08x%08x', (i * 2654435761) % 4294967296, (i * 2246822519) % 4294967296,
                (i * 3266489917) % 4294967296, i),
         1 + (i * 668265263) % $n_users,
         datetime(1700000000 + i * 61, 'unixepoch'),
         randomblob(100 + (i * 11) % 400)
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_addresses)
INSERT INTO addresses
  SELECT i, i,
         substr((SELECT t FROM lorem), 1 + (i * 7907) % 700, 12 + i % 20) || ' ' || (1 + i % 200),
         substr('BerlinHamburgMunichCologneLeipzigDresdenBremenEssen', 1 + (i % 8) * 6, 6),
         printf('%05d', (i * 48271) % 100000),
         CASE WHEN i % 10 = 0 THEN 'AT' ELSE 'DE' END
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_transfers)
INSERT INTO transfers
  SELECT i,
         1 + (i * 2654435761) % $n_accounts,
         1 + (i * 2246822519) % $n_accounts,
         round(((i * 48271) % 1000000) / 100.0, 2),
         substr((SELECT t FROM lorem), 1 + (i * 7901) % 700, 10 + i % 60),
         datetime(1600000000 + i * 53, 'unixepoch')
  FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_audit)
INSERT INTO audit_log(at, actor, action, payload)
  SELECT datetime(1600000000 + i * 13, 'unixepoch'),
         'user' || (1 + (i * 69069) % $n_users),
         CASE i % 4 WHEN 0 THEN 'login' WHEN 1 THEN 'update' WHEN 2 THEN 'export' ELSE 'delete' END,
         randomblob(600 + (i * 17) % 1500)
  FROM n;

-- Orphans: children whose parent row never existed.
INSERT INTO orders VALUES ($n_orders + 1, $n_users + 1000, NULL, 'new', 1.0, '2024-01-01 00:00:00', 'orphan user');
INSERT INTO items VALUES ($n_orders + 1000, 1, 1, 1, 1.0);
INSERT INTO reviews VALUES ($n_reviews + 1, $n_products + 1000, 1, 3, 'orphan product', '2024-01-01 00:00:00');
INSERT INTO payments VALUES ($n_payments + 1, 1, $n_accounts + 1000, 9.99, '2024-01-01 00:00:00', NULL);
INSERT INTO sessions VALUES ('ffffffffffffffffffffffffffffffff', $n_users + 1000, '2030-01-01 00:00:00', NULL);
COMMIT;

BEGIN;
CREATE INDEX ix_users_created_at ON users(created_at);
CREATE INDEX ix_accounts_user_id ON accounts(user_id);
CREATE INDEX ix_products_title ON products(title);
CREATE INDEX ix_orders_user_id ON orders(user_id);
CREATE INDEX ix_orders_account_id ON orders(account_id);
CREATE INDEX ix_orders_status_created ON orders(status, created_at);
CREATE INDEX ix_items_product_id ON items(product_id);
CREATE INDEX ix_payments_order_id ON payments(order_id);
CREATE INDEX ix_reviews_product_id ON reviews(product_id, rating);
CREATE INDEX ix_reviews_user_id ON reviews(user_id);
CREATE INDEX ix_sessions_user_id ON sessions(user_id);
CREATE INDEX ix_addresses_user_id ON addresses(user_id);
CREATE INDEX ix_transfers_from ON transfers(from_account, created_at);
CREATE INDEX ix_transfers_to ON transfers(to_account);
COMMIT;

-- The rename-first rebuilds (what a hand-written or pre-1.7 Alembic batch
-- migration does). Each RENAME repoints the children at the old name.
BEGIN;
ALTER TABLE users RENAME TO users__old;
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  bio TEXT,
  phone TEXT);
INSERT INTO users(id, email, name, created_at, bio) SELECT id, email, name, created_at, bio FROM users__old;
DROP TABLE users__old;
CREATE INDEX ix_users_created_at ON users(created_at);
COMMIT;

BEGIN;
ALTER TABLE accounts RENAME TO accounts_old;
CREATE TABLE accounts(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('checking', 'savings', 'credit', 'loan')),
  iban TEXT NOT NULL UNIQUE,
  balance REAL NOT NULL DEFAULT 0,
  opened_at TEXT NOT NULL,
  closed_at TEXT);
INSERT INTO accounts(id, user_id, kind, iban, balance, opened_at)
  SELECT id, user_id, kind, iban, balance, opened_at FROM accounts_old;
DROP TABLE accounts_old;
CREATE INDEX ix_accounts_user_id ON accounts(user_id);
COMMIT;

BEGIN;
ALTER TABLE products RENAME TO products_backup;
CREATE TABLE products(
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT,
  price REAL NOT NULL CHECK (price >= 0),
  image BLOB);
INSERT INTO products SELECT * FROM products_backup;
DROP TABLE products_backup;
CREATE INDEX ix_products_title ON products(title);
COMMIT;
SQL

if [ "$shape" = index-heavy ]; then
  sqlite3 -bail "$db" >/dev/null <<SQL
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
PRAGMA foreign_keys=OFF;
BEGIN;
CREATE INDEX ix_users_name ON users(name);
CREATE INDEX ix_accounts_opened ON accounts(opened_at, kind);
CREATE INDEX ix_orders_created ON orders(created_at);
CREATE INDEX ix_orders_note ON orders(note);
CREATE INDEX ix_payments_paid ON payments(paid_at, amount);
CREATE INDEX ix_payments_account ON payments(account_id);
CREATE INDEX ix_reviews_created ON reviews(created_at, rating);
CREATE INDEX ix_addresses_city ON addresses(city, zip);
CREATE INDEX ix_transfers_created ON transfers(created_at);
CREATE INDEX ix_audit_at ON audit_log(at, actor);
-- The keys dangle, so these deletes cascade nowhere: their children are
-- orphans now.
DELETE FROM users WHERE id % 10 = 3;
DELETE FROM accounts WHERE id % 10 = 7;
DELETE FROM products WHERE id % 10 = 5;
COMMIT;
SQL
fi

# The damage must be exactly what the benchmarks assume.
dangling=$(sqlite3 "$db" "SELECT count(DISTINCT m.name) FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
  WHERE m.type = 'table' AND f.\"table\" NOT IN (SELECT name FROM sqlite_schema WHERE type = 'table')")
if [ "$dangling" != 9 ]; then
  echo "make_bigdb: expected 9 tables with dangling REFERENCES, found $dangling" >&2
  exit 1
fi
rows_total=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM accounts)
  + (SELECT count(*) FROM products) + (SELECT count(*) FROM categories) + (SELECT count(*) FROM warehouses)
  + (SELECT count(*) FROM product_categories) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM items)
  + (SELECT count(*) FROM payments) + (SELECT count(*) FROM reviews) + (SELECT count(*) FROM sessions)
  + (SELECT count(*) FROM addresses) + (SELECT count(*) FROM transfers) + (SELECT count(*) FROM inventory)
  + (SELECT count(*) FROM audit_log)")
end=$(date +%s.%N)
bytes=$(stat -c %s "$db")
awk -v db="$db" -v b="$bytes" -v r="$rows_total" -v s="$start" -v e="$end" -v mb="$mb" 'BEGIN {
  printf "make_bigdb: %s: %.1f MiB (%d bytes) for %d MiB asked, %d rows, 9 tables with dangling REFERENCES, %.1f s\n",
         db, b / 1048576, b, mb, r, e - s }'
