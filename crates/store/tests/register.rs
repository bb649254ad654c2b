//! The register on both databases: import, as-of queries across the 1/7/2025 reform,
//! lineage through chained merges, bad input, and agency resolution from the stored register.

mod common;

use std::fmt::Write;

use common::{count, d, import_nghe_an, nghe_an_dir, noon, unit_named};
use tinhgon_domain::event::EventKind;
use tinhgon_domain::unit::UnitKind;
use tinhgon_domain::{AgencyRef, Resolution};
use tinhgon_store::register::{self, NewEvent};
use tinhgon_store::{Db, StoreError};

tinhgon_testkit::both_databases! {
    async fn imports_nghe_an_and_answers_as_of_across_the_reform(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let summary = register::import_register(&db, &nghe_an_dir()).await?;
        assert!(
            summary.units > 160 + 403,
            "listed and historical units: {}",
            summary.units
        );
        let p = summary.province_id;
        let before = register::units_as_of(&db, p, d(2025, 6, 30)).await?;
        let after = register::units_as_of(&db, p, d(2025, 7, 1)).await?;
        let communes = |units: &[tinhgon_domain::unit::Unit]| {
            units.iter().filter(|u| u.kind.is_commune_level()).count()
        };
        let districts = |units: &[tinhgon_domain::unit::Unit]| {
            units
                .iter()
                .filter(|u| u.kind == UnitKind::District)
                .count()
        };
        assert_eq!(
            communes(&after),
            130,
            "130 communes and wards from 1/7/2025"
        );
        assert_eq!(districts(&after), 0, "no districts from 1/7/2025");
        assert!(
            districts(&before) >= 19,
            "old districts on 30/6/2025: {}",
            districts(&before)
        );
        assert!(
            communes(&before) >= 403,
            "old communes on 30/6/2025: {}",
            communes(&before)
        );
        let has =
            |units: &[tinhgon_domain::unit::Unit], name: &str| units.iter().any(|u| u.name == name);
        assert!(
            has(&before, "Thị trấn Kim Nhan (huyện Anh Sơn)")
                && !has(&after, "Thị trấn Kim Nhan (huyện Anh Sơn)")
        );
        assert!(!has(&before, "Xã Anh Sơn Đông") && has(&after, "Xã Anh Sơn Đông"));
        assert!(has(&before, "Huyện Đô Lương") && !has(&after, "Huyện Đô Lương"));
        // Both old "Xã Bắc Sơn" exist, under different districts.
        assert_eq!(
            before
                .iter()
                .filter(|u| u.name.starts_with("Xã Bắc Sơn ("))
                .count(),
            2
        );
        // Departments merged on 1/3/2025.
        assert!(has(
            &register::units_as_of(&db, p, d(2025, 2, 28)).await?,
            "Sở Du lịch"
        ));
        assert!(!has(
            &register::units_as_of(&db, p, d(2025, 3, 1)).await?,
            "Sở Du lịch"
        ));
        // Importing the same province twice is refused and writes nothing.
        let units = count(&db, "units").await?;
        let again = register::import_register(&db, &nghe_an_dir()).await;
        assert!(matches!(again, Err(StoreError::Rejected(_))), "{again:?}");
        assert_eq!(count(&db, "units").await?, units);
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn lineage_through_two_chained_merges(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let du_lich = unit_named(&db, p, "Sở Du lịch", d(2025, 2, 1)).await?;
        let vhttdl = unit_named(&db, p, "Sở Văn hóa, Thể thao và Du lịch", d(2025, 8, 1)).await?;
        let cong_thuong = unit_named(&db, p, "Sở Công Thương", d(2025, 8, 1)).await?;
        // A second merge (hypothetical): VHTTDL absorbed into Sở Công Thương on 1/1/2026.
        register::record_event(
            &db,
            &NewEvent {
                kind: EventKind::Merge,
                predecessors: vec![vhttdl, cong_thuong],
                successors: vec![cong_thuong],
                decision: Some("99/NQ-HĐND".into()),
                effective: d(2026, 1, 1),
            },
            noon(d(2025, 12, 1)),
        )
        .await?;
        let names = |units: Vec<tinhgon_domain::unit::Unit>| {
            units.into_iter().map(|u| u.name).collect::<Vec<_>>()
        };
        assert_eq!(
            names(register::successors(&db, du_lich, d(2025, 1, 1)).await?),
            vec!["Sở Du lịch"]
        );
        assert_eq!(
            names(register::successors(&db, du_lich, d(2025, 6, 1)).await?),
            vec!["Sở Văn hóa, Thể thao và Du lịch"]
        );
        assert_eq!(
            names(register::successors(&db, du_lich, d(2026, 2, 1)).await?),
            vec!["Sở Công Thương"]
        );
        // The merged unit ceased on the event's date.
        let after = register::units_as_of(&db, p, d(2026, 1, 1)).await?;
        assert!(!after.iter().any(|u| u.id == vhttdl));
        let history = register::unit_history(&db, cong_thuong).await?;
        let preds = names(history.predecessors.clone());
        assert!(preds.contains(&"Sở Du lịch".to_string()), "{preds:?}");
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn an_event_on_a_unit_that_does_not_exist_then_is_refused(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let p = import_nghe_an(&db).await?;
        let new_commune = unit_named(&db, p, "Xã Anh Sơn", d(2025, 7, 1)).await?;
        let other = unit_named(&db, p, "Xã Yên Xuân", d(2025, 7, 1)).await?;
        let events = count(&db, "restructuring_events").await?;
        let r = register::record_event(
            &db,
            &NewEvent {
                kind: EventKind::Merge,
                predecessors: vec![new_commune, other],
                successors: vec![other],
                decision: None,
                effective: d(2025, 5, 1),
            },
            noon(d(2025, 5, 1)),
        )
        .await;
        assert!(matches!(r, Err(StoreError::Rejected(_))), "{r:?}");
        assert_eq!(count(&db, "restructuring_events").await?, events);
        Ok(())
    }
}

/// Writes a copy of the Nghệ An register with `edit` applied to one file.
fn broken_register(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["units.csv", "mergers.csv", "aliases.csv"] {
        let text = std::fs::read_to_string(nghe_an_dir().join(f)).expect("read register");
        let text = if f == file { edit(text) } else { text };
        std::fs::write(dir.path().join(f), text).expect("write register");
    }
    dir
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .expect("needle present")
}

tinhgon_testkit::both_databases! {
    /// Each broken copy of the register is refused with its file and line, and writes nothing
    /// (so every case starts from the same empty database).
    async fn bad_register_files_name_the_line_and_write_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let units = std::fs::read_to_string(nghe_an_dir().join("units.csv")).expect("units");
        let mergers = std::fs::read_to_string(nghe_an_dir().join("mergers.csv")).expect("mergers");
        let cases: Vec<(&str, tempfile::TempDir, String)> = vec![
            (
                "missing parent",
                broken_register("units.csv", |t| {
                    t.replace(
                        ",Sở Tư pháp,department,so,Ủy ban nhân dân tỉnh Nghệ An,",
                        ",Sở Tư pháp,department,so,Ủy ban nhân dân tỉnh Hà Tĩnh,",
                    )
                }),
                format!("units.csv, dòng {}", line_of(&units, ",Sở Tư pháp,")),
            ),
            (
                "cycle",
                broken_register("units.csv", |t| {
                    t.replace(
                        ",Tỉnh ủy Nghệ An,party,tinh-uy,Tỉnh Nghệ An,",
                        ",Tỉnh ủy Nghệ An,party,tinh-uy,Ban Thường vụ Tỉnh ủy,",
                    )
                }),
                "units.csv, dòng".to_string(),
            ),
            (
                "duplicate code",
                broken_register("units.csv", |t| {
                    t.replace("17380,Xã Yên Xuân", "17329,Xã Yên Xuân")
                }),
                format!("units.csv, dòng {}", line_of(&units, "17380,Xã Yên Xuân")),
            ),
            (
                "predecessor not existing on that date",
                // Xã Yên Xuân only exists from 1/7/2025: it cannot be merged on 1/3/2025.
                broken_register("mergers.csv", |t| {
                    format!("{t}Sở Tài chính,Xã Yên Xuân,2025-03-01,S0\n")
                }),
                format!("mergers.csv, dòng {}", mergers.lines().count() + 1),
            ),
        ];
        for (what, dir, expected) in cases {
            let err = register::import_register(&db, dir.path()).await.err();
            let msg = err.map(|e| e.to_string()).unwrap_or_default();
            anyhow::ensure!(
                msg.starts_with(&expected),
                "{what}: expected \"{expected}…\", got \"{msg}\""
            );
            for table in ["units", "restructuring_events", "unit_aliases"] {
                anyhow::ensure!(count(&db, table).await? == 0, "{what}: {table} written");
            }
        }
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    /// Every agency named in the four seeds, resolved against the register as read back from
    /// the database, gives exactly the domain's answer (its reviewed snapshot, built from the
    /// CSV files); the unresolved ones are listed.
    async fn seed_agencies_resolve_from_the_stored_register_as_in_the_domain(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let snapshot_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../domain/src/snapshots/tinhgon_domain__resolve__tests__seed_agencies_against_the_nghe_an_register.snap");
        let snapshot = std::fs::read_to_string(&snapshot_path).expect("domain snapshot");
        let body: String = snapshot
            .splitn(3, "---\n")
            .nth(2)
            .unwrap_or_default()
            .to_string();
        let p = import_nghe_an(&db).await?;
        let reg = register::load_register(&db, p).await?;
        let resolver = reg.resolver();
        let name = |id: i64| {
            reg.units
                .iter()
                .find(|u| u.id == id)
                .map_or("?".to_string(), |u| u.name.clone())
        };
        let mut out = String::new();
        let mut unresolved = Vec::new();
        let (mut date, mut scope) = (d(2025, 1, 1), Some(p));
        for line in body.lines() {
            if let Some(head) = line.strip_prefix("## seed ") {
                let (seed, day) = head.split_once(", ").unwrap_or_default();
                date = day.parse()?;
                scope = if seed == "003" { None } else { Some(p) };
                writeln!(out, "{line}")?;
                continue;
            }
            let cut = [" → ", " ✗ "].iter().filter_map(|s| line.find(s)).min();
            let Some(cut) = cut else { continue };
            let text = &line[..cut];
            let mention = AgencyRef {
                text: text.into(),
                name: text.into(),
                group: None,
            };
            let described = match resolver.resolve(&mention, scope, date) {
                Resolution::Unit { id } => format!("→ {}", name(id)),
                Resolution::Group { kind, members } => {
                    let first: Vec<String> = members.iter().take(2).map(|m| name(*m)).collect();
                    format!(
                        "→ nhóm {kind:?}: {} đơn vị ({}…)",
                        members.len(),
                        first.join(", ")
                    )
                }
                Resolution::Unresolved {
                    reason,
                    suggestions,
                } => {
                    unresolved.push(text.to_string());
                    let s: Vec<String> = suggestions.iter().map(|m| name(*m)).collect();
                    format!("✗ {reason}; gợi ý: [{}]", s.join(", "))
                }
            };
            writeln!(out, "{text} {described}")?;
        }
        let expected: String = body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let got: String = out
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        anyhow::ensure!(
            got == expected,
            "stored register resolves differently:\n{got}\n--- expected ---\n{expected}"
        );
        anyhow::ensure!(
            unresolved.iter().any(|u| u == "Bộ Nội vụ"),
            "central bodies are listed as unresolved"
        );
        println!(
            "không xác định được ({}): {}",
            unresolved.len(),
            unresolved.join(" | ")
        );
        Ok(())
    }
}
