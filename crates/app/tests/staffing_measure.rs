//! Staffing on SQLite and PostgreSQL, against figures worked out by hand below: a target
//! measured on headcounts (615/KH-UBND PL.2, "trên cơ sở các cơ quan, đơn vị báo cáo") across
//! the 1/3/2025 merger of Sở Nội vụ and Sở Lao động, Thương binh và Xã hội; a split sharing
//! quotas, headcounts and the targets' baselines by the percents the monitor gives, and wrong
//! percents refused with nothing written.

mod common;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::{account, d, publish_615};
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::staffing::status::{self, StatusReport};
use tinhgon_app::staffing::{self, FigureForm, TargetForm};
use tinhgon_app::units::Actor;
use tinhgon_app::AppError;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{Measure, StaffLine};
use tinhgon_domain::staffing_figures::Figure;
use tinhgon_domain::unit::Unit;
use tinhgon_domain::user::Role;
use tinhgon_store::tx::query;
use tinhgon_store::{register, Db};

const CS: usize = 0; // biên chế công chức
const PE: usize = 1; // viên chức hưởng lương từ ngân sách
const SELF: usize = 2; // viên chức đơn vị tự bảo đảm chi (not counted)

/// The unit named `name`: the one still in force, or (`former`) the one that ended.
fn unit(units: &[Unit], name: &str, former: bool) -> Id {
    units
        .iter()
        .find(|u| u.name == name && u.valid_to.is_some() == former)
        .unwrap_or_else(|| panic!("không có đơn vị {name}"))
        .id
}

fn quota(year: i32, line: usize, count: u32) -> FigureForm {
    FigureForm {
        kind: "quota".into(),
        year: year.to_string(),
        line: StaffLine::ALL[line].key().into(),
        count: count.to_string(),
        decision: format!("Quyết định giao biên chế năm {year}"),
        ..FigureForm::default()
    }
}

fn headcount(on: NaiveDate, line: usize, count: u32) -> FigureForm {
    FigureForm {
        kind: "headcount".into(),
        on: on.format("%d/%m/%Y").to_string(),
        line: StaffLine::ALL[line].key().into(),
        count: count.to_string(),
        ..FigureForm::default()
    }
}

fn row<'a>(r: &'a StatusReport, name: &str) -> &'a status::UnitStatus {
    r.units
        .iter()
        .find(|u| u.unit == name)
        .unwrap_or_else(|| panic!("không có dòng {name}: {:?}", r.units))
}

fn today() -> NaiveDate {
    tinhgon_domain::local_date(Utc::now())
}

tinhgon_testkit::both_databases! {
    async fn a_headcount_target_counts_the_people_reported_across_a_merger(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let units = register::load_register(&db, province).await?.units;
        let m = account(&db, "giam-sat", Role::Monitor, None, province).await?;
        let old_nv = unit(&units, "Sở Nội vụ", true);
        let ld = unit(&units, "Sở Lao động, Thương binh và Xã hội", true);
        let nv = unit(&units, "Sở Nội vụ", false);
        let tp = unit(&units, "Sở Tư pháp", false);
        for (u, f) in [
            // Old Sở Nội vụ: 61 in June 2021 is replaced by 58 at the end of the year.
            (old_nv, headcount(d(2021, 6, 30), CS, 61)),
            (old_nv, headcount(d(2021, 12, 31), CS, 58)),
            // Sở LĐ-TB&XH: its last count of 2021 (15/11) is its year-end headcount; its 450
            // self-financed public employees are outside the target; 72 in 2022 is not 2021.
            (ld, headcount(d(2021, 11, 15), CS, 70)),
            (ld, headcount(d(2021, 11, 15), PE, 38)),
            (ld, headcount(d(2021, 11, 15), SELF, 450)),
            (ld, headcount(d(2022, 1, 10), CS, 72)),
            // The merged Sở Nội vụ reports twice in 2026; the quotas do not count.
            (nv, headcount(d(2026, 1, 15), CS, 100)),
            (nv, headcount(d(2026, 1, 15), PE, 31)),
            (nv, headcount(d(2026, 5, 1), CS, 98)),
            (nv, quota(2026, CS, 500)),
            // Sở Tư pháp has no count of 2021.
            (tp, headcount(d(2026, 1, 15), CS, 35)),
        ] {
            staffing::record(&db, &m, UnitId(u), f).await?;
        }
        staffing::add_target(
            &db,
            &m,
            province,
            TargetForm {
                title: "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước".into(),
                percent: "20".into(),
                baseline_year: "2021".into(),
                plan: "615/KH-UBND".into(),
                measure: "headcount".into(),
                ..TargetForm::default()
            },
        )
        .await?;
        let targets = staffing::targets(&db, &m, province).await?;
        assert_eq!(targets[0].measure, Measure::Headcount);

        let r = status::status(&db, &m, province, d(2026, 6, 30)).await?;
        // Sở Nội vụ: 58 + 70 + 38 = 166 at the end of 2021; 20% is 33.2 → 34 to cut, at most
        // 132; now 98 + 31 = 129 (the PE count of 15/1 is its latest): met, 37/166 = 22.3%.
        let n = row(&r, "Sở Nội vụ");
        assert_eq!((n.measure, n.baseline, n.current, n.met), (Measure::Headcount, 166, 129, Some(true)));
        assert_eq!(n.reduction_percent, Some(22.3));
        assert!(n.missing_baseline.is_empty());
        let mut from: Vec<(String, u32)> = n.predecessors.iter().map(|p| (p.unit.clone(), p.baseline)).collect();
        from.sort();
        assert_eq!(from, [("Sở Lao động, Thương binh và Xã hội".to_string(), 108), ("Sở Nội vụ".to_string(), 58)]);
        // Sở Tư pháp: no year-end headcount, so no baseline, and the row says so.
        let p = row(&r, "Sở Tư pháp");
        assert_eq!((p.baseline, p.current, p.met), (0, 35, Some(false)));
        assert_eq!(p.missing_baseline, ["Sở Tư pháp"]);
        assert_eq!(r.units.len(), 2, "{:?}", r.units);
        // The province: 166 against 129 + 35 = 164.
        assert_eq!((r.total.measure, r.total.baseline, r.total.current), (Some(Measure::Headcount), 166, 164));
        assert_eq!(r.total.reduction_percent, Some(1.2));

        // Before the count of 1/5/2026 the merged unit had 100 + 31.
        let march = status::status(&db, &m, province, d(2026, 3, 1)).await?;
        assert_eq!(row(&march, "Sở Nội vụ").current, 131);
        // Before the merger the old units stand alone with their own year-end counts.
        let before = status::status(&db, &m, province, d(2025, 2, 28)).await?;
        let old: Vec<(u32, u32)> = before.units.iter().map(|u| (u.baseline, u.current)).collect();
        assert_eq!(old, [(108, 110), (58, 58)], "{:?}", before.units);

        // Progress by year: 2022 on the register of the end of 2022 (58 + 72 + 38 = 168), 2026
        // on the day asked (164).
        let o = status::overview(&db, &m, province, d(2026, 6, 30)).await?;
        let years: Vec<(i32, u32)> = o.progress[0].progress.years.iter().map(|y| (y.year, y.total)).collect();
        assert_eq!(years, [(2022, 168), (2026, 164)]);
        assert_eq!((o.progress[0].progress.baseline, o.progress[0].progress.max_allowed), (166, 132));
        Ok(())
    }
}

fn split(effective: NaiveDate, allocation: &[(&str, &str)]) -> EventForm {
    EventForm {
        kind: "split".into(),
        from: vec!["Sở Xây dựng".into()],
        new: vec!["Sở Tách Một".into(), "Sở Tách Hai".into()],
        effective: effective.format("%Y-%m-%d").to_string(),
        decision: "15/QĐ-UBND".into(),
        allocation: allocation
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..EventForm::default()
    }
}

async fn events(db: &Db) -> anyhow::Result<(i64, i64)> {
    Ok((
        query("SELECT COUNT(*) FROM restructuring_events")
            .scalar(db)
            .await?,
        query("SELECT COUNT(*) FROM units").scalar(db).await?,
    ))
}

tinhgon_testkit::both_databases! {
    async fn a_split_shares_staffing_by_the_percents_given(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let units = register::load_register(&db, province).await?.units;
        let m = account(&db, "giam-sat", Role::Monitor, None, province).await?;
        let (day, year) = (today(), today().year());
        let xd = unit(&units, "Sở Xây dựng", false);
        for f in [quota(2021, CS, 101), quota(year - 1, CS, 45), headcount(day - Duration::days(30), CS, 43)] {
            staffing::record(&db, &m, UnitId(xd), f).await?;
        }
        staffing::add_target(&db, &m, province, TargetForm {
            title: "Giảm tối thiểu 10% biên chế".into(),
            percent: "10".into(),
            baseline_year: "2021".into(),
            ..TargetForm::default()
        }).await?;
        let mut f = split(day, &[]);
        f.units = BTreeMap::from([(xd.to_string(), "Sở Tách Một".to_string())]);

        // Wrong percents: refused beside the field, nothing written.
        let before = events(&db).await?;
        for (alloc, says) in [
            (vec![("Sở Tách Một", "50"), ("Sở Tách Hai", "40")], "Tổng tỷ lệ chia biên chế phải bằng 100% (đang là 90%)."),
            (vec![("Sở Tách Một", "60"), ("Sở Tách Hai", "bốn mươi")], "Tỷ lệ của Sở Tách Hai phải là số nguyên từ 0 đến 100 (đang ghi “bốn mươi”)."),
            (vec![("Sở Tách Một", "60"), ("Sở Tư pháp", "40")], "“Sở Tư pháp” không phải đơn vị sau chia tách của sự kiện này."),
            (vec![("Sở Tách Một", "100")], "Vui lòng ghi tỷ lệ cho Sở Tách Hai (hoặc để trống tất cả để chia đều)."),
        ] {
            let mut bad = f.clone();
            bad.allocation = alloc.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            match restructuring::record(&db, Actor::User(&m), province, &bad).await {
                Err(AppError::Invalid { field: "allocation", message }) => assert_eq!(message, says),
                other => panic!("{alloc:?}: {other:?}"),
            }
        }
        let mut merge = f.clone();
        merge.kind = "merge".into();
        merge.new.clear();
        merge.into = vec!["Sở Tư pháp".into()];
        merge.units.clear();
        merge.allocation = BTreeMap::from([("Sở Tư pháp".into(), "100".into())]);
        assert!(matches!(
            restructuring::preview(&db, Actor::User(&m), province, &merge).await,
            Err(AppError::Invalid { field: "allocation", .. })
        ));
        assert_eq!(events(&db).await?, before);

        // 60% / 40%: 45 → 27 and 18; 43 → 25.8 / 17.2 → 26 and 17 (the larger fraction takes
        // the one left); the 2021 baseline 101 → 60.6 / 40.4 → 61 and 40.
        f.allocation = BTreeMap::from([("Sở Tách Một".into(), "60".into()), ("Sở Tách Hai".into(), "40%".into())]);
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(pv.staffing[0], "Biên chế, số có mặt và vị trí việc làm của Sở Xây dựng chia theo tỷ lệ 60% / 40% (Sở Tách Một / Sở Tách Hai)");
        assert!(pv.staffing.contains(&format!("Biên chế công chức năm {year}: 27 trong 45 (Sở Xây dựng) → 27 chuyển sang Sở Tách Một")), "{:?}", pv.staffing);
        assert!(pv.staffing.contains(&format!("Biên chế công chức năm {year}: 18 trong 45 (Sở Xây dựng) → 18 chuyển sang Sở Tách Hai")), "{:?}", pv.staffing);
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let (one, two) = (o.recorded.created[0], o.recorded.created[1]);
        let ev = register::load_register(&db, province)
            .await?
            .events
            .into_iter()
            .find(|e| e.id == o.recorded.event_id)
            .expect("sự kiện");
        assert_eq!(ev.allocation, [(one, 60), (two, 40)]);
        let figures = |u: Id| {
            let db = db.clone();
            let m = m.clone();
            async move {
                let mut q = 0;
                let mut h = 0;
                for f in staffing::ledger(&db, &m, UnitId(u)).await? {
                    match f.figure {
                        Figure::Quota { year: y, count, .. } if y == year => q = count,
                        Figure::Headcount { on, count, .. } if on == day => h = count,
                        _ => {}
                    }
                }
                anyhow::Ok((q, h))
            }
        };
        assert_eq!(figures(one).await?, (27, 26));
        assert_eq!(figures(two).await?, (18, 17));
        let r = status::status(&db, &m, province, day).await?;
        let b: Vec<(u32, u32)> = ["Sở Tách Một", "Sở Tách Hai"].iter().map(|n| { let u = row(&r, n); (u.baseline, u.current) }).collect();
        assert_eq!(b, [(61, 27), (40, 18)]);
        Ok(())
    }
}
