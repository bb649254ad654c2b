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
    // Deadline cells repeat ("Thường xuyên", "Quý III/2025"); the result depends on the
    // text and the document date alone, so it is remembered (bounded).
    type Key = (String, Option<NaiveDate>);
    type Cache = std::collections::HashMap<Key, (Deadline, Vec<String>)>;
    thread_local! {
        static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::new());
    }
    let key = (text.to_string(), doc_date);
    if let Some((deadline, warnings)) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Parsed { deadline, warnings };
    }
    let p = crate::deadline::parse_deadline(text, doc_date);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(key, (p.deadline.clone(), p.warnings.clone()));
    });
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
    // Every target the parser knows names a percent, a rate ("tỷ lệ") or a count ("số
    // lượng"); skipping other text saves folding whole paragraphs.
    let cue = text.contains('%')
        || ["tỷ lệ", "Tỷ lệ", "tỉ lệ", "Tỉ lệ", "số lượng", "Số lượng"]
            .iter()
            .any(|w| text.contains(w));
    if !cue {
        return Vec::new();
    }
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
