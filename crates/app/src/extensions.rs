//! Extension requests: the unit asks for a later due date with a reason; the monitor approves
//! (the new due date takes effect) or refuses.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tinhgon_domain::ids::{AssignmentId, ExtensionRequestId};
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::records;
use tinhgon_store::web_queries::{self as wq, RecordTable};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{access, audit, input, transition};

/// An extension request as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct ExtensionForm {
    /// New due date, dd/mm/yyyy or ISO.
    #[serde(default)]
    pub new_due: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// Submission key (the form's hidden field or the API's `Idempotency-Key` header): a
    /// repeat with the same key records nothing new and answers the first request's id.
    #[serde(default)]
    pub submission_key: Option<String>,
}

/// An extension request that can be filed.
#[derive(Debug)]
pub struct Extension {
    /// New due date.
    pub new_due: NaiveDate,
    /// Why, never blank.
    pub reason: String,
}

impl ExtensionForm {
    /// The request, or the field to fix. `current_due` is the due date in force: the new one
    /// must come after it.
    pub fn parse(self, current_due: Option<NaiveDate>) -> Result<Extension> {
        let new_due = input::date(
            "new_due",
            &self.new_due,
            "Hạn mới không hợp lệ (dd/mm/yyyy).",
        )?;
        let reason = input::text(
            "reason",
            &self.reason,
            "Vui lòng nêu lý do đề nghị gia hạn.",
        )?;
        if current_due.is_some_and(|d| new_due <= d) {
            return Err(AppError::invalid(
                "new_due",
                "Hạn mới phải sau hạn hiện tại.",
            ));
        }
        Ok(Extension { new_due, reason })
    }
}

/// Files an extension request on `user`'s own assignment. Returns the request's id.
pub async fn request(db: &Db, user: &User, id: AssignmentId, form: ExtensionForm) -> Result<Id> {
    let w = access::own_assignment(db, user, id).await?;
    let once = input::submission(user, form.submission_key.as_deref())?;
    let ext = form.parse(w.due)?;
    // The store adds after.request, the new request's id, and sends the notice in the same
    // transaction.
    let entry = audit::change(user, "extension.request", "assignment", id.get())
        .with_after("new_due", serde_json::json!(ext.new_due))
        .with_notice(Notice::new(
            Audience::PlanMonitors(w.plan_id),
            "assignment",
            format!(
                "Đề nghị gia hạn {} đến {}",
                transition::work_label(&w),
                ext.new_due.format("%d/%m/%Y")
            ),
            format!("/assignments/{id}"),
        ));
    let request = records::NewExtension {
        assignment_id: id.get(),
        by: Some(user.id),
        new_due: ext.new_due,
        reason: &ext.reason,
        at: Utc::now(),
        once: once.as_ref(),
    };
    let eid = records::request_extension_audited(db, &request, &entry).await?;
    Ok(eid)
}

/// The monitor approves or refuses an extension request. Returns the assignment it belongs to.
pub async fn decide(
    db: &Db,
    user: &User,
    eid: ExtensionRequestId,
    approve: bool,
    note: &str,
) -> Result<AssignmentId> {
    let aid = wq::owner_assignment(db, RecordTable::Extension, eid.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let l = access::monitored_assignment(db, user, AssignmentId(aid)).await?;
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    // The store adds before.due and after.due, as its transaction saw and set them.
    let action = if approve {
        "extension.approve"
    } else {
        "extension.refuse"
    };
    let entry = audit::change(user, action, "assignment", aid)
        .with_after("request", eid.get())
        .with_after("approved", approve)
        .with_notice(Notice::new(
            Audience::Unit(l.work.unit_id),
            "extension",
            format!(
                "{} đề nghị gia hạn {}",
                if approve {
                    "Đã đồng ý"
                } else {
                    "Không đồng ý"
                },
                transition::work_label(&l.work)
            ),
            format!("/assignments/{aid}"),
        ));
    records::decide_extension_audited(
        db,
        eid.get(),
        approve,
        Some(user.id),
        note,
        Utc::now(),
        &entry,
    )
    .await?;
    Ok(AssignmentId(aid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(new_due: &str, reason: &str) -> ExtensionForm {
        ExtensionForm {
            new_due: new_due.into(),
            reason: reason.into(),
            submission_key: None,
        }
    }

    fn field(r: Result<Extension>) -> &'static str {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_request_is_a_later_date_and_a_reason() {
        let due = NaiveDate::from_ymd_opt(2025, 9, 30);
        let ok = form("15/10/2025", " Chờ hướng dẫn. ").parse(due).unwrap();
        assert_eq!(ok.new_due, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        assert_eq!(ok.reason, "Chờ hướng dẫn.");
        assert_eq!(field(form("30/9/2025", "x").parse(due)), "new_due");
        assert_eq!(field(form("ngày mai", "x").parse(due)), "new_due");
        assert_eq!(field(form("15/10/2025", "").parse(due)), "reason");
        // Without a due date in force, any valid date will do.
        assert!(form("01/01/2020", "x").parse(None).is_ok());
    }
}
