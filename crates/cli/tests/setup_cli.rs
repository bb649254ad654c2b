//! `tinhgon setup` and `tinhgon user …` as an operator runs them on a fresh SQLite file: the
//! province and its administrator, then accounts made, listed, re-passworded and disabled;
//! bad input ends with code 2 and a Vietnamese message, and writes nothing.

use std::path::Path;
use std::process::{Command, Output};

use tinhgon_store::{accounts, audit, Db};

fn tinhgon(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("USER", "vanhanh")
        .output()
        .expect("binary runs")
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn setup_then_accounts_from_the_command_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("t.db");
    let said = ok(&tinhgon(
        &db,
        &[
            "setup",
            "--province",
            "Lào Cai",
            "--admin",
            "quantri",
            "--password",
            "mat-khau-1",
        ],
    ));
    assert!(
        said.contains("Tỉnh Lào Cai") && said.contains("99 xã, phường"),
        "{said}"
    );

    let e = refused(&tinhgon(
        &db,
        &[
            "user",
            "add",
            "--login",
            "cb",
            "--password",
            "mat-khau-2",
            "--role",
            "agency_officer",
            "--province",
            "Lào Cai",
            "--unit",
            "so",
        ],
    ));
    assert!(
        e.contains("khớp nhiều đơn vị"),
        "an ambiguous unit lists its candidates: {e}"
    );
    ok(&tinhgon(
        &db,
        &[
            "user",
            "add",
            "--login",
            "cb",
            "--password",
            "mat-khau-2",
            "--role",
            "agency_officer",
            "--province",
            "lao cai",
            "--unit",
            "so noi vu",
            "--name",
            "Cán bộ Sở Nội vụ",
        ],
    ));
    let e = refused(&tinhgon(
        &db,
        &[
            "user",
            "add",
            "--login",
            "cb",
            "--password",
            "mat-khau-2",
            "--role",
            "monitor",
            "--province",
            "Lào Cai",
        ],
    ));
    assert!(e.contains("đã được dùng"), "{e}");
    let e = refused(&tinhgon(
        &db,
        &[
            "user",
            "add",
            "--login",
            "x",
            "--password",
            "mat-khau-2",
            "--role",
            "boss",
            "--province",
            "Lào Cai",
        ],
    ));
    assert!(e.contains("Vai trò không hợp lệ"), "{e}");
    let e = refused(&tinhgon(
        &db,
        &["user", "passwd", "--login", "cb", "--password", "ngan"],
    ));
    assert!(e.contains("ít nhất 8"), "{e}");
    ok(&tinhgon(
        &db,
        &[
            "user",
            "passwd",
            "--login",
            "cb",
            "--password",
            "mat-khau-moi",
        ],
    ));
    ok(&tinhgon(&db, &["user", "disable", "--login", "cb"]));
    let list = ok(&tinhgon(&db, &["user", "list"]));
    assert!(
        list.contains("quantri") && list.contains("Quản trị"),
        "{list}"
    );
    assert!(
        list.contains("Cán bộ Sở Nội vụ") && list.contains("đã vô hiệu hóa"),
        "{list}"
    );

    let store = Db::connect(&db.display().to_string()).await.expect("open");
    let users = accounts::list_users(&store).await.expect("users");
    assert_eq!(users.len(), 2, "refused commands wrote nothing");
    let cb = accounts::credentials(&store, "cb")
        .await
        .expect("read")
        .expect("cb");
    assert!(!cb.user.active);
    assert!(cb.user.unit_id.is_some());
    let actions: Vec<String> = audit::recent(&store, 20)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| r.action)
        .collect();
    for a in [
        "register.setup",
        "user.create",
        "user.password",
        "user.active",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} audited: {actions:?}");
    }
    assert!(
        audit::verify(&store)
            .await
            .expect("verify")
            .broken
            .is_none(),
        "the chain holds"
    );
}
