//! The assignment workflow: which action moves which status, and who may take it.
//!
//! ```text
//! not_started → in_progress → completion_proposed → done
//!                    ↑               ↓        (reopen) ↓
//!                    └──────── returned ←──────────────┘
//! any open status → cancelled (monitor only)
//! ```

use serde::{Deserialize, Serialize};

use crate::assignment::Status;
use crate::error::DomainError;
use crate::user::Role;

/// Something a person does to an assignment's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The unit starts (or resumes after a return).
    Start,
    /// The unit proposes completion (đề nghị hoàn thành).
    ProposeCompletion,
    /// The monitor confirms a proposed completion.
    Confirm,
    /// The monitor returns a proposed completion (trả lại), or reopens a done one.
    Return,
    /// The monitor cancels an open assignment.
    Cancel,
}

impl Action {
    /// All actions.
    pub const ALL: [Action; 5] = [
        Action::Start,
        Action::ProposeCompletion,
        Action::Confirm,
        Action::Return,
        Action::Cancel,
    ];

    /// Vietnamese verb phrase, used inside error messages.
    pub fn label_vi(self) -> &'static str {
        match self {
            Action::Start => "bắt đầu thực hiện",
            Action::ProposeCompletion => "đề nghị hoàn thành",
            Action::Confirm => "xác nhận hoàn thành",
            Action::Return => "trả lại",
            Action::Cancel => "hủy nhiệm vụ",
        }
    }

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::ProposeCompletion => "propose_completion",
            Action::Confirm => "confirm",
            Action::Return => "return",
            Action::Cancel => "cancel",
        }
    }

    /// May `role` take this action at all (before looking at the status)?
    pub fn allowed_for(self, role: Role) -> bool {
        match self {
            // The unit itself reports on its work; the monitor judges it.
            Action::Start | Action::ProposeCompletion => role == Role::AgencyOfficer,
            Action::Confirm | Action::Return | Action::Cancel => role.monitors(),
        }
    }
}

/// The status after `action` on `current` by someone in `actor_role`, or why it is refused.
///
/// Rights are checked before the status so that a role without the right always gets
/// `Forbidden`, whatever the assignment's state (the rights test relies on that).
pub fn transition(
    current: Status,
    action: Action,
    actor_role: Role,
) -> Result<Status, DomainError> {
    if !action.allowed_for(actor_role) {
        return Err(DomainError::Forbidden {
            role: actor_role,
            action,
        });
    }
    use Status as S;
    let next = match (action, current) {
        (Action::Start, S::NotStarted | S::Returned) => S::InProgress,
        (Action::ProposeCompletion, S::InProgress | S::Returned) => S::CompletionProposed,
        (Action::Confirm, S::CompletionProposed) => S::Done,
        (Action::Confirm, S::NotStarted | S::InProgress | S::Returned) => {
            return Err(DomainError::NotProposed)
        }
        // Reopening a confirmed completion goes through `returned` so that the history
        // shows why a done assignment became open again.
        (Action::Return, S::CompletionProposed | S::Done) => S::Returned,
        (Action::Cancel, s) if s.is_open() => S::Cancelled,
        (action, status) => return Err(DomainError::InvalidTransition { status, action }),
    };
    Ok(next)
}

/// The actions `role` can take on an assignment in `current` (for showing buttons).
pub fn available_actions(current: Status, role: Role) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| transition(current, *a, role).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happy_path() {
        let s = transition(Status::NotStarted, Action::Start, Role::AgencyOfficer).unwrap();
        let s = transition(s, Action::ProposeCompletion, Role::AgencyOfficer).unwrap();
        let s2 = transition(s, Action::Return, Role::Monitor).unwrap();
        assert_eq!(s2, Status::Returned);
        let s3 = transition(s2, Action::ProposeCompletion, Role::AgencyOfficer).unwrap();
        assert_eq!(
            transition(s3, Action::Confirm, Role::Monitor).unwrap(),
            Status::Done
        );
        assert_eq!(
            transition(s2, Action::Start, Role::AgencyOfficer).unwrap(),
            Status::InProgress
        );
    }

    #[test]
    fn confirm_without_proposal_is_refused_in_vietnamese() {
        let e = transition(Status::InProgress, Action::Confirm, Role::Monitor).unwrap_err();
        assert_eq!(e, DomainError::NotProposed);
        assert_eq!(
            e.to_string(),
            "không thể xác nhận hoàn thành khi đơn vị chưa đề nghị"
        );
    }

    #[test]
    fn roles_are_checked_first() {
        for s in Status::ALL {
            assert!(matches!(
                transition(s, Action::Confirm, Role::AgencyOfficer),
                Err(DomainError::Forbidden { .. })
            ));
            assert!(matches!(
                transition(s, Action::Start, Role::Monitor),
                Err(DomainError::Forbidden { .. })
            ));
            for a in Action::ALL {
                assert!(
                    transition(s, a, Role::Leader).is_err(),
                    "leader writes nothing"
                );
            }
        }
    }

    #[test]
    fn closed_statuses_cannot_be_cancelled_and_done_reopens_only_via_returned() {
        for s in [Status::Done, Status::Cancelled] {
            assert!(transition(s, Action::Cancel, Role::Monitor).is_err());
        }
        for a in Action::ALL {
            for r in Role::ALL {
                if let Ok(next) = transition(Status::Done, a, r) {
                    assert_eq!(next, Status::Returned);
                }
                assert!(
                    transition(Status::Cancelled, a, r).is_err(),
                    "cancel is final"
                );
            }
        }
    }

    #[test]
    fn every_status_is_reachable_from_not_started() {
        let mut seen = vec![Status::NotStarted];
        let mut i = 0;
        while i < seen.len() {
            for r in Role::ALL {
                for a in available_actions(seen[i], r) {
                    let n = transition(seen[i], a, r).unwrap();
                    if !seen.contains(&n) {
                        seen.push(n);
                    }
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), Status::ALL.len());
    }

    #[test]
    fn error_messages_name_action_and_status() {
        let e = transition(Status::Cancelled, Action::Start, Role::AgencyOfficer).unwrap_err();
        assert_eq!(
            e.to_string(),
            "không thể bắt đầu thực hiện khi nhiệm vụ đang ở trạng thái \"Đã hủy\""
        );
    }
}
