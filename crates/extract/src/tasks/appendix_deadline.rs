//! A deadline the body gives once for a whole appendix ("xử lý các kiến nghị … (Phụ lục
//! kèm theo), hoàn thành trước ngày 15/12/2025"): the appendix rows are that duty broken
//! down, so a row that states no deadline of its own is due when the duty is.

use tinhgon_domain::{DeadlineKind, TaskDraft};

use crate::paragraphs::fold_start;

/// Gives the appendix rows without a deadline the deadline of the one body duty that
/// refers to the appendix, when there is exactly one such deadline.
pub(crate) fn carry(tasks: &mut [TaskDraft]) {
    let mut found = None;
    for t in tasks.iter() {
        // Only a one-off date: a recurring report date ("trước ngày 15/11 hằng năm") is
        // the reporting rule, not when the appendix's work is due.
        if t.source.layout == "appendix_table" || t.deadline.kind != DeadlineKind::By {
            continue;
        }
        let f = fold_start(&t.content, 2000);
        if !(f.contains("phu luc kem theo") || f.contains("(phu luc")) {
            continue;
        }
        match &found {
            None => found = Some(t.deadline.clone()),
            // Two duties pointing at appendices with different deadlines: which row
            // belongs to which is not written, so none is guessed.
            Some(d) if *d != t.deadline => return,
            Some(_) => {}
        }
    }
    let Some(deadline) = found else { return };
    for t in tasks.iter_mut() {
        if t.source.layout == "appendix_table" && t.deadline.kind == DeadlineKind::Unspecified {
            t.deadline = deadline.clone();
        }
    }
}
