//! `tinhgon registry import` as an operator runs it: the register is written with one audit
//! row by the system, in the same transaction; a second import is refused and adds no row.

use std::path::Path;
use std::process::Command;

use tinhgon_store::{audit, Db};

fn import(db: &Path) -> std::process::Output {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(["registry".as_ref(), "import".as_ref(), dir.as_os_str()])
        .arg("--db")
        .arg(db)
        .env("USER", "vanhanh")
        .output()
        .expect("binary runs")
}

#[tokio::test]
async fn registry_import_appends_one_system_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("t.db");
    let out = import(&path);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let rows = audit::recent(&db, 10).await.expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(
        (r.action.as_str(), r.object_kind.as_str()),
        ("register.import", "unit")
    );
    assert_eq!(
        (r.actor_id, r.actor_login.as_deref()),
        (None, Some("hệ thống"))
    );
    let after: serde_json::Value =
        serde_json::from_str(r.after_json.as_deref().unwrap_or("null")).expect("json");
    assert_eq!(after["cli_user"], "vanhanh");
    assert!(after["units"].as_u64().is_some_and(|n| n > 0), "{after}");
    db.close().await;

    let again = import(&path);
    assert_eq!(again.status.code(), Some(1));
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let v = audit::verify(&db).await.expect("verify");
    assert_eq!((v.rows, v.broken), (1, None));
    db.close().await;
}

fn registry(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .arg("registry")
        .args(args)
        .arg("--db")
        .arg(db)
        .env("USER", "vanhanh")
        .output()
        .expect("binary runs")
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Units as a person writes them; a dry run prints the consequences and writes nothing; an
/// ambiguous name is refused with its candidates; the event then applies.
#[tokio::test]
async fn registry_unit_and_event_commands() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("t.db");
    assert_eq!(import(&path).status.code(), Some(0));
    let add = registry(
        &path,
        &[
            "unit",
            "add",
            "Công an tỉnh Nghệ An",
            "--kind",
            "central_branch",
            "--parent",
            "uy ban nhan dan tinh nghe an",
            "--effective",
            "2025-01-01",
            "--decision",
            "01/QĐ-BCA",
            "--alias",
            "Công an tỉnh",
        ],
    );
    assert_eq!(add.status.code(), Some(0), "{}", text(&add));
    let today = (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string();
    let merge = |extra: &[&str], from: &str| {
        let mut a = vec![
            "event",
            "merge",
            "--from",
            from,
            "--into",
            "So Tai chinh",
            "--effective",
            &today,
            "--decision",
            "9/QĐ-UBND",
        ];
        a.extend_from_slice(extra);
        registry(&path, &a)
    };
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let rows_before = audit::recent(&db, 100).await.expect("rows").len();
    db.close().await;
    let dry = merge(&["--dry-run"], "so tu phap");
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    let out = text(&dry);
    assert!(out.contains("Xem trước: sáp nhập"), "{out}");
    assert!(
        out.contains("Đơn vị chấm dứt hoạt động: Sở Tư pháp"),
        "{out}"
    );
    assert!(out.contains("Không có gì được ghi"), "{out}");
    let ambiguous = merge(&[], "Sở");
    assert_eq!(ambiguous.status.code(), Some(1));
    let out = text(&ambiguous);
    assert!(
        out.contains("khớp nhiều đơn vị") && out.contains("Sở Tư pháp"),
        "{out}"
    );
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    assert_eq!(
        audit::recent(&db, 100).await.expect("rows").len(),
        rows_before,
        "a dry run and a refusal write nothing"
    );
    db.close().await;
    let done = merge(&[], "Sở Tư pháp");
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));
    assert!(text(&done).contains("Đã ghi nhận và áp dụng sự kiện sáp nhập"));
    let list = registry(&path, &["event", "list"]);
    assert!(text(&list).contains("9/QĐ-UBND"), "{}", text(&list));
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let v = audit::verify(&db).await.expect("verify");
    assert_eq!((v.rows, v.broken), (3, None));
    db.close().await;
}

/// `registry check`: no violation on Nghệ An's register on 1/3/2025 (14 departments), exit 0;
/// a fifteenth department is a violation with its citation, exit 1.
#[tokio::test]
async fn registry_check_exits_one_on_a_violation() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("t.db");
    assert_eq!(import(&path).status.code(), Some(0));
    let ok = registry(
        &path,
        &["check", "--province", "Nghe An", "--as-of", "2025-03-01"],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(text(&ok).contains("Không có vi phạm"), "{}", text(&ok));
    let add = registry(
        &path,
        &[
            "unit",
            "add",
            "Sở Thử nghiệm",
            "--kind",
            "department",
            "--parent",
            "UBND tỉnh",
            "--effective",
            "2025-03-01",
            "--decision",
            "9/QĐ-UBND",
        ],
    );
    assert_eq!(add.status.code(), Some(0), "{}", text(&add));
    let bad = registry(&path, &["check", "--as-of", "2025-03-01"]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let out = text(&bad);
    assert!(
        out.contains("15 sở") && out.contains("Nghị định 45/2025/NĐ-CP"),
        "{out}"
    );
}

/// `registry check` lists the functions register's findings too: clean once each department
/// holds its catalogue fields, exit 1 naming the overlap when a field is given twice.
#[tokio::test]
async fn registry_check_names_function_overlaps_and_gaps() {
    use tinhgon_app::functions::{self, FunctionForm};
    use tinhgon_app::units::Actor;
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("t.db");
    assert_eq!(import(&path).status.code(), Some(0));
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let province = tinhgon_app::units::province(&db, None).await.expect("tỉnh");
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("ngày");
    functions::seed_from_catalogue(&db, province, day, "Nghị định 45/2025/NĐ-CP")
        .await
        .expect("sổ chức năng");
    let ok = registry(&path, &["check", "--as-of", "2025-09-01"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let op = Actor::Operator(Some("vanhanh"));
    let form = FunctionForm {
        field: "tu-phap.ho-tich".into(),
        effective: "01/09/2025".into(),
        decision: "5/QĐ-UBND".into(),
        ..FunctionForm::default()
    };
    functions::add(&db, op, province, "Sở Nội vụ", &form)
        .await
        .expect("giao lĩnh vực");
    db.close().await;
    let bad = registry(&path, &["check", "--as-of", "2025-09-01"]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let out = text(&bad);
    assert!(
        out.contains("Lĩnh vực trùng lặp: Hộ tịch, quốc tịch, chứng thực, lý lịch tư pháp")
            && out.contains("Sở Tư pháp")
            && out.contains("Sở Nội vụ"),
        "{out}"
    );
    let before = registry(&path, &["check", "--as-of", "2025-08-31"]);
    assert_eq!(before.status.code(), Some(0), "{}", text(&before));
}

/// A scenario from the command line: created, an event added (nothing recorded), shown
/// beside today, applied with its decision; applied again, refused with exit code 1.
#[tokio::test]
async fn registry_scenario_commands() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("t.db");
    assert_eq!(import(&path).status.code(), Some(0));
    let today = (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string();
    let create = registry(&path, &["scenario", "create", "Phương án thử"]);
    assert_eq!(create.status.code(), Some(0), "{}", text(&create));
    assert!(
        text(&create).contains("Đã tạo phương án (mã 1)"),
        "{}",
        text(&create)
    );
    let events = |db: &Db| {
        let db = db.clone();
        async move {
            tinhgon_store::tx::query("SELECT COUNT(*) FROM restructuring_events")
                .scalar::<i64>(&db)
                .await
                .expect("count")
        }
    };
    let db = Db::connect(&path.display().to_string())
        .await
        .expect("open");
    let before = events(&db).await;
    let add = registry(
        &path,
        &[
            "scenario",
            "add",
            "1",
            "--kind",
            "merge",
            "--from",
            "so tu phap",
            "--into",
            "So Tai chinh",
            "--effective",
            &today,
        ],
    );
    assert_eq!(add.status.code(), Some(0), "{}", text(&add));
    assert_eq!(events(&db).await, before, "a draft is not an event");
    let show = registry(&path, &["scenario", "show", "1"]);
    assert_eq!(show.status.code(), Some(0), "{}", text(&show));
    for needle in ["Phương án thử", "Hiện nay", "Sau phương án", "Sáp nhập"] {
        assert!(text(&show).contains(needle), "{needle}: {}", text(&show));
    }
    let apply = registry(
        &path,
        &["scenario", "apply", "1", "--decision", "7/QĐ-UBND"],
    );
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply));
    assert_eq!(events(&db).await, before + 1);
    let again = registry(
        &path,
        &["scenario", "apply", "1", "--decision", "7/QĐ-UBND"],
    );
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(text(&again).contains("đã được áp dụng"), "{}", text(&again));
    db.close().await;
}
