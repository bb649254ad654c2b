//! The monitor's approval queue (chờ xử lý): what units asked and wait for — completion
//! proposals, extension requests, obstacles — in one list, decided one by one or several at
//! once with one note. Each decision goes through its own use case (`decisions`, `extensions`,
//! `obstacles`), so rights, checks, audit rows and notices are the same as on the task page.

use tinhgon_domain::ids::{AssignmentId, ExtensionRequestId, ObstacleId};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::approvals::{self, Pending, PendingKind};
use tinhgon_store::Db;

use crate::decisions::{self, DecisionForm};
use crate::error::{AppError, Result};
use crate::{extensions, obstacles};

/// Most items the queue shows at once, the oldest first: decided, they make room for the
/// next. A busy province has hundreds waiting, more than one page can show and a phone scroll.
pub const QUEUE_MAX: i64 = 100;

fn monitors(user: &User) -> Result<()> {
    if user.active && user.role.monitors() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The waiting items of `province` (the viewer's; None: every province), oldest first.
pub async fn queue(db: &Db, user: &User, province: Option<Id>) -> Result<Vec<Pending>> {
    monitors(user)?;
    Ok(approvals::pending(db, province, QUEUE_MAX).await?)
}

/// How many items wait (the menu's count).
pub async fn count(db: &Db, user: &User, province: Option<Id>) -> Result<u64> {
    monitors(user)?;
    Ok(approvals::pending_count(db, province).await?)
}

/// A decision on several waiting items, as the form or the JSON body gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchForm {
    /// The items: `completion:12`, `extension:5`, `obstacle:7`.
    pub items: Vec<String>,
    /// `approve` (confirm completion, grant extension, answer obstacle) or `refuse` (return
    /// the proposal, refuse the extension).
    pub decision: String,
    /// One note for all (the answer to an obstacle; the reason of a return).
    pub note: String,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Items decided.
    pub done: usize,
    /// Items refused, each with its reason in Vietnamese.
    pub failed: Vec<String>,
}

fn parse_item(s: &str) -> Result<(PendingKind, Id)> {
    let bad = || AppError::invalid("items", "Mục được chọn không hợp lệ.");
    let (k, id) = s.trim().split_once(':').ok_or_else(bad)?;
    let kind = PendingKind::parse(k).ok_or_else(bad)?;
    let id = id.parse::<Id>().map_err(|_| bad())?;
    Ok((kind, id))
}

/// Decides every item of `form`, each in its own transaction: one that fails (decided by
/// someone else meanwhile, another province's) is reported and the others still go through.
pub async fn decide_many(db: &Db, user: &User, form: BatchForm) -> Result<BatchOutcome> {
    monitors(user)?;
    if form.items.is_empty() {
        return Err(AppError::invalid(
            "items",
            "Chưa chọn mục nào: đánh dấu các mục cần xử lý.",
        ));
    }
    let approve = match form.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(AppError::invalid("decision", "Quyết định không hợp lệ.")),
    };
    let items = form
        .items
        .iter()
        .map(|s| parse_item(s))
        .collect::<Result<Vec<_>>>()?;
    let note = form.note.trim().to_string();
    if items.iter().any(|(k, _)| *k == PendingKind::Obstacle) && note.is_empty() {
        return Err(AppError::invalid(
            "note",
            "Vui lòng nhập nội dung trả lời cho các vướng mắc được chọn.",
        ));
    }
    let mut out = BatchOutcome::default();
    for (kind, id) in items {
        let r = match kind {
            PendingKind::Completion => decisions::decide(
                db,
                user,
                AssignmentId(id),
                DecisionForm {
                    op: if approve { "confirm" } else { "return" }.into(),
                    note: note.clone(),
                },
            )
            .await
            .map(|_| ()),
            PendingKind::Extension => {
                extensions::decide(db, user, ExtensionRequestId(id), approve, &note)
                    .await
                    .map(|_| ())
            }
            PendingKind::Obstacle => obstacles::answer(db, user, ObstacleId(id), &note)
                .await
                .map(|_| ()),
        };
        match r {
            Ok(()) => out.done += 1,
            Err(e) => out.failed.push(format!(
                "{} {id}: {}",
                match kind {
                    PendingKind::Completion => "Đề nghị hoàn thành",
                    PendingKind::Extension => "Đề nghị gia hạn",
                    PendingKind::Obstacle => "Vướng mắc",
                },
                e
            )),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_kind_and_id() {
        assert_eq!(
            parse_item("extension:5").unwrap(),
            (PendingKind::Extension, 5)
        );
        for bad in ["", "x:1", "completion:", "completion:a", "5"] {
            assert!(parse_item(bad).is_err(), "{bad}");
        }
    }
}
