//! The calendar of deadlines, the private iCalendar feed and comments on an assignment, on
//! SQLite and PostgreSQL: who sees which deadlines, that the feed parses as iCalendar and dies
//! when revoked, and that comments are written only by the parties, audited and notified.

mod common;

use chrono::{Days, Utc};
use common::publish_615;
use tinhgon_app::calendar::{self, feed, CalendarQuery, Month};
use tinhgon_app::comments::{self, CommentForm};
use tinhgon_app::AppError;
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{Role, User};
use tinhgon_store::accounts::{self, NewUser};
use tinhgon_store::web_queries as wq;
use tinhgon_store::{notifications, Db};

/// An assignment whose task a unit other than its lead coordinates, with a due date:
/// (assignment, lead unit, coordinating unit, a unit that takes no part).
async fn coordinated(db: &Db, plan: Id) -> anyhow::Result<(Id, Id, Id, Id)> {
    let work = wq::plan_work(db, plan).await?;
    let coords = wq::plan_coordinators(db, plan).await?;
    for (task, unit, _) in &coords {
        let Some(c) = unit else { continue };
        let Some(w) = work
            .iter()
            .find(|w| w.task_id == *task && w.unit_id != *c && w.due.is_some())
        else {
            continue;
        };
        let bystander = work
            .iter()
            .map(|x| x.unit_id)
            .find(|u| {
                *u != w.unit_id
                    && *u != *c
                    && !coords
                        .iter()
                        .any(|(t, cu, _)| *t == w.task_id && *cu == Some(*u))
            })
            .expect("a unit that takes no part");
        return Ok((w.id, w.unit_id, *c, bystander));
    }
    anyhow::bail!("no coordinated task with a due date")
}

async fn account(
    db: &Db,
    login: &str,
    role: Role,
    unit: Option<Id>,
    province: Option<Id>,
) -> anyhow::Result<User> {
    let id = accounts::system::create_user(
        db,
        &NewUser {
            login: login.into(),
            display_name: format!("Cán bộ {login}"),
            password_hash: "x".into(),
            role,
            unit_id: unit,
            province_id: province,
        },
    )
    .await?;
    Ok(accounts::user(db, id).await?.expect("new account"))
}

fn text(t: &str) -> CommentForm {
    CommentForm {
        text: t.into(),
        submission_key: None,
    }
}

async fn comment_count(db: &Db, a: Id) -> anyhow::Result<(usize, usize)> {
    let c = tinhgon_store::comments::of_assignment(db, a).await?.len();
    let audit = tinhgon_store::audit::for_object(db, "assignment", a)
        .await?
        .len();
    Ok((c, audit))
}

async fn unread_comment_notices(db: &Db, u: &User) -> anyhow::Result<usize> {
    Ok(notifications::for_user(db, u.id, 100)
        .await?
        .into_iter()
        .filter(|n| n.kind == "comment")
        .count())
}

tinhgon_testkit::both_databases! {
    async fn comments_are_written_by_the_parties_only_audited_and_notified(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, plan) = publish_615(&db).await?;
        let (a, lead, coord, other) = coordinated(&db, plan).await?;
        let author = account(&db, "chu-tri", Role::AgencyOfficer, Some(lead), Some(province)).await?;
        let colleague = account(&db, "chu-tri-2", Role::AgencyOfficer, Some(lead), Some(province)).await?;
        let coordinator = account(&db, "phoi-hop", Role::AgencyOfficer, Some(coord), Some(province)).await?;
        let bystander = account(&db, "khac", Role::AgencyOfficer, Some(other), Some(province)).await?;
        let monitor = account(&db, "theo-doi", Role::Monitor, None, Some(province)).await?;
        let leader = account(&db, "lanh-dao", Role::Leader, None, Some(province)).await?;
        // Another province: any other unit id stands for it in the rights rules.
        let foreign = account(&db, "tinh-khac", Role::Monitor, None, Some(lead)).await?;
        let id = AssignmentId(a);

        let first = comments::post(&db, &author, id, text("Đề nghị Sở phối hợp gửi số liệu trước ngày 15.")).await?;
        assert!(first > 0);
        let second = comments::post(&db, &monitor, id, text("Cơ quan theo dõi đã nhận; đề nghị đúng hạn.")).await?;
        // The others concerned are told; the author is not told of its own comment.
        assert_eq!(unread_comment_notices(&db, &author).await?, 1, "the monitor's comment");
        assert_eq!(unread_comment_notices(&db, &colleague).await?, 2);
        assert_eq!(unread_comment_notices(&db, &coordinator).await?, 2);
        assert_eq!(unread_comment_notices(&db, &monitor).await?, 1, "the officer's comment");
        assert_eq!(unread_comment_notices(&db, &bystander).await?, 0);
        // A monitor whose own unit leads the work is reached twice, and told once.
        let lead_monitor = account(&db, "theo-doi-chu-tri", Role::Monitor, Some(lead), Some(province)).await?;
        comments::post(&db, &coordinator, id, text("Đã nhận.")).await?;
        assert_eq!(unread_comment_notices(&db, &lead_monitor).await?, 1);
        assert_eq!(unread_comment_notices(&db, &monitor).await?, 2);
        let n = notifications::for_user(&db, coordinator.id, 1).await?.remove(0);
        assert_eq!(n.link.as_deref(), Some(format!("/assignments/{a}#y-kien").as_str()));
        assert!(n.text.contains("Cán bộ theo-doi gửi ý kiến về nhiệm vụ"), "{}", n.text);

        // The thread, oldest first, with names and units, for the parties and the leader.
        let thread = comments::list(&db, &leader, id).await?;
        assert_eq!(thread.iter().map(|c| c.id).take(2).collect::<Vec<_>>(), vec![first, second]);
        assert_eq!(thread.len(), 3);
        assert_eq!(thread[0].author_name, "Cán bộ chu-tri");
        assert_eq!(thread[0].unit_name, wq::unit_name(&db, lead).await?);
        assert_eq!(thread[1].unit_name, None);

        // Refused, and nothing written.
        let before = comment_count(&db, a).await?;
        for (who, u) in [("another unit", &bystander), ("another province", &foreign), ("a leader", &leader)] {
            let e = comments::post(&db, u, id, text("Không được phép")).await.expect_err(who);
            assert!(matches!(e, AppError::Forbidden), "{who}: {e:?}");
        }
        assert!(matches!(comments::list(&db, &bystander, id).await, Err(AppError::Forbidden)));
        assert!(matches!(comments::list(&db, &foreign, id).await, Err(AppError::Forbidden)));
        match comments::post(&db, &author, id, text("   ")).await {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(field, "text");
                assert_eq!(message, "Vui lòng nhập nội dung ý kiến.");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(comment_count(&db, a).await?, before);
        assert!(matches!(
            comments::post(&db, &author, AssignmentId(a + 1_000_000), text("x")).await,
            Err(AppError::NotFound)
        ));

        // Audited, as a sentence of the change log.
        let rows = tinhgon_store::audit::for_object(&db, "assignment", a).await?;
        let audited: Vec<_> = rows.iter().filter(|r| r.action == "assignment.comment").collect();
        assert_eq!(audited.len(), 3);
        assert_eq!(audited[2].actor_id, Some(coordinator.id));
        assert!(audited[0].after_json.as_deref().unwrap_or("").contains("Đề nghị Sở phối hợp"));
        assert_eq!(
            tinhgon_app::changelog::action_words("assignment.comment"),
            "Gửi ý kiến trao đổi về nhiệm vụ"
        );

        // A repeated submission key records once.
        let key = Some("lan-gui-1234".to_string());
        let once = comments::post(&db, &author, id, CommentForm { text: "Một lần".into(), submission_key: key.clone() }).await?;
        let again = comments::post(&db, &author, id, CommentForm { text: "Một lần".into(), submission_key: key }).await?;
        assert_eq!(once, again);
        assert_eq!(comment_count(&db, a).await?.0, before.0 + 1);
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn the_calendar_shows_each_reader_the_deadlines_it_follows(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, plan) = publish_615(&db).await?;
        let (a, lead, coord, other) = coordinated(&db, plan).await?;
        let w = wq::work_row(&db, a).await?.expect("row");
        let due = w.due.expect("due");
        let today = Utc::now().date_naive();
        let q = CalendarQuery { month: Month::of(due).key(), ..CalendarQuery::default() };
        let lead_officer = account(&db, "chu-tri", Role::AgencyOfficer, Some(lead), Some(province)).await?;
        let coordinator = account(&db, "phoi-hop", Role::AgencyOfficer, Some(coord), Some(province)).await?;
        let bystander = account(&db, "khac", Role::AgencyOfficer, Some(other), Some(province)).await?;
        let monitor = account(&db, "theo-doi", Role::Monitor, None, Some(province)).await?;

        let find = |v: &calendar::MonthView| v.deadlines.iter().find(|d| d.assignment == a).cloned();
        let mine = calendar::month(&db, &lead_officer, Some(province), &q, today).await?;
        let d = find(&mine).expect("the lead sees its deadline");
        assert_eq!(d.due, due);
        assert!(!d.coordinating);
        assert_eq!(d.task_ref, w.task_ref);
        // Published work nobody started: overdue once its day is past, else not yet due.
        let expected = if due < today { StatusClass::Overdue } else { StatusClass::NotDue };
        assert_eq!(d.class, expected);
        assert!(mine.deadlines.iter().all(|x| Month::of(x.due) == mine.month));
        let theirs = calendar::month(&db, &coordinator, Some(province), &q, today).await?;
        assert!(find(&theirs).expect("the coordinator sees it").coordinating);
        let elsewhere = calendar::month(&db, &bystander, Some(province), &q, today).await?;
        assert!(find(&elsewhere).is_none());
        let province_wide = calendar::month(&db, &monitor, Some(province), &q, today).await?;
        assert!(find(&province_wide).is_some());
        assert!(province_wide.deadlines.len() >= mine.deadlines.len());
        // Filters as in the task list: another unit, or this one as coordinator, leave it out.
        let by_unit = |unit: Id, role: &str| CalendarQuery {
            unit: unit.to_string(),
            role: role.into(),
            ..q.clone()
        };
        assert!(find(&calendar::month(&db, &monitor, Some(province), &by_unit(lead, "lead"), today).await?).is_some());
        assert!(find(&calendar::month(&db, &monitor, Some(province), &by_unit(coord, "coordinating"), today).await?).is_some());
        assert!(find(&calendar::month(&db, &monitor, Some(province), &by_unit(other, "lead"), today).await?).is_none());
        // The next month does not hold it; a month that is not one is refused.
        let next = CalendarQuery { month: Month::of(due).next().key(), ..CalendarQuery::default() };
        assert!(find(&calendar::month(&db, &monitor, Some(province), &next, today).await?).is_none());
        let bad = CalendarQuery { month: "2026-13".into(), ..CalendarQuery::default() };
        assert!(matches!(
            calendar::month(&db, &monitor, Some(province), &bad, today).await,
            Err(AppError::Invalid { field: "month", .. })
        ));
        Ok(())
    }
}

tinhgon_testkit::both_databases! {
    async fn the_feed_is_icalendar_for_its_owner_and_dies_when_replaced_or_revoked(t) -> anyhow::Result<()> {
        let db = Db::connect(&t.url).await?;
        let (province, plan) = publish_615(&db).await?;
        let (a, lead, _, _) = coordinated(&db, plan).await?;
        let officer = account(&db, "chu-tri", Role::AgencyOfficer, Some(lead), Some(province)).await?;
        let w = wq::work_row(&db, a).await?.expect("row");
        // A day from which the deadline is inside the feed's window.
        let today = w.due.expect("due").checked_add_days(Days::new(30)).expect("day");
        let now = Utc::now();
        assert_eq!(feed::live_since(&db, &officer).await?, None);
        let secret = feed::create(&db, &officer).await?;
        assert_eq!(secret.len(), 64);
        assert!(feed::live_since(&db, &officer).await?.is_some());
        // Only the hash is kept.
        assert_eq!(tinhgon_store::calendar_feeds::owner(&db, &secret).await?, None);
        let text = feed::ics_text(&db, &secret, today, now, Some("https://tinhgon.example.vn/")).await?;

        // Lines end with CRLF and are at most 75 octets.
        assert!(text.ends_with("\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\n'));
        }
        // An independent parser reads it.
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let cal = parser.next().expect("a calendar")?;
        assert!(parser.next().is_none());
        let prop = |props: &[ical::property::Property], name: &str| {
            props.iter().find(|p| p.name == name).and_then(|p| p.value.clone())
        };
        assert_eq!(prop(&cal.properties, "VERSION").as_deref(), Some("2.0"));
        let (expected, _) = calendar::deadlines(
            &db,
            &officer,
            Some(province),
            &CalendarQuery::default(),
            today - Days::new(feed::FEED_PAST_DAYS),
            today + Days::new(feed::FEED_FUTURE_DAYS),
            today,
            feed::FEED_MAX,
        )
        .await?;
        assert_eq!(cal.events.len(), expected.len());
        let uid = format!("assignment-{a}@tinhgon");
        let ev = cal
            .events
            .iter()
            .find(|e| prop(&e.properties, "UID").as_deref() == Some(uid.as_str()))
            .expect("the assignment's event");
        let start = ev.properties.iter().find(|p| p.name == "DTSTART").expect("DTSTART");
        assert_eq!(start.value.as_deref(), Some(w.due.unwrap().format("%Y%m%d").to_string().as_str()));
        assert!(start.params.as_ref().is_some_and(|ps| ps.iter().any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_string()])));
        let summary = prop(&ev.properties, "SUMMARY").expect("SUMMARY");
        assert!(summary.starts_with("Hạn nhiệm vụ "), "{summary}");
        assert!(summary.contains(&w.task_ref), "{summary}");
        let description = prop(&ev.properties, "DESCRIPTION").expect("DESCRIPTION");
        assert!(description.contains(&format!("https://tinhgon.example.vn/assignments/{a}")), "{description}");
        assert!(description.contains("\\n"), "line breaks are escaped: {description}");
        // The same assignment keeps its UID in the next download.
        let again = feed::ics_text(&db, &secret, today, now, None).await?;
        assert!(again.contains(&format!("UID:{uid}\r\n")));

        // A new address ends the old one; revoking ends the new one; unknown ones are not found.
        let renewed = feed::create(&db, &officer).await?;
        assert!(matches!(feed::ics_text(&db, &secret, today, now, None).await, Err(AppError::NotFound)));
        assert!(feed::ics_text(&db, &renewed, today, now, None).await.is_ok());
        assert!(feed::revoke(&db, &officer).await?);
        assert!(!feed::revoke(&db, &officer).await?);
        assert!(matches!(feed::ics_text(&db, &renewed, today, now, None).await, Err(AppError::NotFound)));
        for unknown in ["0".repeat(64), "x".into(), String::new(), "../../etc/passwd".into()] {
            assert!(matches!(feed::ics_text(&db, &unknown, today, now, None).await, Err(AppError::NotFound)));
        }
        let audit = tinhgon_store::audit::for_object(&db, "user", officer.id).await?;
        let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["calendar_feed.create", "calendar_feed.create", "calendar_feed.revoke"]);
        Ok(())
    }
}
