//! The audit entry a use case hands to the store's audited write, so that the change and its
//! audit row (and the notices it sends) commit together.

use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::audit::AuditEntry;

/// Kinds of object whose audit rows can be read (the audit page and the API).
pub const AUDIT_KINDS: &[&str] = &[
    "plan",
    "assignment",
    "task",
    "unit",
    "restructuring_event",
    "user",
    "api_token",
];

/// The audit entry of a change made by `actor` to object `kind` `id`.
pub fn entry(
    actor: Option<&User>,
    action: &str,
    kind: &str,
    id: Option<Id>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    AuditEntry {
        actor_id: actor.map(|u| u.id),
        actor_login: actor.map(|u| u.login.clone()),
        action: action.into(),
        object_kind: kind.into(),
        object_id: id,
        before,
        after,
        notices: Vec::new(),
    }
}

/// The audit entry of a change `user` made to the existing object `kind` `id`; what the change
/// wrote goes in with [`AuditEntry::with_after`].
pub fn change(user: &User, action: &str, kind: &str, id: Id) -> AuditEntry {
    entry(Some(user), action, kind, Some(id), None, None)
}

/// The audit entry of the implicit start when a unit reports on, or proposes completion of,
/// work it had not started (the store fills in the statuses).
pub fn start(user: &User, id: Id) -> AuditEntry {
    change(user, "assignment.start", "assignment", id).with_after("note", serde_json::Value::Null)
}
