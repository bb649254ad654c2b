//! The two backends' schemas after every migration: the same tables, the same columns and
//! the same indexes by name, so that one SQL text and one row type serve both.

use std::collections::{BTreeMap, BTreeSet};

use tinhgon_store::tx::query;
use tinhgon_store::{Backend, Db};

/// Tables with their columns, and index names, as the database itself reports them.
#[derive(Debug, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, BTreeSet<String>>,
    indexes: BTreeSet<String>,
}

/// The migration bookkeeping table belongs to sqlx, not to the product.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

async fn schema(db: &Db) -> anyhow::Result<Schema> {
    let (columns_sql, indexes_sql) = match db.backend() {
        Backend::Sqlite => (
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2",
            // Indexes SQLite creates for PRIMARY KEY and UNIQUE constraints are named
            // `sqlite_autoindex_…`; PostgreSQL names them after the constraint (excluded below).
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY 1",
        ),
        Backend::Postgres => (
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY 1, 2",
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1",
        ),
    };
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let rows: Vec<(String, String)> = query(columns_sql).fetch_all(db).await?;
    for (table, column) in rows {
        if table != MIGRATIONS_TABLE {
            tables.entry(table).or_default().insert(column);
        }
    }
    let indexes = query(indexes_sql).scalars::<String>(db).await?;
    Ok(Schema {
        tables,
        indexes: indexes.into_iter().collect(),
    })
}

/// What one schema has that the other lacks, line by line, for the failure message.
fn differences(sqlite: &Schema, pg: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(pg.tables.keys()).collect();
    for t in names {
        match (sqlite.tables.get(t), pg.tables.get(t)) {
            (Some(a), Some(b)) => {
                for c in a.difference(b) {
                    out.push(format!("column {t}.{c} only on SQLite"));
                }
                for c in b.difference(a) {
                    out.push(format!("column {t}.{c} only on PostgreSQL"));
                }
            }
            (Some(_), None) => out.push(format!("table {t} only on SQLite")),
            (None, _) => out.push(format!("table {t} only on PostgreSQL")),
        }
    }
    for i in sqlite.indexes.difference(&pg.indexes) {
        out.push(format!("index {i} only on SQLite"));
    }
    for i in pg.indexes.difference(&sqlite.indexes) {
        out.push(format!("index {i} only on PostgreSQL"));
    }
    out
}

#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_indexes() -> anyhow::Result<()> {
    let sqlite_db = tinhgon_testkit::sqlite_db();
    let pg_db = tinhgon_testkit::postgres_db();
    let sqlite = Db::connect(&sqlite_db.url).await?;
    let pg = Db::connect(&pg_db.url).await?;
    let (a, b) = (schema(&sqlite).await?, schema(&pg).await?);
    // Guard against comparing two empty answers (a catalogue query that matched nothing).
    anyhow::ensure!(
        a.tables.contains_key("assignments") && a.indexes.len() > 5,
        "SQLite schema not read: {a:?}"
    );
    let diff = differences(&a, &b);
    anyhow::ensure!(diff.is_empty(), "schemas differ:\n{}", diff.join("\n"));
    sqlite.close().await;
    pg.close().await;
    Ok(())
}
