//! The domain's error type: every message is Vietnamese and shown to users as is.

use thiserror::Error;

use crate::assignment::Status;
use crate::model::Id;
use crate::user::Role;
use crate::workflow::Action;

/// A rule of the domain was broken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// The action is not possible from the current status.
    #[error("không thể {action} khi nhiệm vụ đang ở trạng thái \"{status}\"", action = .action.label_vi(), status = .status.label_vi())]
    InvalidTransition {
        /// Current status.
        status: Status,
        /// Attempted action.
        action: Action,
    },
    /// Confirming needs a proposal first.
    #[error("không thể xác nhận hoàn thành khi đơn vị chưa đề nghị")]
    NotProposed,
    /// The role may not perform the action.
    #[error("vai trò \"{role}\" không có quyền {action}", role = .role.label_vi(), action = .action.label_vi())]
    Forbidden {
        /// Actor's role.
        role: Role,
        /// Attempted action.
        action: Action,
    },
    /// A unit named by an event does not exist on the event's date.
    #[error("đơn vị \"{name}\" không tồn tại vào ngày {date}")]
    UnitNotValid {
        /// Unit.
        id: Id,
        /// Its name, or the id as text when unknown.
        name: String,
        /// Date, dd/mm/yyyy.
        date: String,
    },
    /// An event is malformed (e.g. no successor for a merge).
    #[error("sự kiện sắp xếp không hợp lệ: {0}")]
    InvalidEvent(String),
    /// Several successors and the monitor did not choose one for an assignment.
    #[error("nhiệm vụ {assignment_id} của đơn vị {from_unit} cần chọn đơn vị tiếp nhận trong số {candidates:?}")]
    SuccessorChoiceMissing {
        /// Assignment.
        assignment_id: Id,
        /// Unit that ceased.
        from_unit: Id,
        /// Possible successors.
        candidates: Vec<Id>,
    },
    /// The chosen successor is not one of the event's successors.
    #[error("đơn vị {chosen} không phải là đơn vị kế thừa của sự kiện sắp xếp")]
    SuccessorNotInEvent {
        /// The choice.
        chosen: Id,
    },
    /// A progress percentage outside 0–100.
    #[error("tỷ lệ hoàn thành phải từ 0 đến 100, nhận được {0}")]
    InvalidPercent(i64),
}
