//! Quantitative targets a plan sets ("giảm tối thiểu 20% công chức, viên chức …").

use chrono::NaiveDate;
use tinhgon_domain::Target;

/// Finds the quantitative targets stated in `text`; `task_ref` is left for the caller.
pub fn find_targets(text: &str, doc_date: Option<NaiveDate>) -> Vec<Target> {
    let _ = (text, doc_date);
    Vec::new()
}
