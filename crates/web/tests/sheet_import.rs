//! A plan's tasks from a spreadsheet through the real router on both databases: the import
//! page offers .xlsx/.csv and the template, a sheet is uploaded, reviewed (its progress
//! shown), an unknown agency mapped, the plan published with the sheet's leads,
//! coordinators and due dates; bad sheets are refused with their message and change nothing.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{app_on, download, multipart_body, signed_in, Client};
use serde_json::Value;
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

/// A tracking sheet as a province keeps it, saved by Excel as "CSV UTF-8" with semicolons:
/// a title block, then one row per task; one lead is not a register name.
fn sheet() -> Vec<u8> {
    "\u{feff}ỦY BAN NHÂN DÂN TỈNH NGHỆ AN;;;;;\r\n\
Số: 88/KH-UBND;;;;;\r\n\
Nghệ An, ngày 02 tháng 9 năm 2025;;;;;\r\n\
KẾ HOẠCH;;;;;\r\n\
Sắp xếp các đơn vị sự nghiệp công lập thuộc tỉnh;;;;;\r\n\
;;;;;\r\n\
STT;Nội dung nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;Thời hạn;Tình hình thực hiện\r\n\
1;Rà soát, sắp xếp các đơn vị sự nghiệp công lập thuộc Sở;Sở Y tế;\"Sở Nội vụ; Sở Tài chính\";Quý IV/2025;Đã sáp nhập 3 trung tâm y tế\r\n\
2;Xây dựng đề án sắp xếp các ban quản lý dự án;Sở Xây dựng;Sở Nội vụ;Trước 30/11/2025;\r\n\
3;Tổng hợp báo cáo kết quả sắp xếp;Tổ công tác liên ngành của tỉnh;Sở Tư pháp;31/12/2025;\r\n"
        .as_bytes()
        .to_vec()
}

async fn current_unit(db: &Db, province: i64, name: &str) -> i64 {
    tinhgon_store::register::units_as_of(db, province, chrono::Utc::now().date_naive())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("{name} trong danh mục"))
        .id
}

async fn plan_count(db: &Db) -> i64 {
    wq::table_fingerprint(db)
        .await
        .unwrap()
        .into_iter()
        .find(|(t, _)| t == "plans")
        .map_or(0, |(_, n)| n)
}

tinhgon_testkit::both_databases! {
    async fn a_sheet_is_reviewed_mapped_and_published(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let db = app.state.db.clone();
        let mut monitor = signed_in(&app, "sonoivu").await;

        // The page offers spreadsheets and links the template, which opens as a sheet.
        let r = monitor.get("/import").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(".xlsx,.csv"), "[{label}] {}", r.body);
        assert!(r.body.contains("href=\"/import/template.xlsx\""));
        assert!(r.body.contains("Mẫu nhập nhiệm vụ từ bảng tính"));
        let t = download(&monitor, "/import/template.xlsx").await;
        assert_eq!(t.status, StatusCode::OK);
        assert!(t.content_type.contains("spreadsheetml"), "{}", t.content_type);
        assert!(t.disposition.contains("nh%E1%BA%ADp") || t.disposition.contains("nhập"), "{}", t.disposition);
        assert!(t.bytes.starts_with(b"PK"));

        // Upload → review.
        let r = monitor
            .post_multipart("/import", &[("file", "theo-doi.csv", &sheet())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let location = r.location.clone().unwrap();
        let plan: i64 = location
            .trim_start_matches("/plans/")
            .trim_end_matches("/review")
            .parse()
            .unwrap_or_else(|_| panic!("{location}"));
        let page = monitor.get(&location).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Tình hình thực hiện (theo bảng tính)"));
        assert!(page.body.contains("Đã sáp nhập 3 trung tâm y tế"));
        assert!(page.body.contains("Rà soát, sắp xếp các đơn vị sự nghiệp"));
        let rec = tinhgon_store::plans::get_plan(&db, plan).await.unwrap();
        assert_eq!(rec.draft.document.number.as_deref(), Some("88/KH-UBND"));
        assert_eq!(rec.draft.tasks.len(), 3);

        // The unknown lead is the one mention left to map.
        let r = monitor.get(&format!("/api/plans/{plan}/review")).await;
        let v: Value = serde_json::from_str(&r.body).unwrap();
        let unresolved = v["unresolved"].as_array().unwrap();
        let leads: Vec<&Value> = unresolved.iter().filter(|m| m["role"] == "lead").collect();
        assert_eq!(leads.len(), 1, "[{label}] {unresolved:?}");
        assert_eq!(leads[0]["text"], "Tổ công tác liên ngành của tỉnh");
        let noi_vu = current_unit(&db, app.province, "Sở Nội vụ").await;
        let r = monitor
            .post(
                &format!("/plans/{plan}/review/map"),
                &[
                    ("mention", "Tổ công tác liên ngành của tỉnh"),
                    ("key", leads[0]["key"].as_str().unwrap()),
                    ("unit_id", &noi_vu.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);

        // Publish → the sheet's assignments.
        let r = monitor.post(&format!("/plans/{plan}/publish"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "[{label}] {}", r.body);
        let names = wq::unit_names(&db, Some(app.province)).await.unwrap();
        let rows = wq::plan_work(&db, plan).await.unwrap();
        let work: BTreeSet<(String, String, Option<NaiveDate>)> = rows
            .iter()
            .map(|w| (w.task_ref.clone(), names[&w.unit_id].clone(), w.due))
            .collect();
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day);
        let want: BTreeSet<(String, String, Option<NaiveDate>)> = [
            ("1", "Sở Y tế", d(12, 31)),
            ("2", "Sở Xây dựng", d(11, 30)),
            ("3", "Sở Nội vụ", d(12, 31)),
        ]
        .into_iter()
        .map(|(r, u, due)| (r.to_string(), u.to_string(), due))
        .collect();
        assert_eq!(work, want, "[{label}] chủ trì và hạn");
        let mut task_ids: Vec<i64> = rows.iter().map(|w| w.task_id).collect();
        task_ids.dedup();
        let coordinators = tinhgon_store::assignment_list::coordinators_of(&db, &task_ids)
            .await
            .unwrap();
        let by_ref = |r: &str| -> BTreeSet<String> {
            let task = rows.iter().find(|w| w.task_ref == r).unwrap().task_id;
            coordinators.get(&task).cloned().unwrap_or_default().into_iter().collect()
        };
        let set = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(by_ref("1"), set(&["Sở Nội vụ", "Sở Tài chính"]), "[{label}]");
        assert_eq!(by_ref("2"), set(&["Sở Nội vụ"]), "[{label}]");
        assert_eq!(by_ref("3"), set(&["Sở Tư pháp"]), "[{label}]");
    }

    async fn bad_sheets_are_refused_with_their_message_and_change_nothing(tdb) {
        let label = tdb.label;
        let app = app_on(tdb).await;
        let db = app.state.db.clone();
        let mut monitor = signed_in(&app, "sonoivu").await;
        monitor.get("/import").await;
        let token = common::token_for(&app, "sonoivu").await;
        let before = wq::table_fingerprint(&db).await.unwrap();
        for (name, bytes, says) in [
            (
                "danh-sach.csv",
                "Họ và tên;Ngày sinh\nNguyễn Văn A;01/01/1980\n".as_bytes().to_vec(),
                "không tìm thấy dòng tiêu đề của bảng nhiệm vụ",
            ),
            (
                "trong.csv",
                "STT;Nội dung nhiệm vụ;Cơ quan chủ trì\n".as_bytes().to_vec(),
                "không có nhiệm vụ nào",
            ),
            ("hong.xlsx", b"PK\x03\x04 hong".to_vec(), "Không đọc được bảng tính"),
            ("anh.xlsx", b"\x89PNG\r\n\x1a\n".to_vec(), "Không đọc được bảng tính"),
        ] {
            let r = monitor.post_multipart("/import", &[("file", name, &bytes)]).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "[{label}] {name}: {}", r.body);
            assert!(r.body.contains(says), "[{label}] {name}: {}", r.body);
            // The API answers the same message in JSON.
            let (ct, body) = multipart_body(&[("file", name, &bytes)]);
            let resp = common::api_send(
                &app,
                axum::http::Method::POST,
                "/api/plans/import",
                &common::Auth::Bearer(token.clone()),
                Some((ct.as_str(), body)),
            )
            .await;
            assert_eq!(resp.status, StatusCode::BAD_REQUEST, "[{label}] {name}");
            assert!(resp.json.to_string().contains(says), "[{label}] {name}: {}", resp.json);
        }
        assert_eq!(
            wq::table_fingerprint(&db).await.unwrap(),
            before,
            "[{label}] không thay đổi gì"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mb_sheet_is_refused_before_it_is_read() {
    let app = common::app().await;
    let mut c = Client::new(&app);
    c.login("sonoivu", common::password("sonoivu")).await;
    c.get("/import").await;
    let plans = plan_count(&app.state.db).await;
    let huge = vec![b'a'; 200 * 1024 * 1024];
    let r = c
        .post_multipart("/import", &[("file", "lon.xlsx", &huge)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &r.body[..r.body.len().min(300)]
    );
    assert!(r.body.contains("quá lớn"), "{}", r.body);
    assert_eq!(plan_count(&app.state.db).await, plans);
}
