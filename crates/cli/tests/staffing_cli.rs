//! `tinhgon staffing status|template|import` as an operator runs them, on SQLite and
//! PostgreSQL: the status JSON has exactly the shape the issue gives, a merged department
//! lists the units its baseline came from, and a file with a wrong row writes nothing.

use std::process::{Command, Output};

use tinhgon_store::{register, Db};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tinhgon"))
        .args(args)
        .env("USER", "vanhanh")
        .output()
        .expect("binary runs")
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

tinhgon_testkit::both_databases! {
    async fn staffing_status_template_and_import(t) {
        let db = Db::connect(&t.url).await.expect("open");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
        let province = register::import_register(&db, &dir).await.expect("register").province_id;
        tinhgon_demo::seed_staffing(&db, province, None).await.expect("sample figures");
        db.close().await;

        let out = run(&["staffing", "status", "--db", &t.url, "--province", "Nghệ An", "--as-of", "2026-06-30", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(keys(&v), ["as_of", "province", "total", "units"]);
        assert_eq!((v["province"].as_str(), v["as_of"].as_str()), (Some("Tỉnh Nghệ An"), Some("2026-06-30")));
        let units = v["units"].as_array().expect("units");
        let local = |n: &str| ["Xã ", "Phường ", "Đặc khu "].iter().any(|p| n.starts_with(p));
        let departments = units.iter().filter(|u| !u["unit"].as_str().is_some_and(local)).count();
        assert_eq!(departments, 14, "the 14 departments in force");
        assert!(units.len() > 14 + 100, "and the communes formed on 1/7/2025: {}", units.len());
        for u in units {
            assert_eq!(keys(u), ["baseline", "baseline_year", "current", "measure", "met", "missing_baseline", "predecessors", "reduction_percent", "target_percent", "unit"]);
            assert_eq!(u["measure"], "quota");
        }
        let find = |name: &str| units.iter().find(|u| u["unit"] == name).unwrap_or_else(|| panic!("{name}"));
        // Sở Nội vụ: the old Sở Nội vụ's 62 + 18 and Sở LĐ-TB&XH's 70 + 160 in 2021; in 2026
        // 132 × 0.82 → 108 and 178 × 0.82 → 145 of the sample, 253 > 248 allowed.
        let nv = find("Sở Nội vụ");
        assert_eq!((nv["baseline"].as_u64(), nv["current"].as_u64()), (Some(310), Some(253)));
        assert_eq!((nv["target_percent"].as_f64(), nv["met"].as_bool()), (Some(20.0), Some(false)));
        let mut from: Vec<(String, u64)> = nv["predecessors"].as_array().expect("list").iter()
            .map(|p| (p["unit"].as_str().unwrap_or_default().to_string(), p["baseline"].as_u64().unwrap_or_default()))
            .collect();
        from.sort();
        assert_eq!(from, [("Sở Lao động, Thương binh và Xã hội".to_string(), 230), ("Sở Nội vụ".to_string(), 80)]);
        assert_eq!(find("Sở Tư pháp")["predecessors"], serde_json::json!([]));
        assert_eq!(keys(&v["total"]), ["baseline", "baseline_year", "current", "measure", "met", "reduction_percent", "target_percent"]);
        assert_eq!(v["total"]["measure"], "quota");

        // The template, then a file with one wrong row: refused, nothing written.
        let tmp = tempfile::tempdir().expect("tempdir");
        let xlsx = tmp.path().join("mau.xlsx");
        let out = run(&["staffing", "template", "--db", &t.url, "--province", "Nghệ An", "--out", xlsx.to_str().expect("path"), "--year", "2026"]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(std::fs::metadata(&xlsx).expect("template").len() > 1000);
        let db = Db::connect(&t.url).await.expect("open");
        let units_now = register::units_as_of(&db, province, chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("day")).await.expect("units");
        let tu_phap = units_now.iter().find(|u| u.name == "Sở Tư pháp").expect("Sở Tư pháp").id;
        let before = tinhgon_store::web_queries::table_fingerprint(&db).await.expect("fingerprint");
        db.close().await;
        let csv = tmp.path().join("so-lieu.csv");
        std::fs::write(&csv, format!(
            "Mã đơn vị,Tên đơn vị,Năm,Loại biên chế,Biên chế được giao,Văn bản giao biên chế,Số có mặt,Ngày số liệu có mặt\n\
             {tu_phap},Sở Tư pháp,2026,Biên chế công chức,30,QĐ 21/QĐ-UBND,29,01/07/2026\n\
             {tu_phap},Sở Tư pháp,2026,Viên chức hưởng lương từ ngân sách,mười,QĐ 21/QĐ-UBND,,\n"
        )).expect("csv");
        let out = run(&["staffing", "import", csv.to_str().expect("path"), "--db", &t.url]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Lỗi: Tệp có 1 lỗi") && err.contains("Dòng 3, cột E (Biên chế được giao)"), "{err}");
        let db = Db::connect(&t.url).await.expect("open");
        assert_eq!(tinhgon_store::web_queries::table_fingerprint(&db).await.expect("fingerprint"), before);
        db.close().await;
        // Corrected, it goes in with one system audit row naming the operator.
        std::fs::write(&csv, format!(
            "Mã đơn vị,Tên đơn vị,Năm,Loại biên chế,Biên chế được giao,Văn bản giao biên chế,Số có mặt,Ngày số liệu có mặt\n\
             {tu_phap},Sở Tư pháp,2026,Biên chế công chức,30,QĐ 21/QĐ-UBND,29,01/07/2026\n"
        )).expect("csv");
        let out = run(&["staffing", "import", csv.to_str().expect("path"), "--db", &t.url]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let db = Db::connect(&t.url).await.expect("open");
        let rows = tinhgon_store::audit::recent(&db, 1).await.expect("audit");
        assert_eq!(rows[0].action, "staffing.import");
        assert!(rows[0].after_json.as_deref().unwrap_or_default().contains("vanhanh"));
        db.close().await;
        let out = run(&["staffing", "status", "--db", &t.url, "--province", "Nghệ An", "--as-of", "2026-06-30", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let tp = v["units"].as_array().expect("units").iter().find(|u| u["unit"] == "Sở Tư pháp").expect("row").clone();
        // 2026: 30 công chức now, and the sample's 40 × 0.82 → 32 viên chức.
        assert_eq!(tp["current"].as_u64(), Some(62));
    }
}
