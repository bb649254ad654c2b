//! The stable names (`as_str`) used by the store and the pages equal the serde names, and
//! every enum round-trips.

use serde::Serialize;

use crate::assignment::Status;
use crate::class::StatusClass;
use crate::event::EventKind;
use crate::plan::PlanState;
use crate::records::{ExtensionState, ObstacleState, ReminderKind};
use crate::unit::{Level, UnitKind};
use crate::user::Role;
use crate::workflow::Action;

fn serde_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn as_str_equals_serde_name() {
    for s in Status::ALL {
        assert_eq!(serde_name(&s), s.as_str());
        assert_eq!(Status::parse(s.as_str()), Some(s));
        assert!(!s.label_vi().is_empty());
    }
    for c in StatusClass::ALL {
        assert_eq!(serde_name(&c), c.as_str());
    }
    for r in Role::ALL {
        assert_eq!(serde_name(&r), r.as_str());
        assert_eq!(Role::parse(r.as_str()), Some(r));
    }
    for a in Action::ALL {
        assert_eq!(serde_name(&a), a.as_str());
    }
    for k in [
        EventKind::Merge,
        EventKind::Consolidate,
        EventKind::Split,
        EventKind::Dissolve,
        EventKind::Rename,
        EventKind::Transfer,
    ] {
        assert_eq!(serde_name(&k), k.as_str());
    }
    for p in [PlanState::Draft, PlanState::Published, PlanState::Archived] {
        assert_eq!(serde_name(&p), p.as_str());
    }
    for k in [
        ReminderKind::Urge,
        ReminderKind::DueIn7,
        ReminderKind::DueIn1,
        ReminderKind::Overdue,
    ] {
        assert_eq!(serde_name(&k), k.as_str());
    }
    for e in [
        ExtensionState::Pending,
        ExtensionState::Approved,
        ExtensionState::Refused,
    ] {
        assert_eq!(serde_name(&e), e.as_str());
    }
    for o in [ObstacleState::Open, ObstacleState::Answered] {
        assert_eq!(serde_name(&o), o.as_str());
    }
    for l in [
        Level::Central,
        Level::Province,
        Level::District,
        Level::Commune,
    ] {
        assert_eq!(serde_name(&l), l.as_str());
        assert_eq!(Level::from_register(l.as_str()), Some(l));
    }
}

#[test]
fn unit_kinds_round_trip_through_register_names() {
    for k in UnitKind::ALL {
        assert_eq!(serde_name(&k), k.as_str());
        assert_eq!(UnitKind::from_register(k.as_str()), Some(k));
    }
    assert_eq!(UnitKind::from_register("tinh-uy"), Some(UnitKind::Party));
    assert_eq!(UnitKind::from_register("thon"), None);
}
