//! Recomputes the stored search keys when a migration has marked them stale
//! (`search_keys_stale`, see migration 0010). The key is the text kit's `search_key`, which
//! SQL cannot express on either backend, so the recomputation runs here, after the migrations,
//! in one transaction: a crash leaves the mark and the next start does it again.

use tinhgon_textkit::search_key;

use crate::error::Result;
use crate::tx::query;
use crate::Db;

/// Rows read per round trip while recomputing.
const PAGE: i64 = 5_000;

/// A table whose text column has a stored search key.
struct Keyed {
    table: &'static str,
    text: &'static str,
    key: &'static str,
}

const KEYED: [Keyed; 4] = [
    Keyed {
        table: "units",
        text: "name",
        key: "folded_name",
    },
    Keyed {
        table: "unit_aliases",
        text: "alias",
        key: "folded_alias",
    },
    Keyed {
        table: "plans",
        text: "title",
        key: "folded_title",
    },
    Keyed {
        table: "tasks",
        text: "content",
        key: "folded_content",
    },
];

/// Recomputes every stored search key if a migration asked for it; a no-op (one small
/// query) otherwise. Returns the number of keys that changed.
pub async fn recompute_if_stale(db: &Db) -> Result<u64> {
    let marks: i64 = query("SELECT COUNT(*) FROM search_keys_stale")
        .scalar(db)
        .await?;
    if marks == 0 {
        return Ok(0);
    }
    db.write(async |tx| {
        let mut changed = 0u64;
        for k in &KEYED {
            let select = format!(
                "SELECT id, {text}, {key} FROM {table} WHERE id > $1 ORDER BY id LIMIT $2",
                text = k.text,
                key = k.key,
                table = k.table
            );
            let update = format!("UPDATE {table} SET {key} = $1 WHERE id = $2", table = k.table, key = k.key);
            let mut after = 0i64;
            loop {
                let rows: Vec<(i64, Option<String>, Option<String>)> = query(&select)
                    .bind(after)
                    .bind(PAGE)
                    .fetch_all(&mut *tx)
                    .await?;
                let Some(last) = rows.last() else { break };
                after = last.0;
                for (id, text, stored) in rows {
                    let fresh = text.as_deref().map(search_key);
                    if fresh == stored {
                        continue;
                    }
                    if k.table == "unit_aliases" {
                        // Two aliases of one unit that now share a key are one alias: keep
                        // the first, as the import does (ON CONFLICT DO NOTHING).
                        let taken: i64 = query(
                            "SELECT COUNT(*) FROM unit_aliases WHERE folded_alias = $1 AND id <> $2 \
                             AND unit_id = (SELECT unit_id FROM unit_aliases WHERE id = $2)",
                        )
                        .bind(&fresh)
                        .bind(id)
                        .scalar(&mut *tx)
                        .await?;
                        if taken > 0 {
                            query("DELETE FROM unit_aliases WHERE id = $1")
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                            changed += 1;
                            continue;
                        }
                    }
                    query(&update)
                        .bind(&fresh)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    changed += 1;
                }
            }
        }
        query("DELETE FROM search_keys_stale")
            .execute(&mut *tx)
            .await?;
        Ok(changed)
    })
    .await
}
