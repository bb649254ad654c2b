//! The functions register and the statutory rules on SQLite and PostgreSQL: the catalogue
//! given to Nghệ An's departments, a merge carrying fields to the successor, a dissolution
//! refused while a field is unplaced (nothing written) and recorded once placed or ended,
//! overlaps and gaps found per province and per unit, the rule check on the Nghệ An register
//! from 1/3/2025, and the minimum staff and deputy rules on crafted figures.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use tinhgon_app::functions::{self, EndForm, FunctionForm};
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::rules;
use tinhgon_app::units::{self, Actor, UnitForm};
use tinhgon_domain::functions as catalogue;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::StaffLine;
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_store::staffing::UnitFigure;
use tinhgon_store::tx::query;
use tinhgon_store::{register, Db};

const OP: Actor<'static> = Actor::Operator(Some("vanhanh"));

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn today() -> NaiveDate {
    tinhgon_domain::local_date(Utc::now())
}

/// Nghệ An's register, its departments given their catalogue fields from 1/3/2025.
async fn nghe_an(db: &Db) -> anyhow::Result<Id> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
    let province = register::import_register(db, &dir).await?.province_id;
    let n = functions::seed_from_catalogue(db, province, d(2025, 3, 1), "Nghị định 45/2025/NĐ-CP")
        .await?;
    assert_eq!(
        n,
        catalogue::catalogue().len(),
        "every field goes to a department"
    );
    Ok(province)
}

async fn unit_named(db: &Db, province: Id, name: &str) -> anyhow::Result<Id> {
    Ok(register::units_as_of(db, province, today())
        .await?
        .into_iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .expect(name))
}

/// Codes of the fields `unit` holds on `day`.
async fn codes(db: &Db, province: Id, unit: Id, day: NaiveDate) -> anyhow::Result<Vec<String>> {
    let mut v: Vec<String> = functions::of_unit(db, province, unit, day)
        .await?
        .current
        .into_iter()
        .map(|f| f.code)
        .collect();
    v.sort();
    Ok(v)
}

/// Row counts of what an event and the functions register write.
async fn footprint(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut v = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM unit_functions",
        "SELECT COUNT(*) FROM unit_functions WHERE valid_to IS NOT NULL",
        "SELECT COUNT(*) FROM restructuring_events",
        "SELECT COUNT(*) FROM units WHERE valid_to IS NOT NULL",
        "SELECT COUNT(*) FROM audit_log",
    ] {
        v.push(query(sql).scalar(db).await?);
    }
    Ok(v)
}

fn event(kind: &str, from: &str, into: Option<&str>) -> EventForm {
    EventForm {
        kind: kind.into(),
        from: vec![from.into()],
        into: into.map(|i| vec![i.to_string()]).unwrap_or_default(),
        effective: today().format("%Y-%m-%d").to_string(),
        decision: "21/QĐ-UBND".into(),
        ..EventForm::default()
    }
}

tinhgon_testkit::both_databases! {
    async fn the_nghe_an_register_with_its_fields_is_clean_on_1_march_2025(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = nghe_an(&db).await?;
        let counts = tinhgon_store::rules::department_counts(&db, d(2025, 3, 1)).await?;
        assert_eq!(counts.iter().find(|c| c.0 == province).map(|c| c.3), Some(14));
        let r = rules::report(&db, Some(province), d(2025, 3, 1)).await?;
        assert_eq!(r.len(), 1);
        assert!(r[0].is_clean(), "{:?}", r[0]);
        assert_eq!(r[0].functions.held, catalogue::catalogue().len());
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let held = codes(&db, province, noi_vu, d(2025, 3, 1)).await?;
        assert!(held.contains(&"noi-vu.thi-dua".to_string()), "{held:?}");
        // Before the decree nothing is held, and nothing is a gap either.
        let before = rules::report(&db, Some(province), d(2025, 2, 28)).await?;
        assert!(before[0].is_clean() && before[0].functions.held == 0, "{:?}", before[0]);
        // Seeding twice writes nothing.
        assert_eq!(functions::seed_from_catalogue(&db, province, d(2025, 3, 1), "x").await?, 0);
        Ok(())
    }

    async fn an_overlap_and_a_gap_are_found_per_province_and_per_unit(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = nghe_an(&db).await?;
        let tu_phap = unit_named(&db, province, "Sở Tư pháp").await?;
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let day = d(2025, 9, 1);
        // Bad input changes nothing.
        let before = footprint(&db).await?;
        let bad = |field: &str, effective: &str, decision: &str| FunctionForm {
            field: field.into(),
            effective: effective.into(),
            decision: decision.into(),
            ..FunctionForm::default()
        };
        for (form, part) in [
            (bad("Lĩnh vực không có", "01/09/2025", "5/QĐ-UBND"), "Không có lĩnh vực"),
            (bad("thi dua", "31/02/2025", "5/QĐ-UBND"), "Ngày hiệu lực"),
            (bad("thi dua", "01/09/2025", ""), "số văn bản"),
        ] {
            let e = functions::add(&db, OP, province, "Sở Tư pháp", &form).await.unwrap_err();
            assert!(e.to_string().contains(part), "{e}");
        }
        for (form, part) in [(bad("dttg.dan-toc", "01/01/2020", "5/QĐ-UBND"), "trước ngày")] {
            let e = functions::add(&db, OP, province, "Sở Dân tộc và Tôn giáo", &form).await.unwrap_err();
            assert!(e.to_string().contains(part), "{e}");
        }
        let again = functions::add(&db, OP, province, "Sở Nội vụ", &bad("noi-vu.thi-dua", "01/09/2025", "5/QĐ-UBND")).await.unwrap_err();
        assert!(again.to_string().contains("đã được giao"), "{again}");
        assert_eq!(footprint(&db).await?, before);

        // Thi đua, khen thưởng given to Sở Tư pháp too: an overlap with Sở Nội vụ.
        functions::add(&db, OP, province, "so tu phap", &bad("Thi đua, khen thưởng", "01/09/2025", "5/QĐ-UBND")).await?;
        // Văn thư, lưu trữ ended at Sở Nội vụ: nobody holds it.
        let row = functions::of_unit(&db, province, noi_vu, day).await?.current.into_iter()
            .find(|f| f.code == "noi-vu.van-thu").expect("held").id;
        functions::end(&db, OP, province, row, &EndForm { effective: "01/09/2025".into(), decision: "6/QĐ-UBND".into() }).await?;
        let r = rules::report(&db, Some(province), day).await?.remove(0);
        assert_eq!(r.functions.overlaps.len(), 1, "{:?}", r.functions.overlaps);
        let o = &r.functions.overlaps[0];
        assert_eq!(o.field_code, "noi-vu.thi-dua");
        let mut ids: Vec<Id> = o.units.iter().map(|u| u.0).collect();
        ids.sort();
        let mut want = vec![noi_vu, tu_phap];
        want.sort();
        assert_eq!(ids, want);
        assert_eq!(r.functions.gaps.len(), 1, "{:?}", r.functions.gaps);
        assert_eq!(r.functions.gaps[0].field_code, "noi-vu.van-thu");
        assert_eq!(r.functions.gaps[0].department, "Sở Nội vụ");
        // Per unit.
        assert_eq!(functions::of_unit(&db, province, tu_phap, day).await?.overlaps.len(), 1);
        assert_eq!(r.for_unit(tu_phap).1.len(), 1);
        let dan_toc = unit_named(&db, province, "Sở Dân tộc và Tôn giáo").await?;
        assert!(functions::of_unit(&db, province, dan_toc, day).await?.overlaps.is_empty());
        // The day before, neither.
        assert!(rules::report(&db, Some(province), d(2025, 8, 31)).await?[0].is_clean());
        let audited: i64 = query("SELECT COUNT(*) FROM audit_log WHERE action IN ('function.add', 'function.end') AND after_json LIKE '%vanhanh%'")
            .scalar(&db).await?;
        assert_eq!(audited, 2, "each change audited");
        Ok(())
    }

    async fn a_merge_gives_the_fields_to_the_successor(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = nghe_an(&db).await?;
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let ngoai_vu = unit_named(&db, province, "Sở Ngoại vụ").await?;
        let theirs = codes(&db, province, ngoai_vu, today()).await?;
        assert_eq!(theirs.len(), 3);
        let f = event("merge", "Sở Ngoại vụ", Some("Sở Nội vụ"));
        let pv = restructuring::preview(&db, OP, province, &f).await?;
        assert_eq!(pv.functions.len(), 3, "{:?}", pv.functions);
        assert!(pv.functions.iter().all(|x| x.to.as_ref().map(|u| u.id) == Some(noi_vu)));
        assert!(pv.missing.is_empty(), "{:?}", pv.missing);
        let o = restructuring::record(&db, OP, province, &f).await?;
        assert_eq!(o.recorded.applied.expect("applied").functions, 3);
        let now = codes(&db, province, noi_vu, today()).await?;
        for c in &theirs {
            assert!(now.contains(c), "{c} moved: {now:?}");
        }
        assert!(codes(&db, province, ngoai_vu, today() - chrono::Duration::days(1)).await?.len() == 3, "history stays");
        let r = rules::report(&db, Some(province), today()).await?.remove(0);
        assert!(r.functions.gaps.is_empty() && r.functions.overlaps.is_empty(), "{:?}", r.functions);
        let moved: i64 = query("SELECT COUNT(*) FROM unit_functions WHERE unit_id = $1 AND event_id = $2")
            .bind(noi_vu).bind(o.recorded.event_id).scalar(&db).await?;
        assert_eq!(moved, 3, "the new rows name the event");
        Ok(())
    }

    async fn a_dissolution_with_an_unplaced_field_is_refused_then_recorded_when_placed(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = nghe_an(&db).await?;
        let dttg = unit_named(&db, province, "Sở Dân tộc và Tôn giáo").await?;
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let mut f = event("dissolve", "Sở Dân tộc và Tôn giáo", None);
        let pv = restructuring::preview(&db, OP, province, &f).await?;
        assert_eq!(pv.functions.len(), 2);
        assert!(pv.functions.iter().all(|x| x.to.is_none() && !x.ended));
        assert!(pv.missing.iter().any(|m| m.contains("2 lĩnh vực")), "{:?}", pv.missing);
        let before = footprint(&db).await?;
        let e = restructuring::record(&db, OP, province, &f).await.unwrap_err();
        assert!(e.to_string().contains("lĩnh vực"), "{e}");
        assert_eq!(footprint(&db).await?, before, "nothing written");
        // One placed, the other still open: still refused.
        let rows = functions::of_unit(&db, province, dttg, today()).await?.current;
        let dan_toc = rows.iter().find(|r| r.code == "dttg.dan-toc").expect("held").id;
        let ton_giao = rows.iter().find(|r| r.code == "dttg.ton-giao").expect("held").id;
        f.functions = BTreeMap::from([(dan_toc.to_string(), "Sở Nội vụ".to_string())]);
        assert!(restructuring::record(&db, OP, province, &f).await.is_err());
        assert_eq!(footprint(&db).await?, before);
        // A field of another unit is a clear error.
        let other = functions::of_unit(&db, province, noi_vu, today()).await?.current[0].id;
        let mut forged = f.clone();
        forged.functions.insert(other.to_string(), "end".into());
        let e = restructuring::preview(&db, OP, province, &forged).await.unwrap_err();
        assert!(e.to_string().contains("không thuộc đơn vị sắp xếp"), "{e}");
        // Placed and ended: recorded.
        f.functions.insert(ton_giao.to_string(), "end".into());
        let pv = restructuring::preview(&db, OP, province, &f).await?;
        assert!(pv.missing.is_empty(), "{:?}", pv.missing);
        assert!(pv.functions.iter().any(|x| x.ended));
        restructuring::record(&db, OP, province, &f).await?;
        assert!(codes(&db, province, noi_vu, today()).await?.contains(&"dttg.dan-toc".to_string()));
        let r = rules::report(&db, Some(province), today()).await?.remove(0);
        let gaps: Vec<&str> = r.functions.gaps.iter().map(|g| g.field_code.as_str()).collect();
        assert_eq!(gaps, ["dttg.ton-giao"], "the ended field is a gap");
        Ok(())
    }

    async fn minimum_staff_and_deputy_rules_are_checked_on_the_staffing_figures(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let province = nghe_an(&db).await?;
        let add = |name: &str, kind: &str| UnitForm {
            name: name.into(),
            kind: kind.into(),
            parent: "Sở Nội vụ".into(),
            effective: "01/03/2025".into(),
            decision: "7/QĐ-UBND".into(),
            ..UnitForm::default()
        };
        let phong = units::add(&db, OP, province, add("Phòng Tổ chức biên chế", "division")).await?;
        let chi_cuc = units::add(&db, OP, province, add("Chi cục Văn thư lưu trữ", "sub_department")).await?;
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let tu_phap = unit_named(&db, province, "Sở Tư pháp").await?;
        let civil = StaffLine::ALL[0];
        let figures = [
            UnitFigure { unit_id: phong, figure: Figure::Quota { year: 2025, line: civil, count: 5, decision: "8/QĐ-UBND".into() } },
            // No quota for the chi cục: its headcount is taken.
            UnitFigure { unit_id: chi_cuc, figure: Figure::Headcount { on: d(2025, 4, 1), line: civil, count: 10 } },
            UnitFigure { unit_id: noi_vu, figure: Figure::Leadership { on: d(2025, 4, 1), heads: 1, deputies: 4, deputy_cap: None } },
            UnitFigure { unit_id: tu_phap, figure: Figure::Leadership { on: d(2025, 4, 1), heads: 1, deputies: 4, deputy_cap: None } },
        ];
        tinhgon_store::staffing::record_audited(&db, &figures, None, Utc::now(), &[]).await?;
        let v = rules::check(&db, Some(province), d(2025, 6, 1)).await?;
        let of = |unit: Option<Id>| v.iter().filter(move |x| x.unit_id == unit).collect::<Vec<_>>();
        assert_eq!(v.len(), 4, "{v:#?}");
        let p = of(Some(phong));
        assert!(p[0].message.contains("5 biên chế") && p[0].message.contains("tối thiểu 7"), "{}", p[0].message);
        assert!(p[0].citation.starts_with("Nghị định 45/2025/NĐ-CP"), "{}", p[0].citation);
        assert!(of(Some(chi_cuc))[0].message.contains("10 biên chế") && of(Some(chi_cuc))[0].message.contains("tối thiểu 12"));
        // Sở Nội vụ was merged on 1/3/2025: one deputy more, for five years.
        let nv = of(Some(noi_vu));
        assert_eq!(nv[0].grace_until, Some(d(2030, 3, 1)), "{:?}", nv[0]);
        // Sở Tư pháp was not: 8 deputies over 2 departments is over 3 × 2 + 1.
        let whole = of(None);
        assert!(whole[0].message.contains("8 phó giám đốc") && whole[0].message.contains("vượt mức 7"), "{}", whole[0].message);
        assert!(of(Some(tu_phap)).is_empty());
        // From 1/7/2025 the same rules cite Nghị định 150/2025/NĐ-CP; before 1/3/2025 none applies.
        let later = rules::check(&db, Some(province), d(2025, 7, 1)).await?;
        assert!(later.iter().all(|x| x.citation.starts_with("Nghị định 150/2025/NĐ-CP")), "{later:#?}");
        // A unit's own violations are on its page.
        let r = rules::report(&db, Some(province), d(2025, 6, 1)).await?.remove(0);
        assert_eq!(r.for_unit(phong).0.len(), 1);
        Ok(())
    }
}
