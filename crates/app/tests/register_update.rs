//! The register updated from a newer file, on SQLite and PostgreSQL: the same file again
//! shows nothing; a newer one shows the units added, renamed, moved and closed, and applies
//! the ones chosen in one transaction (renaming as an event, open work following); as-of
//! questions before the date are answered as before; bad files and forged requests are
//! refused with nothing written; the first import of a province is unchanged.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use tinhgon_app::register_update::{self, file, ApplyForm, UpdatePreview};
use tinhgon_app::units::Actor;
use tinhgon_app::AppError;
use tinhgon_domain::model::Id;
use tinhgon_domain::register_update::UpdateFile;
use tinhgon_domain::unit::UnitKind;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::accounts::{self, NewUser};
use tinhgon_store::tx::query;
use tinhgon_store::{register, Db};

const UNITS: &str = include_str!("../../../data/nghe-an-2025/units.csv");

fn today() -> NaiveDate {
    tinhgon_domain::local_date(Utc::now())
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn nghe_an() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025")
}

async fn account(db: &Db, login: &str, role: Role, province: Id) -> anyhow::Result<User> {
    // An officer belongs to a unit of the province (its Sở Nội vụ).
    let unit = match role {
        Role::AgencyOfficer => unit_named(db, province, "Sở Nội vụ", today()).await,
        _ => None,
    };
    let id = accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: login.into(),
            password_hash: "x".into(),
            role,
            unit_id: unit,
            province_id: unit.is_none().then_some(province),
        },
    )
    .await?;
    Ok(accounts::user(db, id).await?.expect("account"))
}

/// Row counts of everything an update writes, and the validity of every unit.
async fn footprint(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut v = Vec::new();
    for t in [
        "units",
        "restructuring_events",
        "event_predecessors",
        "unit_changes",
        "assignment_reroutes",
        "audit_log",
    ] {
        v.push(
            query(&format!("SELECT COUNT(*) FROM {t}"))
                .scalar(db)
                .await?,
        );
    }
    v.push(
        query("SELECT COUNT(*) FROM units WHERE valid_to IS NOT NULL")
            .scalar(db)
            .await?,
    );
    v.push(
        query("SELECT CAST(COALESCE(SUM(COALESCE(parent_id, 0) * id), 0) AS BIGINT) FROM units")
            .scalar(db)
            .await?,
    );
    Ok(v)
}

/// The Nghệ An units file with `edit` applied to its lines.
fn edited(edit: impl Fn(Vec<String>) -> Vec<String>) -> UpdateFile {
    let lines: Vec<String> = UNITS.lines().map(str::to_string).collect();
    let text = edit(lines).join("\n");
    file::read("units.csv", text.as_bytes()).expect("read")
}

fn all(p: &UpdatePreview) -> Vec<String> {
    p.changes.iter().map(|c| c.key.clone()).collect()
}

fn form(changes: Vec<String>) -> ApplyForm {
    ApplyForm {
        changes,
        effective: String::new(),
        decision: "25/QĐ-UBND".into(),
        decision_date: dmy(today()),
    }
}

async fn open_of(db: &Db, unit: Id) -> anyhow::Result<i64> {
    Ok(query("SELECT COUNT(*) FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled')")
        .bind(unit)
        .scalar(db)
        .await?)
}

async fn unit_named(db: &Db, province: Id, name: &str, day: NaiveDate) -> Option<Id> {
    register::units_as_of(db, province, day)
        .await
        .expect("as of")
        .into_iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
}

/// The newer file: a central branch and a division under it added, Xã Anh Sơn renamed
/// (its code 17329), Ban Nội chính moved under the Standing Committee, Đoàn đại biểu Quốc
/// hội no longer listed.
fn newer() -> UpdateFile {
    edited(|mut lines| {
        for l in lines.iter_mut() {
            if l.starts_with("17329,Xã Anh Sơn,") {
                *l = l.replace("Xã Anh Sơn,", "Xã Anh Sơn Bắc,");
            }
            if l.starts_with(",Ban Nội chính Tỉnh ủy,") {
                *l = l.replace("Tỉnh ủy Nghệ An,", "Ban Thường vụ Tỉnh ủy,");
            }
        }
        lines.retain(|l| !l.starts_with(",Đoàn đại biểu Quốc hội tỉnh Nghệ An,"));
        lines.push(",Công an tỉnh Nghệ An,province,co-quan-trung-uong,Tỉnh Nghệ An,".into());
        lines.push(",Phòng Tham mưu,province,phong,Công an tỉnh Nghệ An,".into());
        lines
    })
}

tinhgon_testkit::both_databases! {
    async fn the_same_file_shows_nothing_and_a_first_import_is_unchanged(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let s = register::import_register(&db, &nghe_an()).await?;
        let monitor = account(&db, "so-noi-vu", Role::Monitor, s.province_id).await?;
        let same = file::read("units.csv", UNITS.as_bytes())?;
        let p = register_update::preview(&db, Actor::User(&monitor), s.province_id, &same, "").await?;
        assert!(p.changes.is_empty(), "{:?}", p.changes);
        // A second first import is still refused, and says how to update instead.
        let e = register::import_register(&db, &nghe_an()).await.unwrap_err().to_string();
        assert!(e.contains("không nhập lại") && e.contains("registry update"), "{e}");
        // Another province's first import goes on as before.
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join("units.csv"),
            "code,name,level,kind,parent,effective_from\n42,Tỉnh Hà Tĩnh,province,tinh,,\n,Sở Nội vụ,department,so,Tỉnh Hà Tĩnh,\n",
        )?;
        let other = register::import_register(&db, dir.path()).await?;
        assert_eq!(other.units, 2);
        db.close().await;
        Ok(())
    }

    async fn a_newer_file_is_reviewed_then_applied_and_history_kept(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = register::import_register(&db, &nghe_an()).await?.province_id;
        let monitor = account(&db, "so-noi-vu", Role::Monitor, province).await?;
        let day = today();
        let before = day - Duration::days(1);
        let names_before: Vec<String> = register::units_as_of(&db, province, before)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect();
        let rows = newer();
        let writes = footprint(&db).await?;
        let p = register_update::preview(&db, Actor::User(&monitor), province, &rows, "").await?;
        assert_eq!(footprint(&db).await?, writes, "the review writes nothing");
        let labels: Vec<(&str, &str)> = p.changes.iter().map(|c| (c.kind, c.text.as_str())).collect();
        assert_eq!(p.changes.len(), 5, "{labels:?}");
        assert!(labels.contains(&("add", "Công an tỉnh Nghệ An (cơ quan trung ương tại địa phương), trực thuộc Tỉnh Nghệ An")), "{labels:?}");
        assert!(labels.contains(&("add", "Phòng Tham mưu (phòng thuộc cơ quan), trực thuộc Công an tỉnh Nghệ An (đơn vị mới)")), "{labels:?}");
        assert!(labels.contains(&("rename", "Xã Anh Sơn đổi tên thành Xã Anh Sơn Bắc")), "{labels:?}");
        assert!(labels.contains(&("move", "Ban Nội chính Tỉnh ủy: từ Tỉnh ủy Nghệ An sang Ban Thường vụ Tỉnh ủy")), "{labels:?}");
        assert!(labels.contains(&("close", "Đoàn đại biểu Quốc hội tỉnh Nghệ An (trực thuộc Tỉnh Nghệ An) không còn trong tệp")), "{labels:?}");
        // Nothing is applied without the deciding document.
        let mut no_decision = form(all(&p));
        no_decision.decision.clear();
        let e = register_update::apply(&db, Actor::User(&monitor), province, &rows, &no_decision).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid { field: "decision", .. }), "{e}");
        assert_eq!(footprint(&db).await?, writes);
        // The division without the new branch it sits under is refused.
        let only_division: Vec<String> = all(&p).into_iter().filter(|k| k.contains("phong")).collect();
        let e = register_update::apply(&db, Actor::User(&monitor), province, &rows, &form(only_division)).await.unwrap_err();
        assert!(e.to_string().contains("Công an tỉnh Nghệ An"), "{e}");
        assert_eq!(footprint(&db).await?, writes);

        let done = register_update::apply(&db, Actor::User(&monitor), province, &rows, &form(all(&p))).await?;
        assert_eq!((done.outcome.added.len(), done.outcome.moved, done.outcome.events.len(), done.outcome.closed), (2, 1, 1, 1));
        assert!(done.message.starts_with("Đã cập nhật danh mục theo văn bản 25/QĐ-UBND"), "{}", done.message);
        // In force from today: the new units and name; the closed body and the old name gone.
        let branch = unit_named(&db, province, "Công an tỉnh Nghệ An", day).await.expect("branch");
        let division = unit_named(&db, province, "Phòng Tham mưu", day).await.expect("division");
        let reg = register::load_register(&db, province).await?;
        let get = |id: Id| reg.units.iter().find(|u| u.id == id).expect("unit").clone();
        assert_eq!(get(branch).kind, UnitKind::CentralBranch);
        assert_eq!(get(division).parent_id, Some(branch));
        assert!(unit_named(&db, province, "Xã Anh Sơn Bắc", day).await.is_some());
        assert!(unit_named(&db, province, "Xã Anh Sơn", day).await.is_none());
        assert!(unit_named(&db, province, "Đoàn đại biểu Quốc hội tỉnh Nghệ An", day).await.is_none());
        let standing = unit_named(&db, province, "Ban Thường vụ Tỉnh ủy", day).await.expect("standing");
        let inner = unit_named(&db, province, "Ban Nội chính Tỉnh ủy", day).await.expect("moved");
        assert_eq!(get(inner).parent_id, Some(standing));
        // The renaming is a rename event from today; the day before reads as it did.
        let old = reg.units.iter().find(|u| u.name == "Xã Anh Sơn").expect("old");
        assert_eq!(old.valid_to, Some(day));
        assert!(reg.events.iter().any(|e| e.kind == tinhgon_domain::event::EventKind::Rename && e.predecessors == vec![old.id]));
        let names_after_before: Vec<String> = register::units_as_of(&db, province, before)
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names_after_before, names_before);
        // Each change has its audit row and its change row or event.
        let audited: i64 = query("SELECT COUNT(*) FROM audit_log WHERE action = 'register.update'").scalar(&db).await?;
        assert_eq!(audited, 6, "five changes and the summary");
        let changes: i64 = query("SELECT COUNT(*) FROM unit_changes WHERE decision = '25/QĐ-UBND'").scalar(&db).await?;
        assert_eq!(changes, 4, "two added, one moved, one closed");
        // The same file again now shows nothing left to do.
        let again = register_update::preview(&db, Actor::User(&monitor), province, &rows, "").await?;
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        db.close().await;
        Ok(())
    }

    async fn a_renamed_department_takes_its_open_work_and_a_busy_one_is_not_closed(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _plan) = common::publish_615(&db).await?;
        let monitor = account(&db, "so-noi-vu", Role::Monitor, province).await?;
        // The two departments of the file with the most open work.
        let mut busy: Vec<(i64, Id, String)> = Vec::new();
        for line in UNITS.lines().filter(|l| l.starts_with(',') && !l.contains('"') && l.contains(",department,so,")) {
            let name = line.split(',').nth(1).expect("name").to_string();
            let id = unit_named(&db, province, &name, today()).await.expect("department");
            busy.push((open_of(&db, id).await?, id, name));
        }
        busy.sort_by_key(|b| std::cmp::Reverse(b.0));
        let (work, sct, name) = busy[0].clone();
        let (_, snv, closed) = busy[1].clone();
        assert!(work > 0 && busy[1].0 > 0, "615 gives departments open work: {busy:?}");
        // The register gets the department's code; the newer file renames it under that code.
        query("UPDATE units SET code = 'S01' WHERE id = $1").bind(sct).execute(&db).await?;
        let renamed = format!("S01,{name} và Thương mại điện tử,department,so,Ủy ban nhân dân tỉnh Nghệ An,");
        let rows = edited(|lines| {
            lines
                .into_iter()
                .map(|l| if l.starts_with(&format!(",{name},")) { renamed.clone() } else { l })
                .collect()
        });
        let p = register_update::preview(&db, Actor::User(&monitor), province, &rows, "").await?;
        assert_eq!(all(&p), vec![format!("rename:{sct}")]);
        register_update::apply(&db, Actor::User(&monitor), province, &rows, &form(all(&p))).await?;
        let new = unit_named(&db, province, &format!("{name} và Thương mại điện tử"), today()).await.expect("renamed");
        assert_eq!(open_of(&db, sct).await?, 0);
        assert_eq!(open_of(&db, new).await?, work);

        // A unit with open work that the file drops is not closed: nothing is written.
        let rows = edited(|lines| {
            lines
                .into_iter()
                .filter(|l| !l.starts_with(&format!(",{closed},")))
                .map(|l| if l.starts_with(&format!(",{name},")) { renamed.clone() } else { l })
                .collect()
        });
        let p = register_update::preview(&db, Actor::User(&monitor), province, &rows, "").await?;
        assert_eq!(all(&p), vec![format!("close:{snv}")]);
        let writes = footprint(&db).await?;
        let e = register_update::apply(&db, Actor::User(&monitor), province, &rows, &form(all(&p))).await.unwrap_err();
        assert!(e.to_string().starts_with(&format!("{closed}: Đơn vị còn")), "{e}");
        assert_eq!(footprint(&db).await?, writes);
        db.close().await;
        Ok(())
    }

    async fn bad_files_and_forged_requests_write_nothing(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = register::import_register(&db, &nghe_an()).await?.province_id;
        let monitor = account(&db, "so-noi-vu", Role::Monitor, province).await?;
        let writes = footprint(&db).await?;
        // Damaged spreadsheet, unknown column.
        let e = file::read("danh-muc.xlsx", b"PK\x03\x04 not really a workbook").unwrap_err();
        assert!(e.to_string().starts_with("Không đọc được tệp danh mục"), "{e}");
        let e = file::read("units.csv", "name,level,kind,parent,ghi_chu\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("không được hỗ trợ"), "{e}");
        let refused = |rows: UpdateFile| {
            let db = db.clone();
            let monitor = monitor.clone();
            async move {
                register_update::preview(&db, Actor::User(&monitor), province, &rows, "")
                    .await
                    .unwrap_err()
                    .to_string()
            }
        };
        // A row whose parent the file does not have.
        let e = refused(edited(|mut l| {
            l.push(",Chi cục Kiểm lâm,department,chi-cuc,Sở Không Có,".into());
            l
        }))
        .await;
        assert!(e.contains("không tìm thấy đơn vị cha \"Sở Không Có\"") && e.contains("không có gì được ghi"), "{e}");
        // A cycle.
        let e = refused(edited(|mut l| {
            l.push(",Chi cục A,department,chi-cuc,Chi cục B,".into());
            l.push(",Chi cục B,department,chi-cuc,Chi cục A,".into());
            l
        }))
        .await;
        assert!(e.contains("vòng lặp đơn vị cha"), "{e}");
        // Another province's register.
        let e = refused(edited(|l| l.into_iter().map(|x| x.replace("Nghệ An", "Hà Tĩnh").replace("40,Tỉnh", ",Tỉnh")).collect())).await;
        assert!(e.contains("không phải của Tỉnh Nghệ An"), "{e}");
        // Applying a file like these refuses too.
        let rows = edited(|mut l| {
            l.push(",Chi cục A,department,chi-cuc,Chi cục B,".into());
            l.push(",Chi cục B,department,chi-cuc,Chi cục A,".into());
            l
        });
        assert!(register_update::apply(&db, Actor::User(&monitor), province, &rows, &form(vec!["add:chi cuc a".into()])).await.is_err());
        assert_eq!(footprint(&db).await?, writes);

        // Another province's monitor does not find this register; an officer may not.
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join("units.csv"),
            "code,name,level,kind,parent,effective_from\n42,Tỉnh Hà Tĩnh,province,tinh,,\n",
        )?;
        let other = register::import_register(&db, dir.path()).await?.province_id;
        let stranger = account(&db, "ha-tinh", Role::Monitor, other).await?;
        let officer = account(&db, "can-bo", Role::AgencyOfficer, province).await?;
        let writes = footprint(&db).await?;
        let rows = newer();
        let e = register_update::preview(&db, Actor::User(&stranger), province, &rows, "").await.unwrap_err();
        assert!(matches!(e, AppError::NotFound), "{e}");
        let keys = vec!["add:cong an tinh nghe an".to_string()];
        let e = register_update::apply(&db, Actor::User(&stranger), province, &rows, &form(keys.clone())).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound), "{e}");
        let e = register_update::apply(&db, Actor::User(&officer), province, &rows, &form(keys)).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e}");
        assert_eq!(footprint(&db).await?, writes);
        db.close().await;
        Ok(())
    }
}
