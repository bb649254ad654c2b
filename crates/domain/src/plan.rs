//! Published (or draft) plans.

use serde::{Deserialize, Serialize};

use crate::draft::DocumentMeta;
use crate::model::Id;

/// A published (or draft) plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Identifier.
    pub id: Id,
    /// Document metadata.
    pub meta: DocumentMeta,
    /// Issuing unit in the register when resolved.
    pub issuer_unit_id: Option<Id>,
    /// Standing agency that monitors the plan (Sở Nội vụ by default).
    pub monitor_unit_id: Option<Id>,
    /// Task of another plan that this plan implements.
    pub parent_task_id: Option<Id>,
    /// Draft, published or archived.
    pub state: PlanState,
    /// Shown on public pages.
    pub public: bool,
    /// SHA-256 of the imported file.
    pub content_hash: Option<String>,
}

/// Lifecycle of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// Imported, under review.
    Draft,
    /// Published: assignments exist.
    Published,
    /// No longer tracked.
    Archived,
}

impl PlanState {
    /// Every state.
    pub const ALL: [PlanState; 3] = [PlanState::Draft, PlanState::Published, PlanState::Archived];

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<PlanState> {
        PlanState::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Stable snake_case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Published => "published",
            PlanState::Archived => "archived",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            PlanState::Draft => "Bản nháp chờ rà soát",
            PlanState::Published => "Đang theo dõi thực hiện",
            PlanState::Archived => "Đã lưu trữ",
        }
    }
}

/// A legal basis of a plan linked to another plan in the system (when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLink {
    /// The plan that cites.
    pub plan_id: Id,
    /// Index into the citing plan's `meta.legal_bases`.
    pub basis_index: usize,
    /// The cited plan.
    pub target_plan_id: Id,
}

/// How pages name a plan: its number ("615/KH-UBND"), else its title — a draft may have no
/// number yet, and a database id means nothing to a reader.
pub fn plan_name(number: Option<&str>, title: Option<&str>) -> String {
    let number = number.map(str::trim).filter(|s| !s.is_empty());
    let title = title.map(str::trim).filter(|s| !s.is_empty());
    match (number, title) {
        (Some(n), _) => n.to_string(),
        (None, Some(t)) if t.chars().count() > 90 => {
            let cut: String = t.chars().take(88).collect();
            format!("«{}…» (chưa có số)", cut.trim_end())
        }
        (None, Some(t)) => format!("«{t}» (chưa có số)"),
        (None, None) => "Kế hoạch chưa có số, chưa có trích yếu".to_string(),
    }
}

#[cfg(test)]
mod name_tests {
    use super::plan_name;

    #[test]
    fn a_plan_is_named_by_its_number_else_its_title_never_an_id() {
        assert_eq!(plan_name(Some("615/KH-UBND"), Some("x")), "615/KH-UBND");
        assert_eq!(
            plan_name(Some(" "), Some("Sắp xếp bộ máy")),
            "«Sắp xếp bộ máy» (chưa có số)"
        );
        assert_eq!(
            plan_name(None, None),
            "Kế hoạch chưa có số, chưa có trích yếu"
        );
        assert!(plan_name(None, Some(&"a".repeat(200))).chars().count() < 110);
    }
}
