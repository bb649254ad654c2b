//! Plan metadata from the title block above a sheet's header: the state header and
//! "Số: …" and date lines when the sheet copies them, or the appendix line "(Kèm theo Kế
//! hoạch số 615/KH-UBND ngày 25/7/2025 của UBND tỉnh)". What is not there is left for the
//! review.

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{DocumentKind, DocumentMeta};
use tinhgon_textkit::fold;

use crate::metadata;

static ATTACHED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)kèm theo\s+(?P<kind>kế hoạch|chương trình(?: hành động)?|quyết định|công văn)\s+số\s*:?\s*(?P<number>[0-9][\p{L}\d./&-]*)(?:\s*,?\s*ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}))?",
    )
    .expect("static regex")
});

/// Metadata from the title block's lines (each distinct cell of a row is a line).
pub(crate) fn meta(lines: &[String], warnings: &mut Vec<String>) -> DocumentMeta {
    let hl = metadata::header_lines(lines);
    let mut meta = DocumentMeta::default();
    if let Some((number, code)) = metadata::number(&hl) {
        meta.number = number;
        meta.kind = metadata::kind_from_code(&code);
    }
    if let Some((place, date, warning)) = metadata::place_date(&hl) {
        meta.place = Some(place);
        meta.date = date;
        warnings.extend(warning);
    }
    meta.issuer = metadata::issuer(&hl);
    let mut title_at = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if let Some(kind) = metadata::kind_from_title(t) {
            meta.kind = meta.kind.or(Some(kind));
            title_at = Some(i + 1);
            break;
        }
    }
    meta.title = match title_at {
        Some(i) => lines
            .get(i)
            .filter(|t| !fold(t).starts_with("(") && !fold(t).starts_with("so:"))
            .cloned(),
        None => lines.iter().find(|l| names_list(l)).cloned(),
    };
    if let Some(c) = lines.iter().find_map(|l| ATTACHED.captures(l)) {
        // The sheet is the appendix of that plan: its number and date are the plan's.
        meta.number = meta.number.or_else(|| {
            c.name("number")
                .map(|m| m.as_str().trim_end_matches('.').into())
        });
        meta.kind = meta.kind.or_else(|| {
            c.name("kind")
                .and_then(|k| metadata::kind_from_title(k.as_str()))
        });
        if meta.date.is_none() {
            meta.date = match (c.name("d"), c.name("m"), c.name("y")) {
                (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(
                    y.as_str().parse().unwrap_or(0),
                    m.as_str().parse().unwrap_or(0),
                    d.as_str().parse().unwrap_or(0),
                ),
                _ => None,
            };
        }
    }
    if meta.kind.is_none() && (meta.number.is_some() || meta.title.is_some()) {
        meta.kind = Some(DocumentKind::Plan);
    }
    meta
}

/// A title line of a task list ("DANH MỤC NHIỆM VỤ …", "BẢNG TỔNG HỢP …").
fn names_list(line: &str) -> bool {
    let f = fold(line);
    [
        "danh muc",
        "bang tong hop",
        "bang theo doi",
        "tong hop",
        "ke hoach ",
    ]
    .iter()
    .any(|w| f.starts_with(w))
        && line.chars().count() > 12
}
