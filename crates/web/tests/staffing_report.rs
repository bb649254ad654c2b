//! The staffing page and its report downloads: the progress chart, deputies and people at
//! the grassroots on the page; the DOCX and XLSX for the monitor and the leader (the whole
//! province), for an agency officer (its own unit only), refused to the signed-out and to an
//! account of another province.

mod common;

use std::io::Read;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{app_on, publish_615, signed_in, user_id, App, Client};
use http_body_util::BodyExt;
use tinhgon_app::staffing::{self, FigureForm, TargetForm};
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::Role;
use tinhgon_store::{accounts, register};
use tower::ServiceExt;

/// A GET whose body is kept as bytes: (status, content type, bytes).
async fn fetch(c: &Client, path: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, c.cookie_header())
        .body(Body::empty())
        .unwrap();
    let resp = c.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, ct, bytes)
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).expect("docx");
    let mut s = String::new();
    zip.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

/// The unit names of the XLSX's attainment sheet.
fn attainment_units(xlsx: &[u8]) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("xlsx");
    let range = book.worksheet_range("Biên chế theo đơn vị").expect("sheet");
    range.rows().skip(1).map(|r| r[1].to_string()).collect()
}

async fn living(app: &App, name: &str) -> Id {
    register::load_register(&app.state.db, app.province)
        .await
        .unwrap()
        .units
        .into_iter()
        .find(|u| u.name == name && u.valid_to.is_none())
        .unwrap_or_else(|| panic!("không có {name}"))
        .id
}

fn form(kind: &str, fields: &[(&str, &str)]) -> FigureForm {
    let mut f = FigureForm {
        kind: kind.into(),
        ..FigureForm::default()
    };
    for (k, v) in fields {
        let v = v.to_string();
        match *k {
            "year" => f.year = v,
            "on" => f.on = v,
            "line" => f.line = v,
            "count" => f.count = v,
            "decision" => f.decision = v,
            "heads" => f.heads = v,
            "deputies" => f.deputies = v,
            "deputy_cap" => f.deputy_cap = v,
            "from" => f.from = v,
            "people" => f.people = v,
            other => panic!("trường lạ {other}"),
        }
    }
    f
}

/// Sở Tư pháp 40 → 34 (not met, three deputies for two), Sở Tài chính 90 → 70 (met), a
/// target of 615/KH-UBND, headcounts and people at the grassroots.
async fn seed(app: &App) {
    publish_615(app).await;
    let db = &app.state.db;
    let monitor = accounts::user(db, user_id(db, "sonoivu").await)
        .await
        .unwrap()
        .unwrap();
    let tp = living(app, "Sở Tư pháp").await;
    let tc = living(app, "Sở Tài chính").await;
    let quota = |year: &str, n: &str| {
        form(
            "quota",
            &[
                ("year", year),
                ("line", "civil_servant"),
                ("count", n),
                ("decision", "Quyết định giao biên chế"),
            ],
        )
    };
    let figures = [
        (tp, quota("2021", "40")),
        (tp, quota("2026", "34")),
        (tc, quota("2021", "90")),
        (tc, quota("2026", "70")),
        (
            tp,
            form(
                "leadership",
                &[
                    ("on", "01/06/2026"),
                    ("heads", "1"),
                    ("deputies", "3"),
                    ("deputy_cap", "2"),
                ],
            ),
        ),
        (
            tc,
            form(
                "headcount",
                &[
                    ("on", "01/06/2026"),
                    ("line", "civil_servant"),
                    ("count", "70"),
                ],
            ),
        ),
        (
            tc,
            form("secondment", &[("from", "01/03/2026"), ("people", "1")]),
        ),
    ];
    for (u, f) in figures {
        staffing::record(db, &monitor, UnitId(u), f).await.unwrap();
    }
    staffing::add_target(
        db,
        &monitor,
        app.province,
        TargetForm {
            title: "Giảm tối thiểu 20% biên chế công chức".into(),
            percent: "20".into(),
            baseline_year: "2021".into(),
            plan: "615/KH-UBND".into(),
            ..TargetForm::default()
        },
    )
    .await
    .unwrap();
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const AS_OF: &str = "as_of=2026-06-30";

tinhgon_testkit::both_databases! {
    async fn staffing_report_downloads_follow_the_rights(tdb) {
        let app = app_on(tdb).await;
        seed(&app).await;

        // The page: the chart of the target (2021 and 2026 bars, the line at 104), the
        // deputies over their cap, the grassroots table, the download links.
        let mut m = signed_in(&app, "sonoivu").await;
        let page = m.get(&format!("/staffing?{AS_OF}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("class=\"staffing-progress\""), "{}", page.body);
        assert!(page.body.contains("Năm 2026: 104"), "{}", page.body);
        assert!(page.body.contains("Tối đa 104"));
        assert!(page.body.contains("id=\"secondments\""));
        assert!(page.body.contains("/staffing/report.docx?as_of=2026-06-30"));
        assert!(page.body.contains("/staffing/report.xlsx?as_of=2026-06-30"));

        // The monitor and the leader get the whole province.
        for login in ["sonoivu", "lanhdao"] {
            let c = signed_in(&app, login).await;
            let (status, ct, bytes) = fetch(&c, &format!("/staffing/report.docx?{AS_OF}")).await;
            assert_eq!((status, ct.as_str()), (StatusCode::OK, DOCX), "{login}");
            let xml = document_xml(&bytes);
            assert!(xml.contains("Sở Tư pháp") && xml.contains("Sở Tài chính"), "{login}");
            assert!(xml.contains("Toàn tỉnh"));
            let (status, ct, bytes) = fetch(&c, &format!("/staffing/report.xlsx?{AS_OF}")).await;
            assert_eq!((status, ct.as_str()), (StatusCode::OK, XLSX), "{login}");
            assert_eq!(attainment_units(&bytes), ["Sở Tài chính", "Sở Tư pháp", "Toàn tỉnh"]);
        }

        // An agency officer gets its own unit only, issued by its unit.
        let mut o = signed_in(&app, "sotuphap").await;
        let unit = o.get("/staffing").await;
        assert_eq!(unit.status, StatusCode::SEE_OTHER);
        let own = o.get(unit.location.as_deref().expect("trang đơn vị")).await;
        assert!(own.body.contains("id=\"report-docx\""), "{}", own.body);
        let (status, _, bytes) = fetch(&o, &format!("/staffing/report.docx?{AS_OF}")).await;
        assert_eq!(status, StatusCode::OK);
        let xml = document_xml(&bytes);
        assert!(xml.contains("SỞ TƯ PHÁP"));
        assert!(!xml.contains("Sở Tài chính") && !xml.contains("Toàn tỉnh"));
        let (_, _, bytes) = fetch(&o, &format!("/staffing/report.xlsx?{AS_OF}")).await;
        assert_eq!(attainment_units(&bytes), ["Sở Tư pháp"]);
        // The other officer's unit has no row of its own: nothing of Sở Tư pháp.
        let t = signed_in(&app, "sotaichinh").await;
        let (_, _, bytes) = fetch(&t, &format!("/staffing/report.docx?{AS_OF}")).await;
        assert!(!document_xml(&bytes).contains("Sở Tư pháp"));

        // Signed out: sent to sign in; another province's monitor: not found.
        let anon = Client::new(&app);
        let (status, _, _) = fetch(&anon, "/staffing/report.docx").await;
        assert!(matches!(status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED), "{status}");
        let elsewhere = living(&app, "Sở Xây dựng").await;
        let pw = "tinh-khac-mat-khau";
        accounts::system::create_user(
            &app.state.db,
            &accounts::NewUser {
                login: "tinhkhac".into(),
                display_name: "Giám sát tỉnh khác".into(),
                password_hash: tinhgon_web::auth::hash_password(pw.to_string()).await.unwrap(),
                role: Role::Monitor,
                unit_id: None,
                province_id: Some(elsewhere),
            },
        )
        .await
        .unwrap();
        let mut f = Client::new(&app);
        f.login("tinhkhac", pw).await;
        for path in ["/staffing/report.docx", "/staffing/report.xlsx"] {
            let (status, _, bytes) = fetch(&f, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!String::from_utf8_lossy(&bytes).contains("Sở Tư pháp"));
        }
        // A bad day is refused with a message.
        let (status, _, _) = fetch(&m, "/staffing/report.docx?as_of=31/02/2026").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}
