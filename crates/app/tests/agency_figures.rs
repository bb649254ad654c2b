//! Staffing figures in the agencies' periodic reports and staffing targets taken from a plan,
//! on SQLite and PostgreSQL: an officer's report of 615/KH-UBND (which sets a reduction
//! target) writes its unit's headcounts, leavers and secondments into the ledger with the
//! report, a correction replaces them, another unit's officer and a wrong field write nothing;
//! the reviewer's reading of the targets found in 615/KH-UBND becomes staffing targets linked
//! to the plan when it is published.

mod common;

use std::collections::HashMap;

use common::*;
use tinhgon_app::import::targets::{self, FoundTargetForm};
use tinhgon_app::staffing::{self, agency_section, TargetForm};
use tinhgon_app::{agency_report, AppError};
use tinhgon_domain::draft::Direction;
use tinhgon_domain::ids::{PlanId, UnitId};
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{Measure, StaffCategory, StaffLine};
use tinhgon_domain::staffing_figures::{Figure, LeaveReason};
use tinhgon_domain::user::{Role, User};
use tinhgon_store::periodic::{self, NewSchedule, PeriodKind, Request};
use tinhgon_store::{plans, register, Db};

async fn unit_named(db: &Db, province: Id, name: &str) -> anyhow::Result<Id> {
    register::units_as_of(db, province, d(2025, 7, 28))
        .await?
        .into_iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("không có {name}"))
}

/// 615/KH-UBND published with a quarterly schedule and its quý III/2025 requests opened.
async fn requests(db: &Db) -> anyhow::Result<(Id, Id, Vec<Request>)> {
    let (province, plan) = publish_615(db).await?;
    let at = vn(d(2025, 8, 1), 9);
    let sid = periodic::set_schedule(
        db,
        &NewSchedule {
            plan_id: plan,
            kind: PeriodKind::Quarterly,
            cutoff_day: 15,
            due_days: 3,
            by: None,
            at,
        },
    )
    .await?;
    let schedule = periodic::schedule(db, plan).await?.expect("schedule");
    let w = schedule.window_containing(cutoff()).expect("window");
    periodic::open_requests(db, plan, Some(sid), &w, at).await?;
    Ok((
        province,
        plan,
        periodic::requests(db, plan, Some(cutoff())).await?,
    ))
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The figures of `unit`'s ledger other than quotas.
async fn reported(db: &Db, user: &User, unit: Id) -> anyhow::Result<Vec<Figure>> {
    Ok(staffing::ledger(db, user, UnitId(unit))
        .await?
        .into_iter()
        .map(|f| f.figure)
        .filter(|f| !matches!(f, Figure::Quota { .. }))
        .collect())
}

fn entry(user: &User, req: &Request) -> tinhgon_store::audit::AuditEntry {
    tinhgon_app::audit::change(user, "report.submit", "report_request", req.id)
}

tinhgon_testkit::both_databases! {
    async fn an_agency_report_writes_its_units_figures_with_it(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _plan, reqs) = requests(&db).await?;
        let req = reqs.first().expect("a request").clone();
        let other = reqs.iter().find(|r| r.unit_id != req.unit_id).expect("a second unit").clone();
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let monitor = account(&db, "giamsat", Role::Monitor, Some(noi_vu), province).await?;
        let officer = account(&db, "canbo-a", Role::AgencyOfficer, Some(req.unit_id), province).await?;
        let stranger =
            account(&db, "canbo-b", Role::AgencyOfficer, Some(other.unit_id), province).await?;

        // A plan without a staffing target asks no staffing figures.
        assert!(agency_section::section(&db, &officer, &req).await?.is_none());
        staffing::add_target(
            &db,
            &monitor,
            province,
            TargetForm {
                title: "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước".into(),
                percent: "20".into(),
                baseline_year: "2021".into(),
                plan: "615/KH-UBND".into(),
                ..TargetForm::default()
            },
        )
        .await?;
        let section = agency_section::section(&db, &officer, &req).await?.expect("staffing section");
        assert_eq!(section.on, req.cutoff);
        assert_eq!(section.from, req.period_start);
        assert_eq!(section.lines.len(), StaffLine::ALL.len());

        let prefill = tinhgon_app::agency_prefill(&db, req.id).await?;
        let typed = form(&[
            ("hc_civil_servant", "28"),
            ("hc_public_employee", "12"),
            ("lv0_reason", "early_retirement"),
            ("lv0_policy", "Nghị định 178/2024/NĐ-CP"),
            ("lv0_people", "2"),
            ("sc0_people", "3"),
            ("sc0_from", "01/09/2025"),
            ("sc0_to", "31/08/2027"),
            ("sc0_note", "Xã Hưng Nguyên"),
        ]);
        let v1 = agency_report::submit(&db, &officer, &req, prefill.clone(), &typed, &entry(&officer, &req)).await?;
        let figures = reported(&db, &officer, req.unit_id).await?;
        let expected = vec![
            Figure::Headcount { on: req.cutoff, line: StaffLine::ALL[0], count: 28 },
            Figure::Headcount { on: req.cutoff, line: StaffLine::ALL[1], count: 12 },
            Figure::Secondment {
                from: d(2025, 9, 1),
                to: Some(d(2027, 8, 31)),
                people: 3,
                note: Some("Xã Hưng Nguyên".into()),
            },
            Figure::Leavers {
                from: req.period_start,
                to: req.cutoff,
                reason: LeaveReason::EarlyRetirement,
                policy: "Nghị định 178/2024/NĐ-CP".into(),
                people: 2,
            },
        ];
        assert_eq!(figures, expected);
        // The version keeps what was reported, and both writes are audited.
        let versions = periodic::report_versions(&db, req.id).await?;
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].id, v1);
        assert_eq!(versions[0].content.staffing.len(), 4);
        let rows = tinhgon_store::audit::for_object(&db, "unit", req.unit_id).await?;
        let row = rows.iter().find(|r| r.action == "staffing.record").expect("audited on the unit");
        let after: serde_json::Value = serde_json::from_str(row.after_json.as_deref().unwrap_or("{}"))?;
        assert_eq!(after["report"], serde_json::json!(v1));
        assert_eq!(after["figures"].as_array().map(Vec::len), Some(4));
        assert_eq!(
            tinhgon_store::audit::for_object(&db, "report_request", req.id).await?.len(),
            1
        );

        // A correction replaces the report's leavers and secondments instead of adding to them.
        let corrected = form(&[
            ("hc_civil_servant", "27"),
            ("lv0_reason", "early_retirement"),
            ("lv0_policy", "Nghị định 178/2024/NĐ-CP"),
            ("lv0_people", "3"),
        ]);
        agency_report::submit(&db, &officer, &req, prefill.clone(), &corrected, &entry(&officer, &req)).await?;
        let figures = reported(&db, &officer, req.unit_id).await?;
        assert_eq!(
            figures,
            vec![
                Figure::Headcount { on: req.cutoff, line: StaffLine::ALL[0], count: 27 },
                Figure::Headcount { on: req.cutoff, line: StaffLine::ALL[1], count: 12 },
                Figure::Leavers {
                    from: req.period_start,
                    to: req.cutoff,
                    reason: LeaveReason::EarlyRetirement,
                    policy: "Nghị định 178/2024/NĐ-CP".into(),
                    people: 3,
                },
            ]
        );

        // Another unit's officer is refused and nothing is written.
        let before = reported(&db, &monitor, req.unit_id).await?;
        let refused = agency_report::submit(
            &db, &stranger, &req, prefill.clone(), &form(&[("hc_civil_servant", "1")]), &entry(&stranger, &req),
        ).await;
        assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
        // A wrong field refuses the whole report, naming the field.
        let wrong = agency_report::submit(
            &db, &officer, &req, prefill.clone(),
            &form(&[("hc_civil_servant", "30"), ("sc1_people", "2"), ("sc1_from", "31/02/2025")]),
            &entry(&officer, &req),
        ).await;
        assert!(matches!(wrong, Err(AppError::Invalid { field: "sc1_from", .. })), "{wrong:?}");
        assert_eq!(reported(&db, &monitor, req.unit_id).await?, before);
        assert_eq!(periodic::report_versions(&db, req.id).await?.len(), 2);
        // The other unit's ledger was never touched.
        assert!(reported(&db, &monitor, other.unit_id).await?.is_empty());
        Ok(())
    }

    async fn targets_found_in_615_become_staffing_targets_linked_to_it(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, plan) = draft_615(&db).await?;
        let noi_vu = unit_named(&db, province, "Sở Nội vụ").await?;
        let monitor = account(&db, "giamsat", Role::Monitor, Some(noi_vu), province).await?;
        let rec = plans::get_plan(&db, plan).await?;
        let found = targets::found(&rec.draft);
        // The 20% reduction (III.1.c) and the 5% sent to the grassroots (III.2.đ); the plan
        // names no baseline year, so neither is kept until the reviewer gives one.
        assert_eq!(found.len(), 2, "{found:?}");
        let (cut, reading) = found.iter().find(|(_, r)| r.percent == 20.0).expect("20%").clone();
        assert_eq!(reading.direction, Direction::Decrease);
        assert_eq!(reading.categories, [StaffCategory::CivilServant, StaffCategory::PublicEmployee]);
        assert!(reading.state_budget_paid_only);
        assert_eq!(reading.baseline_year, None);
        // PL.2's "công chức, viên chức hưởng lương … trên cơ sở các cơ quan, đơn vị báo cáo":
        // the people the units report.
        assert_eq!(reading.measure, Measure::Headcount);
        assert!(!reading.include);
        assert!(found.iter().all(|(_, r)| !r.include));

        let keep = |year: &str| FoundTargetForm {
            include: Some("1".into()),
            title: reading.title.clone(),
            percent: "20".into(),
            direction: "decrease".into(),
            categories: "civil_servant,public_employee".into(),
            state_budget_paid_only: Some("1".into()),
            baseline_year: year.into(),
            deadline: "31/12/2026".into(),
            scope: String::new(),
            measure: "headcount".into(),
        };
        // Kept without a baseline year, or naming a unit the province has not: refused.
        let no_year = targets::save_target(&db, &monitor, PlanId(plan), cut, keep("")).await;
        assert!(matches!(no_year, Err(AppError::Invalid { field: "baseline_year", .. })), "{no_year:?}");
        let stranger_unit = targets::save_target(
            &db, &monitor, PlanId(plan), cut,
            FoundTargetForm { scope: "Sở Không Có".into(), ..keep("2021") },
        ).await;
        assert!(matches!(stranger_unit, Err(AppError::Invalid { field: "scope", .. })), "{stranger_unit:?}");
        targets::save_target(&db, &monitor, PlanId(plan), cut, keep("2021")).await?;
        assert!(staffing::targets(&db, &monitor, province).await?.is_empty(), "nothing before publishing");

        let (_, msg) = tinhgon_app::publishing::publish_draft(&db, &monitor, PlanId(plan)).await?;
        assert!(msg.contains("1 chỉ tiêu tinh giản biên chế"), "{msg}");
        let made = staffing::targets(&db, &monitor, province).await?;
        assert_eq!(made.len(), 1, "the 5% not kept is not added");
        let t = &made[0];
        assert_eq!(t.plan_id, Some(plan));
        assert_eq!(t.plan_number.as_deref(), Some("615/KH-UBND"));
        assert_eq!(t.title, "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước");
        assert_eq!(t.percent, 20.0);
        assert_eq!(t.direction, Direction::Decrease);
        assert_eq!(t.categories, [StaffCategory::CivilServant, StaffCategory::PublicEmployee]);
        assert!(t.state_budget_paid_only);
        assert_eq!(t.baseline_year, 2021);
        assert_eq!(t.deadline, Some(d(2026, 12, 31)));
        assert!(t.scope.is_empty());
        assert_eq!(t.measure, Measure::Headcount);
        // Audited with the publication, on the province.
        let rows = tinhgon_store::audit::for_object(&db, "unit", province).await?;
        let target_ids: Vec<serde_json::Value> = rows
            .iter()
            .filter(|r| r.action == "staffing.target")
            .filter_map(|r| serde_json::from_str::<serde_json::Value>(r.after_json.as_deref()?).ok())
            .map(|a| a["target"].clone())
            .collect();
        assert_eq!(target_ids, vec![serde_json::json!(t.id)]);
        Ok(())
    }
}

/// The extractor's reading of 1/2025 (seed 003): its 10% target has a baseline year and a
/// deadline, so it is kept as found.
#[test]
fn a_target_with_its_baseline_year_is_kept_as_found() {
    let seed = include_bytes!("../../../testdata/seeds/003_0fac0a776543b6d2.txt");
    let draft =
        tinhgon_extract::extract_bytes(seed, Some("003_0fac0a776543b6d2.txt")).expect("trích xuất");
    let found = targets::found(&draft);
    assert_eq!(found.len(), 1, "{found:?}");
    let r = &found[0].1;
    assert!(r.include);
    assert_eq!(r.percent, 10.0);
    assert_eq!(r.baseline_year, Some(2021));
    assert_eq!(r.categories, [StaffCategory::PublicEmployee]);
    assert!(r.state_budget_paid_only);
    assert_eq!(r.deadline, Some(d(2026, 12, 31)));
    // "… so với số biên chế được giao năm 2021": the quotas.
    assert_eq!(r.measure, Measure::Quota);
}
