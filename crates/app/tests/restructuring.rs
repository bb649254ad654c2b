//! The register changed by the monitor, on SQLite and PostgreSQL: units added, moved, closed;
//! each kind of restructuring event previewed (nothing written) and applied (open work,
//! coordinating roles, accounts and report requests follow; history stays with the old
//! unit; as-of queries right on both sides); a scheduled event applied by the daily job on
//! its date and not before, and one cancelled; bad input refused with nothing written.

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use common::publish_615;
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::units::{self, Actor, CloseForm, MoveForm, UnitForm};
use tinhgon_app::AppError;
use tinhgon_domain::model::Id;
use tinhgon_domain::unit::UnitKind;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::accounts::{self, NewUser};
use tinhgon_store::tx::query;
use tinhgon_store::{register, Db};

fn today() -> NaiveDate {
    tinhgon_domain::local_date(Utc::now())
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A monitor account of the province.
async fn monitor(db: &Db, province: Id) -> anyhow::Result<User> {
    let id = accounts::system::create_user(
        db,
        &NewUser {
            login: "so-noi-vu".into(),
            display_name: "Sở Nội vụ".into(),
            password_hash: "x".into(),
            role: Role::Monitor,
            unit_id: None,
            province_id: Some(province),
        },
    )
    .await?;
    Ok(accounts::user(db, id).await?.expect("account"))
}

/// An officer account of `unit`.
async fn officer(db: &Db, unit: Id, login: &str) -> anyhow::Result<Id> {
    Ok(accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: login.into(),
            password_hash: "x".into(),
            role: Role::AgencyOfficer,
            unit_id: Some(unit),
            province_id: None,
        },
    )
    .await?)
}

/// Departments in force today holding open assignments, most first: (id, name, open).
async fn busy_departments(db: &Db, province: Id) -> anyhow::Result<Vec<(Id, String, i64)>> {
    let mut out = Vec::new();
    for u in register::units_as_of(db, province, today()).await? {
        if u.kind != UnitKind::Department {
            continue;
        }
        let n = open_of(db, u.id).await?;
        if n > 0 {
            out.push((u.id, u.name, n));
        }
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.2));
    Ok(out)
}

async fn open_of(db: &Db, unit: Id) -> anyhow::Result<i64> {
    Ok(query("SELECT COUNT(*) FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled')")
        .bind(unit)
        .scalar(db)
        .await?)
}

/// Row counts of everything a register change writes.
async fn footprint(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut v = Vec::new();
    for t in [
        "units",
        "restructuring_events",
        "event_successors",
        "unit_changes",
        "unit_aliases",
        "assignment_reroutes",
        "status_changes",
        "audit_log",
    ] {
        v.push(
            query(&format!("SELECT COUNT(*) FROM {t}"))
                .scalar(db)
                .await?,
        );
    }
    // And where every assignment and account is.
    let a: i64 = query("SELECT CAST(COALESCE(SUM(unit_id * id), 0) AS BIGINT) FROM assignments")
        .scalar(db)
        .await?;
    let u: i64 =
        query("SELECT CAST(COALESCE(SUM(COALESCE(unit_id, 0) * id), 0) AS BIGINT) FROM users")
            .scalar(db)
            .await?;
    let c: i64 = query("SELECT COUNT(*) FROM units WHERE valid_to IS NOT NULL")
        .scalar(db)
        .await?;
    v.extend([a, u, c]);
    Ok(v)
}

fn event(kind: &str, from: &[&str], effective: NaiveDate) -> EventForm {
    EventForm {
        kind: kind.into(),
        from: from.iter().map(|s| s.to_string()).collect(),
        effective: iso(effective),
        decision: "15/QĐ-UBND".into(),
        decision_date: iso(effective - Duration::days(5)),
        decision_issuer: "UBND tỉnh".into(),
        ..EventForm::default()
    }
}

fn message(e: &AppError) -> String {
    e.to_string()
}

tinhgon_testkit::both_databases! {
    async fn a_consolidation_is_previewed_then_applied_and_work_follows(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, plan) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let busy = busy_departments(&db, province).await?;
        assert!(busy.len() >= 2, "{busy:?}");
        let (a, b) = (&busy[0], &busy[1]);
        let clerk = officer(&db, a.0, "can-bo-a").await?;
        // A periodic report request open for every unit of the plan, both departments included.
        let at = common::vn(common::d(2025, 8, 1), 9);
        let sid = tinhgon_store::periodic::set_schedule(&db, &tinhgon_store::periodic::NewSchedule {
            plan_id: plan,
            kind: tinhgon_store::periodic::PeriodKind::Quarterly,
            cutoff_day: 15,
            due_days: 3,
            by: None,
            at,
        }).await?;
        let w = tinhgon_store::periodic::schedule(&db, plan).await?.expect("schedule").window_containing(common::cutoff()).expect("window");
        tinhgon_store::periodic::open_requests(&db, plan, Some(sid), &w, at).await?;
        let day = today();
        // Named as a person writes them: without diacritics.
        let mut f = event("consolidate", &[&tinhgon_textkit::search_key(&a.1), &b.1], day);
        f.new = vec!["Sở Thử nghiệm Hợp nhất".into()];
        let before = footprint(&db).await?;
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(footprint(&db).await?, before, "a preview writes nothing");
        assert!(pv.applies_now);
        assert_eq!(pv.ceasing.len(), 2);
        assert_eq!(i64::try_from(pv.assignments.len())?, a.2 + b.2);
        assert!(pv.assignments.iter().all(|x| x.to.as_ref().map(|u| u.name.as_str()) == Some("Sở Thử nghiệm Hợp nhất")));
        assert_eq!(pv.accounts.len(), 1);
        assert!(pv.missing.is_empty(), "{:?}", pv.missing);
        // Tasks both departments hold (a group lead) end with two assignments at the successor.
        let shared: i64 = query("SELECT COUNT(DISTINCT x.task_id) FROM assignments x JOIN assignments y ON y.task_id = x.task_id \
             WHERE x.unit_id = $1 AND y.unit_id = $2 AND x.status NOT IN ('done', 'cancelled') AND y.status NOT IN ('done', 'cancelled')")
            .bind(a.0).bind(b.0).scalar(&db).await?;
        match shared {
            0 => assert!(pv.warnings.is_empty(), "{:?}", pv.warnings),
            n => assert!(pv.warnings[0].starts_with(&format!("{n} nhiệm vụ sẽ có hai phân công")), "{:?}", pv.warnings),
        }

        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let new = o.recorded.created[0];
        let applied = o.recorded.applied.expect("applied now");
        assert_eq!(i64::try_from(applied.assignments)?, a.2 + b.2);
        assert_eq!(applied.accounts_moved, 1);
        assert_eq!(applied.coordinating, pv.coordinating.len(), "every role the preview listed");
        let left: i64 = query("SELECT COUNT(*) FROM task_coordinators WHERE unit_id IN ($1, $2) AND task_id IN (SELECT task_id FROM assignments WHERE status NOT IN ('done', 'cancelled'))")
            .bind(a.0).bind(b.0).scalar(&db).await?;
        assert_eq!(left, 0, "no open task keeps a ceasing unit as coordinator");
        assert_eq!(pv.requests.len(), 2, "{:?}", pv.requests);
        assert_eq!(applied.report_requests, 2);
        let requests = |u: Id| {
            let db = db.clone();
            async move { query("SELECT COUNT(*) FROM report_requests WHERE unit_id = $1 AND state = 'open'").bind(u).scalar::<i64>(&db).await }
        };
        assert_eq!((requests(a.0).await?, requests(b.0).await?, requests(new).await?), (0, 0, 1), "the successor reports once for the period");
        assert_eq!(open_of(&db, a.0).await? + open_of(&db, b.0).await?, 0);
        assert_eq!(open_of(&db, new).await?, a.2 + b.2);
        let moved_officer = accounts::user(&db, clerk).await?.expect("account");
        assert_eq!(moved_officer.unit_id, Some(new));
        assert!(moved_officer.active);
        // History stays with the old unit: the reroute's history row is the old unit's.
        let old_rows: i64 = query("SELECT COUNT(*) FROM status_changes WHERE unit_id = $1 AND note LIKE 'Chuyển sang đơn vị kế thừa%'")
            .bind(a.0).scalar(&db).await?;
        assert_eq!(old_rows, a.2);
        // As of the day before, the old units; from the day, the new one.
        let names = |us: Vec<tinhgon_domain::unit::Unit>| us.into_iter().map(|u| u.id).collect::<Vec<_>>();
        let yesterday = names(register::units_as_of(&db, province, day - Duration::days(1)).await?);
        let on_day = names(register::units_as_of(&db, province, day).await?);
        assert!(yesterday.contains(&a.0) && yesterday.contains(&b.0) && !yesterday.contains(&new));
        assert!(!on_day.contains(&a.0) && !on_day.contains(&b.0) && on_day.contains(&new));
        let succ = register::successors(&db, a.0, day).await?;
        assert_eq!(succ.iter().map(|u| u.id).collect::<Vec<_>>(), vec![new]);
        let audit = tinhgon_store::audit::for_object(&db, "restructuring_event", o.recorded.event_id).await?;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "restructuring.record");
        Ok(())
    }

    async fn a_scheduled_merge_applies_on_its_date_not_before_and_another_is_cancelled(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let busy = busy_departments(&db, province).await?;
        let (a, b, c) = (&busy[0], &busy[1], &busy[2]);
        let later = today() + Duration::days(10);
        let mut f = event("merge", &[&a.1], later);
        f.into = vec![b.1.clone()];
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        assert!(o.recorded.applied.is_none(), "scheduled");
        assert_eq!(open_of(&db, a.0).await?, a.2, "nothing moves before the date");
        let as_of_before = register::units_as_of(&db, province, later - Duration::days(1)).await?;
        assert!(as_of_before.iter().any(|u| u.id == a.0));
        assert!(!register::units_as_of(&db, province, later).await?.iter().any(|u| u.id == a.0));
        // The daily job the day before does nothing; on the date it applies the event.
        let ran = restructuring::apply_due(&db, Utc::now() + Duration::days(9)).await?;
        assert!(ran.is_empty());
        assert_eq!(open_of(&db, a.0).await?, a.2);
        let ran = restructuring::apply_due(&db, Utc::now() + Duration::days(10)).await?;
        assert_eq!(ran.len(), 1);
        assert_eq!(ran[0].0, o.recorded.event_id);
        assert_eq!(open_of(&db, a.0).await?, 0);
        assert_eq!(open_of(&db, b.0).await?, a.2 + b.2);
        assert!(restructuring::apply_due(&db, Utc::now() + Duration::days(11)).await?.is_empty(), "once");

        // Another scheduled event is cancelled before its date: nothing ever happens.
        let mut g = event("dissolve", &[&c.1], later + Duration::days(5));
        g.units = BTreeMap::from([(c.0.to_string(), b.0.to_string())]);
        let o2 = restructuring::record(&db, Actor::User(&m), province, &g).await?;
        assert!(!register::units_as_of(&db, province, later + Duration::days(6)).await?.iter().any(|u| u.id == c.0));
        restructuring::cancel(&db, Actor::User(&m), province, o2.recorded.event_id).await?;
        assert!(register::units_as_of(&db, province, later + Duration::days(6)).await?.iter().any(|u| u.id == c.0));
        assert!(restructuring::apply_due(&db, Utc::now() + Duration::days(30)).await?.is_empty());
        assert_eq!(open_of(&db, c.0).await?, c.2);
        let again = restructuring::cancel(&db, Actor::User(&m), province, o2.recorded.event_id).await.unwrap_err();
        assert!(message(&again).contains("đã được hủy"), "{again}");
        let applied = restructuring::cancel(&db, Actor::User(&m), province, o.recorded.event_id).await.unwrap_err();
        assert!(message(&applied).contains("đã được áp dụng"), "{applied}");
        Ok(())
    }

    async fn a_split_needs_an_allocation_that_adds_up(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let busy = busy_departments(&db, province).await?;
        let a = &busy[0];
        assert!(a.2 >= 2);
        let clerk = officer(&db, a.0, "can-bo-tach").await?;
        let mut f = event("split", &[&a.1], today());
        f.new = vec!["Sở Tách Một".into(), "Sở Tách Hai".into()];
        let before = footprint(&db).await?;
        let pv = restructuring::preview(&db, Actor::User(&m), province, &f).await?;
        assert!(pv.assignments.iter().all(|x| x.to.is_none()));
        assert!(!pv.missing.is_empty());
        let e = restructuring::record(&db, Actor::User(&m), province, &f).await.unwrap_err();
        assert!(message(&e).contains("chưa có đơn vị tiếp nhận"), "{e}");
        // An allocation naming an assignment that is not the unit's does not add up.
        let foreign: Id = query("SELECT id FROM assignments WHERE unit_id <> $1 ORDER BY id LIMIT 1").bind(a.0).scalar(&db).await?;
        f.assignments = BTreeMap::from([(foreign.to_string(), "Sở Tách Một".to_string())]);
        let e = restructuring::record(&db, Actor::User(&m), province, &f).await.unwrap_err();
        assert!(message(&e).contains("Phân bổ không khớp"), "{e}");
        // A successor that is not one of the event's.
        f.assignments = BTreeMap::from([(pv.assignments[0].id.to_string(), busy[1].1.clone())]);
        let e = restructuring::record(&db, Actor::User(&m), province, &f).await.unwrap_err();
        assert!(message(&e).contains("không phải đơn vị tiếp nhận"), "{e}");
        assert_eq!(footprint(&db).await?, before, "refusals write nothing");
        // The first assignment to the second unit, the rest to the first; the account disabled.
        f.assignments = BTreeMap::from([(pv.assignments[0].id.to_string(), "so tach hai".to_string())]);
        f.units = BTreeMap::from([(a.0.to_string(), "Sở Tách Một".to_string())]);
        f.accounts = BTreeMap::from([(clerk.to_string(), "disable".to_string())]);
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let (one, two) = (o.recorded.created[0], o.recorded.created[1]);
        assert_eq!(open_of(&db, two).await?, 1);
        assert_eq!(open_of(&db, one).await?, a.2 - 1);
        assert!(!accounts::user(&db, clerk).await?.expect("account").active);
        Ok(())
    }

    async fn dissolve_transfer_and_rename_each_apply(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let busy = busy_departments(&db, province).await?;
        let (a, b, c) = (&busy[0], &busy[1], &busy[2]);
        // Transfer: one chosen assignment goes, the unit carries on.
        let moving: Id = query("SELECT id FROM assignments WHERE unit_id = $1 AND status NOT IN ('done','cancelled') ORDER BY id LIMIT 1").bind(c.0).scalar(&db).await?;
        let mut f = event("transfer", &[&c.1], today());
        f.into = vec![b.1.clone()];
        f.assignments = BTreeMap::from([(moving.to_string(), b.0.to_string())]);
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(o.recorded.applied.expect("applied").assignments, 1);
        assert_eq!(open_of(&db, c.0).await?, c.2 - 1);
        assert!(register::units_as_of(&db, province, today()).await?.iter().any(|u| u.id == c.0));
        // Dissolve: the work goes to the unit the monitor names.
        let mut f = event("dissolve", &[&c.1], today());
        let e = restructuring::record(&db, Actor::User(&m), province, &f).await.unwrap_err();
        assert!(message(&e).contains("chưa có đơn vị tiếp nhận"), "{e}");
        f.units = BTreeMap::from([(c.1.clone(), b.1.clone())]);
        restructuring::record(&db, Actor::User(&m), province, &f).await?;
        assert_eq!(open_of(&db, c.0).await?, 0);
        assert_eq!(open_of(&db, b.0).await?, b.2 + c.2);
        // Rename: a new unit from the date, the old name's history stays.
        let mut f = event("rename", &[&a.1], today());
        f.new = vec![format!("{} (tên mới)", a.1)];
        let o = restructuring::record(&db, Actor::User(&m), province, &f).await?;
        let renamed = o.recorded.created[0];
        assert_eq!(open_of(&db, renamed).await?, a.2);
        let u = register::unit(&db, renamed).await?;
        assert_eq!(u.kind, UnitKind::Department);
        assert_eq!(register::unit(&db, a.0).await?.valid_to, Some(today()));
        Ok(())
    }

    async fn unit_changes_are_dated_audited_and_checked(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let actor = Actor::User(&m);
        let ubnd = "Ủy ban nhân dân tỉnh Nghệ An";
        // A central agency's local body that plans name as a lead, with an alias.
        let ca = units::add(&db, actor, province, UnitForm {
            name: "Công an tỉnh Nghệ An".into(),
            kind: "central_branch".into(),
            parent: "uy ban nhan dan tinh nghe an".into(),
            effective: "01/01/2025".into(),
            decision: "01/QĐ-BCA".into(),
            aliases: "Công an tỉnh".into(),
            ..UnitForm::default()
        }).await?;
        let reg = register::load_register(&db, province).await?;
        assert_eq!(units::resolve(&reg, "unit", "cong an tinh", today())?, ca);
        // A public service unit needs its autonomy group; a division sits under a department.
        let e = units::add(&db, actor, province, UnitForm {
            name: "Trung tâm Phục vụ hành chính công".into(),
            kind: "public_service_unit".into(),
            parent: ubnd.into(),
            effective: "01/01/2025".into(),
            decision: "02/QĐ-UBND".into(),
            ..UnitForm::default()
        }).await.unwrap_err();
        assert!(message(&e).contains("nhóm tự chủ"), "{e}");
        let psu = units::add(&db, actor, province, UnitForm {
            name: "Trung tâm Phục vụ hành chính công".into(),
            kind: "public_service_unit".into(),
            parent: ubnd.into(),
            effective: "01/01/2025".into(),
            decision: "02/QĐ-UBND".into(),
            autonomy_group: "3".into(),
            ..UnitForm::default()
        }).await?;
        assert_eq!(register::unit_extras(&db, psu).await?.1, Some(3));
        let phong = units::add(&db, actor, province, UnitForm {
            name: "Phòng Tổ chức biên chế".into(),
            kind: "division".into(),
            parent: "So Noi vu".into(),
            effective: "01/03/2025".into(),
            decision: "03/QĐ-SNV".into(),
            ..UnitForm::default()
        }).await?;
        // Moving the department under its own division is a cycle.
        let before = footprint(&db).await?;
        let e = units::move_under(&db, actor, province, "Sở Nội vụ", MoveForm {
            parent: phong.to_string(), effective: "01/06/2025".into(), decision: "04/QĐ-UBND".into(),
        }).await.unwrap_err();
        assert!(message(&e).contains("đơn vị trực thuộc của nó"), "{e}");
        // A date before the unit existed (formed on 1/3/2025 by the merger).
        let e = units::move_under(&db, actor, province, "So Nong nghiep va Moi truong", MoveForm {
            parent: "Tỉnh Nghệ An".into(), effective: "01/01/2025".into(), decision: "04/QĐ-UBND".into(),
        }).await.unwrap_err();
        assert!(message(&e).contains("trước ngày Sở Nông nghiệp và Môi trường được thành lập"), "{e}");
        // Closing a unit that still has open work is refused: that is a dissolution.
        let busy = busy_departments(&db, province).await?;
        let e = units::close(&db, actor, province, &busy[0].1, CloseForm {
            effective: iso(today()), decision: "05/QĐ-UBND".into(),
        }).await.unwrap_err();
        assert!(message(&e).contains("nhiệm vụ đang thực hiện"), "{e}");
        assert_eq!(footprint(&db).await?, before, "refusals write nothing");
        // A move and a close that are right are dated, with their decision, and audited.
        units::move_under(&db, actor, province, &phong.to_string(), MoveForm {
            parent: "Sở Tư pháp".into(), effective: "01/07/2025".into(), decision: "06/QĐ-UBND".into(),
        }).await?;
        units::close(&db, actor, province, &phong.to_string(), CloseForm {
            effective: "01/09/2025".into(), decision: "07/QĐ-UBND".into(),
        }).await?;
        let changes = register::unit_changes(&db, phong).await?;
        let kinds: Vec<&str> = changes.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, vec!["add", "move", "close"]);
        assert_eq!(changes[2].decision.as_deref(), Some("07/QĐ-UBND"));
        let audit = tinhgon_store::audit::for_object(&db, "unit", phong).await?;
        assert_eq!(audit.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), vec!["unit.add", "unit.move", "unit.close"]);
        assert!(!register::units_as_of(&db, province, NaiveDate::from_ymd_opt(2025, 9, 1).expect("date")).await?.iter().any(|u| u.id == phong));
        Ok(())
    }

    async fn bad_event_requests_are_refused_with_nothing_written(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let busy = busy_departments(&db, province).await?;
        let before = footprint(&db).await?;
        let actor = Actor::User(&m);
        let try_event = |f: EventForm| {
            let db = db.clone();
            async move { restructuring::record(&db, actor, province, &f).await.map(|_| ()).unwrap_err() }
        };
        // Unknown unit.
        let mut f = event("merge", &["Sở Không Có"], today());
        f.into = vec![busy[0].1.clone()];
        let e = try_event(f).await;
        assert!(message(&e).contains("Không có đơn vị \"Sở Không Có\""), "{e}");
        // Ambiguous: "Sở" names many; the candidates are listed.
        let mut f = event("merge", &["Sở"], today());
        f.into = vec![busy[0].1.clone()];
        let e = try_event(f).await;
        assert!(matches!(e, AppError::AmbiguousUnit { .. }), "{e}");
        assert!(message(&e).contains("Sở Tư pháp"), "{e}");
        // A unit not in force on the event's date (ended 1/3/2025).
        let mut f = event("merge", &["Sở Kế hoạch và Đầu tư"], today());
        f.into = vec![busy[0].1.clone()];
        let e = try_event(f).await;
        assert!(message(&e).contains("không còn hoạt động"), "{e}");
        // A date before the unit existed.
        let mut f = event("merge", &["Sở Nông nghiệp và Môi trường"], NaiveDate::from_ymd_opt(2024, 6, 1).expect("date"));
        f.into = vec!["Sở Tư pháp".into()];
        let e = try_event(f).await;
        assert!(message(&e).contains("trước ngày Sở Nông nghiệp và Môi trường được thành lập"), "{e}");
        // A consolidation with one unit only.
        let mut f = event("consolidate", &[&busy[0].1], today());
        f.new = vec!["Sở Mới".into()];
        let e = try_event(f).await;
        assert!(message(&e).contains("ít nhất hai đơn vị"), "{e}");
        // A forged request from another province's monitor: not found, nothing written.
        let other = User { province_id: Some(province + 100_000), ..m.clone() };
        let mut f = event("consolidate", &[&busy[0].1, &busy[1].1], today());
        f.new = vec!["Sở Mới".into()];
        let e = restructuring::record(&db, Actor::User(&other), province, &f).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound), "{e}");
        let e = units::add(&db, Actor::User(&other), province, UnitForm::default()).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound), "{e}");
        // An agency officer may not change the register.
        let clerk = accounts::user(&db, officer(&db, busy[0].0, "can-bo").await?).await?.expect("account");
        let e = restructuring::record(&db, Actor::User(&clerk), province, &f).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden), "{e}");
        let mut after = footprint(&db).await?;
        // The officer account itself is the only change (its id weighs in the users sum).
        after[9] = before[9];
        assert_eq!(after, before);
        Ok(())
    }

    async fn the_rule_check_counts_nghe_an_s_fourteen_departments_from_1_march_2025(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/nghe-an-2025");
        let province = register::import_register(&db, &dir).await?.province_id;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let count = |day: NaiveDate| {
            let db = db.clone();
            async move {
                let rows = tinhgon_store::rules::department_counts(&db, day).await?;
                anyhow::Ok(rows.into_iter().find(|r| r.0 == province).map(|r| r.3))
            }
        };
        assert_eq!(count(d(2025, 3, 1)).await?, Some(14));
        assert!(count(d(2025, 2, 28)).await?.is_some_and(|n| n > 14), "before the mergers");
        // 14 is within the limit; before 1/3/2025 no rule on the number applied.
        assert!(tinhgon_app::rules::check(&db, Some(province), d(2025, 3, 1)).await?.is_empty());
        assert!(tinhgon_app::rules::check(&db, None, d(2025, 2, 28)).await?.is_empty());
        // A fifteenth department from 1/8/2025 breaks the rule then in force, with its citation.
        units::add(&db, Actor::Operator(Some("vanhanh")), province, UnitForm {
            name: "Sở Thử nghiệm".into(),
            kind: "department".into(),
            parent: "Ủy ban nhân dân tỉnh Nghệ An".into(),
            effective: "01/08/2025".into(),
            decision: "99/QĐ-UBND".into(),
            ..UnitForm::default()
        }).await?;
        assert!(tinhgon_app::rules::check(&db, None, d(2025, 7, 31)).await?.is_empty());
        let v = tinhgon_app::rules::check(&db, None, d(2025, 8, 1)).await?;
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].message.contains("15 sở") && v[0].message.contains("tối đa 14"), "{}", v[0].message);
        assert!(v[0].citation.starts_with("Nghị định 150/2025/NĐ-CP"), "{}", v[0].citation);
        Ok(())
    }
}
