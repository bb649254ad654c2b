//! The monitor's decision on an assignment: confirm a completion, return it to the unit (with a
//! reason) or cancel the assignment.

use serde::Deserialize;
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::user::User;
use tinhgon_domain::workflow::Action;
use tinhgon_domain::Status;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{access, input, transition};

/// A decision as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    /// `confirm`, `return` or `cancel`.
    #[serde(default)]
    pub op: String,
    /// Note, or the reason of a return.
    #[serde(default)]
    pub note: String,
}

/// What the monitor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The work is done.
    Confirm,
    /// Back to the unit.
    Return,
    /// The assignment is withdrawn.
    Cancel,
}

/// A decision that can be applied.
#[derive(Debug)]
pub struct Decision {
    /// What.
    pub verdict: Verdict,
    /// Note (required for a return).
    pub note: Option<String>,
}

impl DecisionForm {
    /// The decision, or the field to fix.
    pub fn parse(self) -> Result<Decision> {
        let verdict = match self.op.as_str() {
            "confirm" => Verdict::Confirm,
            "return" => Verdict::Return,
            "cancel" => Verdict::Cancel,
            _ => return Err(AppError::invalid("op", "Thao tác không hợp lệ.")),
        };
        if verdict == Verdict::Return && self.note.trim().is_empty() {
            return Err(AppError::invalid(
                "note",
                "Khi trả lại, vui lòng ghi rõ lý do.",
            ));
        }
        Ok(Decision {
            verdict,
            note: input::kept_note(&self.note),
        })
    }
}

/// The monitor of the assignment's plan applies a decision. Returns the new status and the
/// message for the user.
pub async fn decide(
    db: &Db,
    user: &User,
    id: AssignmentId,
    form: DecisionForm,
) -> Result<(Status, &'static str)> {
    let l = access::monitored_assignment(db, user, id).await?;
    let d = form.parse()?;
    let (action, msg, text) = match d.verdict {
        Verdict::Confirm => (
            Action::Confirm,
            "Đã xác nhận hoàn thành.",
            "Cơ quan theo dõi đã xác nhận hoàn thành",
        ),
        Verdict::Return => (
            Action::Return,
            "Đã trả lại để đơn vị tiếp tục thực hiện.",
            "Cơ quan theo dõi đã trả lại đề nghị hoàn thành",
        ),
        Verdict::Cancel => (Action::Cancel, "Đã hủy phân công.", "Phân công đã bị hủy"),
    };
    let notice = Notice::new(
        Audience::Unit(l.work.unit_id),
        "decision",
        format!("{text}: {}", transition::work_label(&l.work)),
        format!("/assignments/{id}"),
    );
    let to = transition::change(db, user, &l.work, action, d.note, false, Some(notice)).await?;
    Ok((to, msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(op: &str, note: &str) -> Result<Decision> {
        DecisionForm {
            op: op.into(),
            note: note.into(),
        }
        .parse()
    }

    #[test]
    fn a_return_needs_its_reason_and_unknown_operations_are_refused() {
        assert_eq!(parse("confirm", "").unwrap().verdict, Verdict::Confirm);
        assert_eq!(parse("cancel", "").unwrap().note, None);
        assert!(matches!(
            parse("return", " "),
            Err(AppError::Invalid { field: "note", .. })
        ));
        assert_eq!(
            parse("return", "Thiếu minh chứng").unwrap().note.as_deref(),
            Some("Thiếu minh chứng")
        );
        assert!(matches!(
            parse("delete", ""),
            Err(AppError::Invalid { field: "op", .. })
        ));
    }
}
