//! Comments on an assignment (trao đổi về nhiệm vụ): the lead unit's officers, the
//! coordinating units' officers and the province's monitors write to each other on the
//! assignment's page; each comment tells the others concerned. Leaders of the province read
//! the thread; anyone else is refused and nothing is written.

use chrono::Utc;
use serde::Deserialize;
use tinhgon_domain::ids::AssignmentId;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::{can_comment, can_read_comments, CommentParties, User};
use tinhgon_store::assignment_view;
use tinhgon_store::comments::{self as store, CommentRow, NewComment};
use tinhgon_store::notifications::{Audience, Notice};
use tinhgon_store::web_queries::{self as wq, WorkRow};
use tinhgon_store::Db;

use crate::error::{AppError, Result};
use crate::{audit, input, transition};

/// Longest comment, in characters.
pub const MAX_CHARS: usize = 4000;

/// A comment as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct CommentForm {
    /// The text.
    #[serde(default)]
    pub text: String,
    /// Submission key (the form's hidden field or the API's `Idempotency-Key` header): a
    /// repeat with the same key records nothing new and answers the first comment's id.
    #[serde(default)]
    pub submission_key: Option<String>,
}

impl CommentForm {
    /// The comment's text, or the field to fix.
    pub fn parse(&self) -> Result<String> {
        let text = input::text("text", &self.text, "Vui lòng nhập nội dung ý kiến.")?;
        if text.chars().count() > MAX_CHARS {
            return Err(AppError::invalid(
                "text",
                format!("Ý kiến dài quá {MAX_CHARS} ký tự; vui lòng rút gọn."),
            ));
        }
        Ok(text)
    }
}

/// An assignment with the units taking part in its comments.
pub struct Thread {
    /// The assignment.
    pub work: WorkRow,
    /// The plan's province.
    pub province_id: Option<Id>,
    /// The units coordinating its task.
    pub coordinating: Vec<Id>,
}

impl Thread {
    /// The rights view of the thread.
    pub fn parties(&self) -> CommentParties<'_> {
        CommentParties {
            lead_unit: self.work.unit_id,
            coordinating_unit_ids: &self.coordinating,
            province_id: self.province_id,
        }
    }
}

/// Loads the assignment and the parties to its comments (no rights decision).
pub async fn thread(db: &Db, id: AssignmentId) -> Result<Thread> {
    let head = assignment_view::head(db, id.get(), None)
        .await?
        .ok_or(AppError::NotFound)?;
    let coordinating = wq::task_coordinator_units(db, head.work.task_id).await?;
    Ok(Thread {
        province_id: head.plan_province_id,
        work: head.work,
        coordinating,
    })
}

/// May `user` write on this thread (for the page's form)?
pub fn may_post(user: &User, t: &Thread) -> bool {
    can_comment(user, &t.parties())
}

/// The comments on assignment `id`, oldest first, for someone who may read them.
pub async fn list(db: &Db, user: &User, id: AssignmentId) -> Result<Vec<CommentRow>> {
    let t = thread(db, id).await?;
    if !can_read_comments(user, &t.parties()) {
        return Err(AppError::Forbidden);
    }
    Ok(store::of_assignment(db, id.get()).await?)
}

/// What the assignment page shows of the thread to `user`: the comments and whether the
/// form is offered, or None when `user` may not read them (the section is left out).
pub async fn for_page(
    db: &Db,
    user: &User,
    id: AssignmentId,
) -> Result<Option<(Vec<CommentRow>, bool)>> {
    let t = thread(db, id).await?;
    if !can_read_comments(user, &t.parties()) {
        return Ok(None);
    }
    let rows = store::of_assignment(db, id.get()).await?;
    Ok(Some((rows, may_post(user, &t))))
}

/// Posts a comment on assignment `id` as `user`, telling the lead unit, the coordinating
/// units and the plan's monitors (not the author). Returns the comment's id.
pub async fn post(db: &Db, user: &User, id: AssignmentId, form: CommentForm) -> Result<Id> {
    let t = thread(db, id).await?;
    if !can_comment(user, &t.parties()) {
        return Err(AppError::Forbidden);
    }
    let once = input::submission(user, form.submission_key.as_deref())?;
    let text = form.parse()?;
    let message = format!(
        "{} gửi ý kiến về nhiệm vụ {}",
        user.display_name,
        transition::work_label(&t.work)
    );
    let link = format!("/assignments/{id}#y-kien");
    let mut units = vec![t.work.unit_id];
    for u in &t.coordinating {
        if !units.contains(u) {
            units.push(*u);
        }
    }
    let mut entry = audit::change(user, "assignment.comment", "assignment", id.get())
        .with_after("text", text.clone());
    for u in units {
        entry = entry.with_notice(
            Notice::new(Audience::Unit(u), "comment", message.clone(), link.clone())
                .except(user.id),
        );
    }
    entry = entry.with_notice(
        Notice::new(
            Audience::PlanMonitors(t.work.plan_id),
            "comment",
            message,
            link,
        )
        .except(user.id),
    );
    let comment = NewComment {
        assignment_id: id.get(),
        author_id: user.id,
        unit_id: user.unit_id,
        text: &text,
        at: Utc::now(),
        once: once.as_ref(),
    };
    Ok(store::add_audited(db, &comment, &entry).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> Option<&'static str> {
        match (CommentForm {
            text: text.into(),
            submission_key: None,
        })
        .parse()
        {
            Err(AppError::Invalid { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn a_comment_says_something_and_not_too_much() {
        assert_eq!(field("  \n "), Some("text"));
        assert_eq!(field(&"ý".repeat(MAX_CHARS + 1)), Some("text"));
        assert_eq!(field(&"ý".repeat(MAX_CHARS)), None);
        assert_eq!(field(" Đề nghị Sở Tư pháp gửi dự thảo. "), None);
    }
}
