//! The domain's flows end to end on the real Nghệ An register: publish a task of plan
//! 615/KH-UBND, work it through the workflow, classify it on several days, and move the open
//! work of a department that was merged away.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tinhgon_domain::classify::AssignmentFacts;
use tinhgon_domain::draft::SourceSpan;
use tinhgon_domain::import::{register_from_csv, Register};
use tinhgon_domain::localtime::start_of_local_day;
use tinhgon_domain::register::{validate_event, SuccessorChoices};
use tinhgon_domain::{
    apply_event, classify, expand_task, transition, Action, AgencyRef, Assignment, Deadline,
    DeadlineKind, Precision, Resolver, Role, Status, StatusChange, StatusClass, TaskDraft,
};

fn register() -> Register {
    register_from_csv(
        include_str!("../../../data/nghe-an-2025/units.csv"),
        include_str!("../../../data/nghe-an-2025/mergers.csv"),
        include_str!("../../../data/nghe-an-2025/aliases.csv"),
    )
    .expect("valid register")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    start_of_local_day(d(y, m, day)) + Duration::hours(9)
}

fn unit_id(reg: &Register, name: &str, on: NaiveDate) -> i64 {
    reg.units
        .iter()
        .find(|u| u.name == name && u.is_valid_on(on))
        .unwrap()
        .id
}

#[test]
fn publish_work_and_classify_a_task_of_plan_615() {
    let reg = register();
    let province = unit_id(&reg, "Tỉnh Nghệ An", d(2025, 7, 25));
    let resolver = Resolver::new(&reg.units, &reg.aliases).with_events(&reg.events);
    // PL.6: "Tham mưu sửa đổi, bổ sung các quy định …", Sở Nội vụ, "Hoàn thành trong quý III/2025".
    let deadline = Deadline {
        text: "Hoàn thành trong quý III/2025.".into(),
        kind: DeadlineKind::By,
        due: Some(d(2025, 9, 30)),
        precision: Some(Precision::Quarter),
        period: None,
        event: None,
        start: None,
    };
    let agency = |t: &str| AgencyRef {
        text: t.into(),
        name: t.into(),
        group: None,
    };
    let task = TaskDraft {
        reference: "PL.6".into(),
        content: "Tham mưu sửa đổi, bổ sung các quy định có liên quan về công tác cán bộ".into(),
        lead: vec![agency("Sở Nội vụ.")],
        coordinating: vec![agency("Các địa phương, cơ quan, đơn vị.")],
        deadline: deadline.clone(),
        deliverable: None,
        source: SourceSpan::default(),
        progress: None,
    };
    let published = at(2025, 7, 25);
    let e = expand_task(
        &task,
        &resolver,
        Some(province),
        d(2025, 7, 25),
        &Default::default(),
    );
    assert_eq!(e.assignments.len(), 1);
    assert_eq!(
        e.assignments[0].unit_id,
        unit_id(&reg, "Sở Nội vụ", d(2025, 7, 25))
    );
    assert_eq!(
        e.unresolved.len(),
        1,
        "the vague coordinating group waits for the reviewer"
    );

    // The officer starts and proposes; the monitor returns once, then confirms.
    let mut facts = AssignmentFacts::new(&deadline, published);
    let mut status = Status::NotStarted;
    for (action, role, when) in [
        (Action::Start, Role::AgencyOfficer, at(2025, 8, 4)),
        (
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            at(2025, 9, 20),
        ),
        (Action::Return, Role::Monitor, at(2025, 9, 22)),
        (
            Action::ProposeCompletion,
            Role::AgencyOfficer,
            at(2025, 10, 3),
        ),
        (Action::Confirm, Role::Monitor, at(2025, 10, 6)),
    ] {
        let next = transition(status, action, role).unwrap();
        facts.history.push(StatusChange {
            assignment_id: 1,
            from: Some(status),
            to: next,
            actor_id: None,
            at: when,
            note: None,
        });
        status = next;
    }
    assert!(transition(status, Action::Confirm, Role::Monitor).is_err());
    let expect = [
        (d(2025, 7, 24), None),
        (d(2025, 7, 25), Some(StatusClass::NotDue)),
        (d(2025, 8, 4), Some(StatusClass::InProgress)),
        (d(2025, 9, 21), Some(StatusClass::InProgress)),
        (d(2025, 10, 1), Some(StatusClass::Overdue)),
        (d(2025, 10, 6), Some(StatusClass::DoneLate)),
    ];
    for (day, class) in expect {
        assert_eq!(classify(&facts, day), class, "{day}");
    }
}

#[test]
fn open_work_of_a_merged_department_moves_to_its_successor() {
    let reg = register();
    let kh_dt = unit_id(&reg, "Sở Kế hoạch và Đầu tư", d(2025, 2, 1));
    let tai_chinh = unit_id(&reg, "Sở Tài chính", d(2025, 3, 1));
    let event = reg
        .events
        .iter()
        .find(|e| e.predecessors.contains(&kh_dt))
        .unwrap();
    assert_eq!(validate_event(event, &reg.units), Ok(()));
    let assignment = |id, status| Assignment {
        id,
        task_id: 1,
        unit_id: kh_dt,
        via_group: None,
        due: Some(d(2025, 6, 30)),
        status,
        created_at: at(2025, 1, 10),
    };
    let open = [
        assignment(1, Status::InProgress),
        assignment(2, Status::Done),
    ];
    let moves = apply_event(event, &open, &SuccessorChoices::default()).unwrap();
    assert_eq!(moves.len(), 1, "done work stays with the old unit");
    assert_eq!(
        (moves[0].assignment_id, moves[0].from_unit, moves[0].to_unit),
        (1, kh_dt, tai_chinh)
    );
}
