//! Search on both databases: every name of the Nghệ An register, and every alias, typed
//! exactly or without diacritics, finds its unit; stale search keys are recomputed on migrate.

mod common;

use common::import_nghe_an;
use tinhgon_store::tx::query;
use tinhgon_store::{web_queries, Db};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The search page's limit.
const LIMIT: i64 = 100;

/// The text as typed on a keyboard without Vietnamese input: marks dropped, đ as d, case kept.
fn without_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// Whether searching `typed` lists a unit labelled `name`.
async fn finds_unit(db: &Db, typed: &str, name: &str) -> anyhow::Result<bool> {
    let hits = web_queries::search(db, typed, None, LIMIT).await?;
    Ok(hits
        .iter()
        .any(|hit| hit.kind == "unit" && hit.label == name))
}

/// Every (typed text, unit name it must find) of the register: each unit by its own name,
/// each alias by the unit it names.
async fn register_names(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    Ok(query(
        "SELECT name, name FROM units \
         UNION ALL SELECT a.alias, u.name FROM unit_aliases a JOIN units u ON u.id = a.unit_id",
    )
    .fetch_all(db)
    .await?)
}

tinhgon_testkit::both_databases! {
    async fn every_register_name_is_found_typed_exactly_and_without_diacritics(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        import_nghe_an(&db).await?;
        let names = register_names(&db).await?;
        assert!(names.len() > 560, "register names: {}", names.len());
        // The forms that broke search before: commas, "&", hyphens, "Đ".
        for needle in [",", "&", "-", "Đ"] {
            assert!(
                names.iter().any(|(typed, _)| typed.contains(needle)),
                "the register has a name with {needle:?}"
            );
        }
        let mut missed = Vec::new();
        for (typed, name) in &names {
            let plain = without_diacritics(typed);
            for form in [typed.as_str(), plain.as_str()] {
                if !finds_unit(&db, form, name).await? {
                    missed.push(format!("{form:?} → {name:?}"));
                }
            }
        }
        assert!(missed.is_empty(), "not found: {missed:#?}");
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn a_name_with_a_comma_is_found_with_or_without_it(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        import_nghe_an(&db).await?;
        let name = "Sở Văn hóa, Thể thao và Du lịch";
        for typed in [
            name,
            "Sở Văn hóa Thể thao và Du lịch",
            "so van hoa, the thao",
            "VAN HOA THE THAO VA DU LICH",
        ] {
            assert!(finds_unit(&db, typed, name).await?, "{typed:?}");
        }
        assert!(
            web_queries::search(&db, "sở văn hóa, thể thao và du lịch xyz", None, LIMIT)
                .await?
                .is_empty(),
            "a longer text than any name finds nothing"
        );
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn stale_search_keys_are_recomputed_when_the_store_migrates(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        import_nghe_an(&db).await?;
        let name = "Sở Văn hóa, Thể thao và Du lịch";
        // A key in the form an older fold stored, and the mark a key-changing migration leaves.
        query("UPDATE units SET folded_name = 'so van hoa, the thao va du lich' WHERE name = $1")
            .bind(name)
            .execute(&db)
            .await?;
        query("INSERT INTO search_keys_stale (reason) VALUES ('test')")
            .execute(&db)
            .await?;
        assert!(!finds_unit(&db, name, name).await?, "the stale key hides the unit");
        db.migrate().await?;
        assert!(finds_unit(&db, name, name).await?, "recomputed on migrate");
        let marks: i64 = query("SELECT COUNT(*) FROM search_keys_stale")
            .scalar(&db)
            .await?;
        assert_eq!(marks, 0, "the mark is removed");
        assert_eq!(
            tinhgon_store::search_keys::recompute_if_stale(&db).await?,
            0,
            "nothing left to do"
        );
        Ok(())
    }
}
