//! The first-run page: on a database with no account, the one-time token opens `/setup`,
//! which builds the chosen province's register and its first administrator through the same
//! use case as `tinhgon setup`; a wrong or missing token, a used token, or a database that
//! already has accounts gets "not found" and nothing is written. On both databases.

mod common;

use axum::http::StatusCode;
use common::Client;
use tinhgon_store::Db;
use tinhgon_web::{router, AppState, Config};

async fn fingerprint(db: &Db) -> Vec<(String, i64)> {
    tinhgon_store::web_queries::table_fingerprint(db)
        .await
        .unwrap()
}

tinhgon_testkit::both_databases! {
    async fn the_one_time_token_sets_up_a_province_once_and_nothing_else_does(t) {
        let label = t.label;
        let db = Db::connect(&t.url).await.unwrap();
        let data = tempfile::tempdir().unwrap();
        let config = Config { db: t.url.clone(), data_dir: data.path().to_path_buf(), ..Config::default() };
        let state = AppState::new(db.clone(), config);
        let token = state.open_first_run().await.unwrap().expect("no account yet: a token");
        assert_eq!(token.len(), 64);
        let mut c = Client::new_on(router(state.clone()));
        let empty = fingerprint(&db).await;

        // Without the token, or with another, the page does not exist.
        for path in ["/setup".to_string(), "/setup?token=".into(), format!("/setup?token={}", "0".repeat(64))] {
            let r = c.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}] {path}");
            assert!(!r.body.contains("Tỉnh, thành phố"), "[{label}] {path}");
        }
        let page = c.get(&format!("/setup?token={token}")).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}] {}", page.body);
        assert!(page.body.contains("Thiết lập lần đầu"));
        assert_eq!(page.body.matches("<option value=\"").count(), 35, "[{label}] 34 provinces + the prompt");
        assert!(page.body.contains("<option value=\"15\">Tỉnh Lào Cai</option>"));

        let good = |tok: &str, pw2: &str| {
            vec![
                ("token", tok.to_string()),
                ("province", "15".to_string()),
                ("admin", "quantri".to_string()),
                ("name", "Quản trị Lào Cai".to_string()),
                ("password", "mat-khau-du-dai".to_string()),
                ("password2", pw2.to_string()),
            ]
        };
        let post = async |c: &mut Client, fields: Vec<(&str, String)>| {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post("/setup", &f).await
        };
        // A wrong token: not found, nothing written.
        let r = post(&mut c, good(&"a".repeat(64), "mat-khau-du-dai")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "[{label}] {}", r.body);
        assert_eq!(empty, fingerprint(&db).await, "[{label}] wrong token wrote something");
        // Bad input: the form again with the reason in Vietnamese, nothing written.
        c.get(&format!("/setup?token={token}")).await;
        let r = post(&mut c, good(&token, "khac-hoan-toan")).await;
        assert!(r.body.contains("Mật khẩu nhập lại không khớp."), "[{label}] {}", r.body);
        let mut short = good(&token, "ngan");
        short[4].1 = "ngan".into();
        let r = post(&mut c, short).await;
        assert!(r.body.contains("ít nhất 8 ký tự"), "[{label}] {}", r.body);
        assert!(r.body.contains("value=\"15\" selected"), "[{label}] the choice is kept");
        let mut nowhere = good(&token, "mat-khau-du-dai");
        nowhere[1].1 = "Hà Tây".into();
        let r = post(&mut c, nowhere).await;
        assert!(r.body.contains("Không có tỉnh, thành phố &quot;Hà Tây&quot;"), "[{label}] {}", r.body);
        assert_eq!(empty, fingerprint(&db).await, "[{label}] bad input wrote something");

        // The right token and good input: the register and the administrator, once.
        let r = post(&mut c, good(&token, "mat-khau-du-dai")).await;
        assert_eq!(r.status, StatusCode::OK, "[{label}] {}", r.body);
        assert!(r.body.contains("Đã tạo danh mục Tỉnh Lào Cai (99 xã, phường, đặc khu)"), "[{label}] {}", r.body);
        let users = tinhgon_store::accounts::list_users(&db).await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].role, tinhgon_domain::user::Role::Admin);
        let after = fingerprint(&db).await;
        // The token is dead: the page and the post are gone.
        assert_eq!(c.get(&format!("/setup?token={token}")).await.status, StatusCode::NOT_FOUND);
        let mut again = good(&token, "mat-khau-du-dai");
        again[2].1 = "quantri2".into();
        c.get("/login").await;
        assert_eq!(post(&mut c, again).await.status, StatusCode::NOT_FOUND);
        assert_eq!(after, fingerprint(&db).await, "[{label}] a used token wrote something");
        // Even a restarted server opens no new first-run page once an account exists.
        assert_eq!(state.open_first_run().await.unwrap(), None);
        // The administrator signs in and is in Lào Cai.
        let mut admin = Client::new_on(c.router.clone());
        assert_eq!(admin.login("quantri", "mat-khau-du-dai").await.status, StatusCode::SEE_OTHER);
        let units = admin.get("/units").await;
        assert!(units.body.contains("Sở Nội vụ tỉnh Lào Cai"), "[{label}]");
    }
}

#[tokio::test]
async fn a_system_with_accounts_has_no_first_run_page() {
    let app = common::app().await;
    assert_eq!(app.state.open_first_run().await.unwrap(), None);
    let mut c = Client::new(&app);
    let r = c.get("/setup?token=anything").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body.contains("Không tìm thấy") || r.body.contains("không tồn tại"),
        "{}",
        r.body
    );
}
