//! The one place the task extractors get deadlines and targets from. It forwards to the
//! deadline parser (`deadline.rs`, `target.rs`) and keeps the extractors independent of
//! its internals.

use chrono::NaiveDate;
use tinhgon_domain::{Deadline, DeadlineKind, Target};
use tinhgon_textkit::fold;

/// A parsed deadline phrase and what the parser noticed.
pub struct Parsed {
    /// The structured deadline.
    pub deadline: Deadline,
    /// Warnings (Vietnamese), e.g. a date that does not exist.
    pub warnings: Vec<String>,
}

/// Parses the text of a deadline cell or clause.
pub fn parse(text: &str, doc_date: Option<NaiveDate>) -> Parsed {
    let p = crate::deadline::parse_deadline(text, doc_date);
    Parsed {
        deadline: p.deadline,
        warnings: p.warnings,
    }
}

/// Finds a deadline phrase inside a sentence of prose, if any.
pub fn in_prose(text: &str, doc_date: Option<NaiveDate>) -> Option<Parsed> {
    crate::deadline::find_deadline_in_prose(text, doc_date).map(|p| Parsed {
        deadline: p.deadline,
        warnings: p.warnings,
    })
}

/// Quantitative targets stated in a piece of text.
pub fn targets(text: &str, doc_date: Option<NaiveDate>) -> Vec<Target> {
    crate::target::find_targets(text, doc_date)
}

/// True when a table cell reads as a deadline rather than an agency list.
pub fn looks_like_deadline(text: &str) -> bool {
    if parse(text, None).deadline.kind != DeadlineKind::Unspecified {
        return true;
    }
    let f = fold(text);
    [
        "thuong xuyen",
        "hang ",
        "hàng ",
        "dinh ky",
        "quy ",
        "thang ",
        "nam 20",
        "truoc ",
        "trong ",
        "sau khi",
        "theo ke hoach",
        "theo chi dao",
        "theo yeu cau",
        "khi co",
        "hoan thanh",
        "xong ",
        "trinh ",
        "tu nam",
        "giai doan",
        "den nam",
        "lien tuc",
    ]
    .iter()
    .any(|p| f.starts_with(p))
}
