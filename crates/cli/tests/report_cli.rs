//! `tinhgon report` run as a binary on a demo-like SQLite file: the seed plan 615/KH-UBND
//! published with some progress, reports written as DOCX, XLSX and CSV, the urging notice,
//! and Vietnamese errors with exit code 2.

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tinhgon_domain::publish::MentionRole;
use tinhgon_domain::user::Role;
use tinhgon_domain::Action;
use tinhgon_store::plans::{self, NewDraft};
use tinhgon_store::{records, register, status, Db};

const SEED: &[u8] = include_bytes!("../../../testdata/seeds/000_4678a1ab1ae598dc.txt");

fn vn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(y, m, d).expect("date");
    Utc.from_utc_datetime(&day.and_hms_opt(h, 0, 0).expect("time")) - Duration::hours(7)
}

/// The demo's shape: register, 615/KH-UBND published on 28/7/2025, every other assignment
/// started and some done before and after 15/9/2025.
async fn demo_like(path: &Path) -> anyhow::Result<()> {
    let db = Db::connect(&path.display().to_string()).await?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    let province = register::import_register(&db, &dir).await?.province_id;
    let mut draft = tinhgon_extract::extract_bytes(SEED, Some("000.txt"))?;
    // A reviewer gives a task the extractor found no lead for to the monitoring department.
    for t in draft.tasks.iter_mut().filter(|t| t.lead.is_empty()) {
        t.lead.push(tinhgon_domain::AgencyRef {
            text: "Sở Nội vụ".into(),
            name: "Sở Nội vụ".into(),
            group: None,
        });
    }
    let created = vn(2025, 7, 27, 15);
    let plan = plans::system::insert_draft(
        &db,
        &NewDraft {
            province_id: Some(province),
            draft: &draft,
            source_text: None,
            content_hash: "seed",
            by: None,
            at: created,
        },
    )
    .await?;
    let day = NaiveDate::from_ymd_opt(2025, 7, 28).expect("date");
    let rec = plans::get_plan(&db, plan).await?;
    // A mention the register cannot suggest anything for goes to the monitoring department.
    let monitor = register::units_as_of(&db, province, day)
        .await?
        .into_iter()
        .find(|u| u.name == "Sở Nội vụ")
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("Sở Nội vụ missing"))?;
    let mut map = rec.agency_map.clone();
    for u in plans::unresolved_agencies(&db, plan, day).await? {
        if u.unresolved.role == MentionRole::Lead {
            map.insert(
                u.unresolved.mention.text.clone(),
                vec![u.unresolved.suggestions.first().copied().unwrap_or(monitor)],
            );
        }
    }
    plans::system::update_draft(&db, plan, &rec.draft, &map, created).await?;
    plans::system::publish_plan(&db, plan, None, day, vn(2025, 7, 28, 9)).await?;
    let data = tinhgon_store::periodic::data::plan_data(&db, plan).await?;
    for (i, a) in data.assignments.iter().enumerate() {
        let req = |action, role, at| status::ChangeRequest {
            assignment_id: a.id,
            action,
            role,
            actor: None,
            note: None,
            at,
            expected: None,
        };
        if i % 3 == 2 {
            continue;
        }
        status::system::change_status(
            &db,
            &req(Action::Start, Role::AgencyOfficer, vn(2025, 8, 5, 9)),
        )
        .await?;
        records::system::add_progress_report(
            &db,
            a.id,
            None,
            Some(50),
            "Đang triển khai & lấy ý kiến <góp ý>.",
            &[],
            vn(2025, 8, 20, 9),
        )
        .await?;
        let done_at = if i % 3 == 0 {
            vn(2025, 9, 1, 9)
        } else {
            vn(2025, 10, 1, 9)
        };
        status::system::change_status(
            &db,
            &req(Action::ProposeCompletion, Role::AgencyOfficer, done_at),
        )
        .await?;
        status::system::change_status(
            &db,
            &req(Action::Confirm, Role::Monitor, done_at + Duration::days(1)),
        )
        .await?;
    }
    db.close().await;
    Ok(())
}

fn tinhgon(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(args)
        .output()
        .expect("run tinhgon")
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect("part")
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn report_command_writes_docx_xlsx_csv_and_the_urging_notice() {
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("demo.db");
    demo_like(&db_path).await.expect("demo data");
    let db = db_path.display().to_string();
    let out = |name: &str| dir.path().join(name).display().to_string();

    for (format, file) in [("docx", "bc.docx"), ("xlsx", "bc.xlsx"), ("csv", "bc.csv")] {
        let o = tinhgon(&[
            "report",
            "--db",
            &db,
            "--plan",
            "615/KH-UBND",
            "--as-of",
            "2025-09-15",
            "--format",
            format,
            "--out",
            &out(file),
        ]);
        assert!(
            o.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("quý III/2025"));
    }
    let docx = std::fs::read(out("bc.docx")).expect("docx");
    let doc = zip_text(&docx, "word/document.xml");
    assert!(doc.contains("615/KH-UBND") && doc.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));

    let xlsx = std::fs::read(out("bc.xlsx")).expect("xlsx");
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).expect("open");
    let tasks = wb
        .worksheet_range(tinhgon_reports::xlsx::TASK_SHEET)
        .expect("sheet");
    let csv = std::fs::read(out("bc.csv")).expect("csv");
    assert!(csv.starts_with(tinhgon_reports::csv::BOM));
    let lines = String::from_utf8_lossy(&csv).lines().count();
    // The CSV and the XLSX carry the same rows (a row's text never holds a line break here).
    assert_eq!(lines, tasks.height());
    assert!(tasks.height() > 5);

    // Plan number written loosely still finds the plan; an unknown plan fails with code 2.
    let o = tinhgon(&[
        "report",
        "--db",
        &db,
        "--plan",
        "615/kh-ubnd",
        "--format",
        "csv",
        "--out",
        &out("now.csv"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = tinhgon(&[
        "report",
        "--db",
        &db,
        "--plan",
        "999/KH-UBND",
        "--format",
        "csv",
        "--out",
        &out("x.csv"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("không tìm thấy kế hoạch số 999/KH-UBND"));
    let o = tinhgon(&[
        "report",
        "--db",
        &db,
        "--plan",
        "615/KH-UBND",
        "--as-of",
        "15/9/2025",
        "--out",
        &out("x.docx"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM-DD"));

    // Urging notice to a unit with overdue work today, named without diacritics.
    let conn = Db::connect(&db).await.expect("db");
    let plan = tinhgon_app::find_plan(&conn, "615/KH-UBND")
        .await
        .expect("plan");
    let today = tinhgon_domain::local_date(Utc::now());
    let period = tinhgon_app::report_periods(&conn, plan, today)
        .await
        .expect("period");
    let report = tinhgon_app::aggregated_report(&conn, plan, &period, today)
        .await
        .expect("report");
    conn.close().await;
    let late = report
        .overdue
        .first()
        .expect("some work is overdue today")
        .unit
        .clone();
    let o = tinhgon(&[
        "report",
        "--urge",
        &tinhgon_textkit::fold(&late),
        "--db",
        &db,
        "--plan",
        "615/KH-UBND",
        "--out",
        &out("dondoc.docx"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let notice = zip_text(
        &std::fs::read(out("dondoc.docx")).expect("notice"),
        "word/document.xml",
    );
    assert!(notice.contains(&late), "addressed to {late}");
    let o = tinhgon(&[
        "report",
        "--urge",
        "Không có đơn vị này",
        "--db",
        &db,
        "--plan",
        "615/KH-UBND",
        "--out",
        &out("x.docx"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("không tìm thấy đơn vị"));
}
