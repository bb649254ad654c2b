//! One id type per entity, so that a task's id cannot be passed where an assignment's is
//! expected. They are plain `i64` in the database and on the wire (serde transparent); the
//! use cases take these types and hand the inner number to the store at the call.

use serde::{Deserialize, Serialize};

// One declaration per entity keeps the nine types identical in what they derive and offer;
// the macro only declares types, it hides no control flow.
macro_rules! entity_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The number the store keeps.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

entity_id! {
    /// A plan (kế hoạch).
    PlanId;
    /// A task of a plan (nhiệm vụ).
    TaskId;
    /// The assignment of a task to one unit (phân công).
    AssignmentId;
    /// A unit of the register (cơ quan, đơn vị).
    UnitId;
    /// An account.
    UserId;
    /// A periodic report request (yêu cầu báo cáo định kỳ).
    ReportRequestId;
    /// An extension request (đề nghị gia hạn).
    ExtensionRequestId;
    /// An obstacle raised to the monitor (vướng mắc).
    ObstacleId;
    /// An evidence file (minh chứng).
    EvidenceId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bare_numbers_on_the_wire() {
        assert_eq!(serde_json::to_string(&AssignmentId(42)).unwrap(), "42");
        let t: TaskId = serde_json::from_str("7").unwrap();
        assert_eq!(t.get(), 7);
        assert!(serde_json::from_str::<PlanId>("\"x\"").is_err());
    }
}
