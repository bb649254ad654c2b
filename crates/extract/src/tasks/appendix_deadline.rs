//! Deadlines given once for many duties.
//!
//! A deadline the body gives once for a whole appendix ("xử lý các kiến nghị … (Phụ lục
//! kèm theo), hoàn thành trước ngày 15/12/2025"): the appendix rows are that duty broken
//! down, so a row that states no deadline of its own is due when the duty is.

use chrono::NaiveDate;
use tinhgon_domain::{DeadlineKind, TaskDraft};

use crate::paragraphs::{fold_start, Para};

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

/// A letter's closing sentence that sets one date for everything above it ("… khẩn trương
/// chỉ đạo thực hiện, bảo đảm đến hết tháng 12 năm 2025 giải quyết dứt điểm … về 04 nội
/// dung nêu trên./."): the duties listed above without a deadline of their own are due
/// then.
pub(crate) fn carry_closing(tasks: &mut [TaskDraft], paras: &[Para], doc_date: Option<NaiveDate>) {
    let Some(last) = tasks.iter().map(|t| t.source.line_start).max() else {
        return;
    };
    // Source spans are 1-based, paragraph lines 0-based.
    let closing = paras
        .iter()
        .filter(|p| p.line_start + 1 >= last)
        .take_while(|p| !fold_start(&p.text, 10).starts_with("noi nhan"))
        .find(|p| {
            let f = fold_start(&p.text, 2000);
            ["neu tren", "tren day", "noi dung tren"]
                .iter()
                .any(|w| f.contains(w))
        });
    let Some(closing) = closing else { return };
    let Some(parsed) = crate::deadline_entry::in_prose(&closing.text, doc_date) else {
        return;
    };
    if parsed.deadline.kind != DeadlineKind::By {
        return;
    }
    for t in tasks.iter_mut() {
        if t.deadline.kind == DeadlineKind::Unspecified && t.source.line_start <= closing.line_start
        {
            t.deadline = parsed.deadline.clone();
        }
    }
}
