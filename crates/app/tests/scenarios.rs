//! Scenarios (phương án sắp xếp) on SQLite and PostgreSQL: created, events added (drafts
//! that neither the daily job nor as-of queries see), simulated beside today and compared
//! with nothing written, applied in one transaction with its deciding document (the events
//! then exist and work has moved), refused with nothing written when it no longer fits the
//! register; and the rights: leaders read, other provinces find nothing.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::publish_615;
use tinhgon_app::restructuring::{self, EventForm};
use tinhgon_app::scenarios::{self, DecisionForm, ScenarioForm};
use tinhgon_app::units::Actor;
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

async fn open_of(db: &Db, unit: Id) -> anyhow::Result<i64> {
    Ok(query("SELECT COUNT(*) FROM assignments WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled')")
        .bind(unit)
        .scalar(db)
        .await?)
}

/// Departments in force today holding open assignments, most first: (id, name, open).
async fn busy_departments(db: &Db, province: Id) -> anyhow::Result<Vec<(Id, String, i64)>> {
    let mut out = Vec::new();
    for u in register::units_as_of(db, province, today()).await? {
        if u.kind == UnitKind::Department {
            let n = open_of(db, u.id).await?;
            if n > 0 {
                out.push((u.id, u.name, n));
            }
        }
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.2));
    Ok(out)
}

/// Row counts of everything applying an event writes, and where every assignment is.
async fn register_footprint(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut v = Vec::new();
    for t in [
        "units",
        "restructuring_events",
        "event_successors",
        "assignment_reroutes",
        "status_changes",
        "unit_functions",
        "staffing_quotas",
    ] {
        v.push(
            query(&format!("SELECT COUNT(*) FROM {t}"))
                .scalar(db)
                .await?,
        );
    }
    v.push(
        query("SELECT CAST(COALESCE(SUM(unit_id * id), 0) AS BIGINT) FROM assignments")
            .scalar(db)
            .await?,
    );
    v.push(
        query("SELECT COUNT(*) FROM units WHERE valid_to IS NOT NULL")
            .scalar(db)
            .await?,
    );
    Ok(v)
}

async fn everything(db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut v = register_footprint(db).await?;
    for t in ["scenarios", "scenario_events", "audit_log"] {
        v.push(
            query(&format!("SELECT COUNT(*) FROM {t}"))
                .scalar(db)
                .await?,
        );
    }
    v.push(
        query("SELECT COUNT(*) FROM scenarios WHERE applied_at IS NOT NULL")
            .scalar(db)
            .await?,
    );
    Ok(v)
}

fn consolidate(a: &str, b: &str, new: &str) -> EventForm {
    EventForm {
        kind: "consolidate".into(),
        from: vec![a.into(), b.into()],
        new: vec![new.into()],
        effective: iso(today()),
        ..EventForm::default()
    }
}

fn merge(from: &str, into: &str) -> EventForm {
    EventForm {
        kind: "merge".into(),
        from: vec![from.into()],
        into: vec![into.into()],
        effective: iso(today()),
        ..EventForm::default()
    }
}

fn decision() -> DecisionForm {
    DecisionForm {
        decision: "88/QĐ-UBND".into(),
        decision_date: iso(today() - Duration::days(2)),
        decision_issuer: "UBND tỉnh".into(),
    }
}

fn named(name: &str) -> ScenarioForm {
    ScenarioForm {
        name: name.into(),
        note: String::new(),
    }
}

tinhgon_testkit::both_databases! {
    async fn a_scenario_is_simulated_compared_and_applied_in_one_transaction(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let me = Actor::User(&m);
        let busy = busy_departments(&db, province).await?;
        assert!(busy.len() >= 3, "{busy:?}");
        let (a, b) = (&busy[0], &busy[1]);
        let before = register_footprint(&db).await?;

        let one = scenarios::create(&db, me, province, &named("Phương án 1: hợp nhất hai sở")).await?;
        scenarios::add_event(&db, me, province, one, &consolidate(&a.1, &b.1, "Sở Hợp nhất Thử")).await?;
        let two = scenarios::create(&db, me, province, &named("Phương án 2: sáp nhập")).await?;
        scenarios::add_event(&db, me, province, two, &merge(&b.1, &a.1)).await?;
        // Drafts are not events: the daily job finds nothing, as-of queries see no change.
        assert_eq!(register_footprint(&db).await?, before, "a draft writes no event");
        assert!(register::due_events(&db, today() + Duration::days(400)).await?.is_empty());
        assert!(restructuring::apply_due(&db, Utc::now() + Duration::days(400)).await?.is_empty());
        // A unit ceases in one event of a scenario only.
        let mut dissolve = merge(&a.1, &busy[2].1);
        dissolve.kind = "merge".into();
        let e = scenarios::add_event(&db, me, province, one, &dissolve).await.unwrap_err();
        assert!(e.to_string().contains("đã có trong một sự kiện khác của phương án"), "{e}");
        // Unknown units are refused as in a preview.
        let e = scenarios::add_event(&db, me, province, one, &merge("Sở Không Có", &a.1)).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid { .. }), "{e}");

        let snapshot = everything(&db).await?;
        let v = scenarios::view(&db, me, province, one).await?;
        assert_eq!(everything(&db).await?, snapshot, "a simulation writes nothing");
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        let after = v.after.as_ref().expect("simulated");
        assert_eq!(after.departments + 1, v.today.departments);
        assert!(after.tree.iter().any(|l| l.name == "Sở Hợp nhất Thử" && l.mark == Some("Mới")));
        assert!(!after.tree.iter().any(|l| l.name == a.1));
        assert!(v.today.tree.iter().any(|l| l.name == a.1 && l.mark == Some("Chấm dứt")));
        assert_eq!(v.moves.len(), 1);
        assert_eq!(v.moves[0].to, "Sở Hợp nhất Thử");
        assert_eq!(i64::try_from(v.moves[0].count)?, a.2 + b.2);
        assert_eq!(i64::try_from(v.outcome.assignments)?, a.2 + b.2);
        let staff = |s: &scenarios::Side| s.staffing.iter().map(|x| x.count).sum::<u64>();
        assert_eq!(staff(after), staff(&v.today), "a consolidation loses no staffing");

        let (x, y) = scenarios::compare(&db, me, province, one, two).await?;
        assert_eq!(everything(&db).await?, snapshot, "a comparison writes nothing");
        assert_eq!(x.scenario.id, one);
        assert_eq!(y.moves.len(), 1);
        assert_eq!(y.moves[0].to, a.1);
        assert_eq!(i64::try_from(y.moves[0].count)?, b.2);
        assert_eq!(y.after.as_ref().expect("simulated").departments + 1, y.today.departments);

        // Applied with its deciding document, in one transaction.
        let done = scenarios::apply(&db, me, province, one, &decision()).await?;
        assert_eq!(done.events.len(), 1);
        let recorded = &done.events[0].1;
        let new = recorded.created[0];
        assert!(recorded.applied.is_some(), "its date has come");
        assert_eq!(open_of(&db, a.0).await? + open_of(&db, b.0).await?, 0);
        assert_eq!(open_of(&db, new).await?, a.2 + b.2);
        let (dec, issuer): (Option<String>, Option<String>) = query("SELECT decision, decision_issuer FROM restructuring_events WHERE id = $1")
            .bind(recorded.event_id).fetch_one(&db).await?;
        assert_eq!((dec.as_deref(), issuer.as_deref()), (Some("88/QĐ-UBND"), Some("UBND tỉnh")));
        let s = register::scenario(&db, one).await?.expect("scenario");
        assert!(s.applied_at.is_some());
        assert_eq!(s.decision.as_deref(), Some("88/QĐ-UBND"));
        assert_eq!(register::drafts(&db, one).await?[0].event_id, Some(recorded.event_id));
        let audit = tinhgon_store::audit::for_object(&db, "scenario", one).await?;
        assert!(audit.iter().any(|e| e.action == "scenario.apply"), "{audit:?}");
        let again = scenarios::apply(&db, me, province, one, &decision()).await.unwrap_err();
        assert!(again.to_string().contains("đã được áp dụng"), "{again}");
        let applied_view = scenarios::view(&db, me, province, one).await?;
        assert!(applied_view.after.is_none() && applied_view.problems.is_empty());

        // The second scenario no longer fits: its unit ended meanwhile. Refused, nothing written.
        let snapshot = everything(&db).await?;
        let e = scenarios::apply(&db, me, province, two, &decision()).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        assert!(e.to_string().starts_with("Phương án không còn phù hợp với danh mục đơn vị hiện nay (sự kiện thứ 1:"), "{e}");
        assert_eq!(everything(&db).await?, snapshot);
        let stale = scenarios::view(&db, me, province, two).await?;
        assert!(stale.after.is_none());
        assert_eq!(stale.problems.len(), 1, "{:?}", stale.problems);
        assert!(!stale.drafts[0].from.chars().any(|c| c.is_ascii_digit()), "names, not ids: {}", stale.drafts[0].from);
        Ok(())
    }

    async fn leaders_read_scenarios_and_other_provinces_find_none(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, _) = publish_615(&db).await?;
        let m = monitor(&db, province).await?;
        let busy = busy_departments(&db, province).await?;
        let one = scenarios::create(&db, Actor::User(&m), province, &named("Phương án thử quyền")).await?;
        scenarios::add_event(&db, Actor::User(&m), province, one, &merge(&busy[1].1, &busy[0].1)).await?;
        let snapshot = everything(&db).await?;

        let leader = User { role: Role::Leader, ..m.clone() };
        let l = Actor::User(&leader);
        assert_eq!(scenarios::list(&db, l, province).await?.len(), 1);
        assert!(scenarios::view(&db, l, province, one).await?.after.is_some());
        for e in [
            scenarios::create(&db, l, province, &named("Không được")).await.unwrap_err(),
            scenarios::add_event(&db, l, province, one, &merge(&busy[2].1, &busy[0].1)).await.unwrap_err(),
            scenarios::apply(&db, l, province, one, &decision()).await.map(|_| ()).unwrap_err(),
        ] {
            assert!(matches!(e, AppError::Forbidden), "{e}");
        }

        let other = User { province_id: Some(province + 100_000), ..m.clone() };
        let o = Actor::User(&other);
        assert!(matches!(scenarios::view(&db, o, province, one).await.unwrap_err(), AppError::NotFound));
        assert!(matches!(scenarios::list(&db, o, province).await.unwrap_err(), AppError::NotFound));
        // Asked under their own province, the scenario of this one is not found either.
        assert!(matches!(scenarios::view(&db, o, province + 100_000, one).await.unwrap_err(), AppError::NotFound));
        assert!(matches!(scenarios::add_event(&db, o, province, one, &merge(&busy[2].1, &busy[0].1)).await.unwrap_err(), AppError::NotFound));
        assert!(matches!(scenarios::apply(&db, o, province, one, &decision()).await.map(|_| ()).unwrap_err(), AppError::NotFound));
        assert!(matches!(scenarios::remove_event(&db, o, province, one, 1).await.unwrap_err(), AppError::NotFound));

        let clerk = User { role: Role::AgencyOfficer, unit_id: Some(busy[0].0), province_id: None, ..m.clone() };
        assert!(matches!(scenarios::view(&db, Actor::User(&clerk), province, one).await.unwrap_err(), AppError::Forbidden));
        assert_eq!(everything(&db).await?, snapshot, "nothing written by a refusal");
        // Bad input: a nameless scenario, an apply without a decision.
        let e = scenarios::create(&db, Actor::User(&m), province, &named("  ")).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid { field: "name", .. }), "{e}");
        let e = scenarios::apply(&db, Actor::User(&m), province, one, &DecisionForm::default()).await.map(|_| ()).unwrap_err();
        assert!(matches!(e, AppError::Invalid { field: "decision", .. }), "{e}");
        assert_eq!(everything(&db).await?, snapshot);
        Ok(())
    }
}
