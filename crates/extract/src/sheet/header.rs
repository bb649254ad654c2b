//! The header row of a task sheet, found by its Vietnamese column titles anywhere in the
//! first rows (a title block usually sits above it), with a second header row refining a
//! merged group title ("Cơ quan thực hiện" over "Chủ trì | Phối hợp").

use tinhgon_ingest::sheet::Sheet;
use tinhgon_textkit::fold;

use crate::tasks::table::{column_of, Column};

/// How far down a header row is looked for.
const SEARCH_ROWS: usize = 40;

/// What a sheet column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    /// STT / TT.
    Number,
    /// Số ký hiệu / Mục / Mã nhiệm vụ: the task's reference.
    Reference,
    /// Nội dung nhiệm vụ.
    Content,
    /// Cơ quan chủ trì.
    Lead,
    /// Cơ quan phối hợp.
    Coordinating,
    /// Thời hạn / Thời gian hoàn thành.
    Deadline,
    /// Tiến độ / Kết quả thực hiện / Tình hình thực hiện.
    Progress,
    /// Sản phẩm.
    Deliverable,
}

/// Classifies a header title. Progress titles are told apart from the deadline and
/// deliverable titles they share words with ("Tiến độ hoàn thành" is a deadline, "Kết quả
/// thực hiện" a progress report, "Sản phẩm, kết quả" a deliverable).
pub(crate) fn classify(title: &str) -> Option<Col> {
    let f = fold(title).split_whitespace().collect::<Vec<_>>().join(" ");
    let f = f.trim_end_matches(['.', ':', '*']).trim();
    if matches!(
        f,
        "muc"
            | "ma"
            | "ma so"
            | "ma nv"
            | "ma nhiem vu"
            | "so ky hieu"
            | "ky hieu"
            | "so hieu"
            | "ky hieu nhiem vu"
            | "so hieu nhiem vu"
    ) {
        return Some(Col::Reference);
    }
    let progress = (f.starts_with("tien do") && !f.contains("hoan thanh"))
        || f.contains("tinh hinh")
        || f.starts_with("ket qua thuc hien")
        || f.starts_with("ket qua trien khai")
        || f.starts_with("ket qua dat duoc")
        || f.starts_with("danh gia");
    if progress {
        return Some(Col::Progress);
    }
    Some(match column_of(f)? {
        Column::Number => Col::Number,
        Column::Content => Col::Content,
        Column::Lead => Col::Lead,
        Column::Coordinating => Col::Coordinating,
        Column::Deadline => Col::Deadline,
        Column::Deliverable => Col::Deliverable,
        Column::Note => return None,
    })
}

/// The header found: its last row, the first data row, and the column of each role.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// First header row (0-based); rows above it are the title block.
    pub first: usize,
    /// First row after the header.
    pub data: usize,
    /// (column, role), the first column of each role only.
    pub cols: Vec<(usize, Col)>,
    /// Folded header texts per column, to skip repeated header rows.
    pub texts: Vec<String>,
}

impl Header {
    /// The column holding `role`.
    pub fn col(&self, role: Col) -> Option<usize> {
        self.cols.iter().find(|(_, r)| *r == role).map(|(c, _)| *c)
    }
}

fn roles_of(sheet: &Sheet, row: usize, width: usize) -> Vec<(usize, Col)> {
    let mut out: Vec<(usize, Col)> = Vec::new();
    for c in 0..width {
        if let Some(role) = classify(sheet.value(row, c)) {
            if !out.iter().any(|(_, r)| *r == role) {
                out.push((c, role));
            }
        }
    }
    out
}

/// Distinct non-empty texts of a row (a merged title spanning the row counts once).
fn distinct(sheet: &Sheet, row: usize, width: usize) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for c in 0..width {
        let v = sheet.value(row, c);
        if !v.is_empty() && !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.len()
}

/// Finds the header: the first row naming a content column and a lead column.
pub(crate) fn find(sheet: &Sheet) -> Option<Header> {
    let width = sheet.width();
    for r in 0..sheet.rows.len().min(SEARCH_ROWS) {
        if distinct(sheet, r, width) < 2 {
            continue;
        }
        let mut cols = roles_of(sheet, r, width);
        let has = |cols: &[(usize, Col)], role| cols.iter().any(|(_, x)| *x == role);
        if !(has(&cols, Col::Content) && has(&cols, Col::Lead)) {
            continue;
        }
        let mut data = r + 1;
        if let Some(sub) = subheader(sheet, r + 1, width) {
            for (c, role) in sub {
                cols.retain(|(cc, rr)| *cc != c && *rr != role);
                cols.push((c, role));
            }
            cols.sort_by_key(|(c, _)| *c);
            data = r + 2;
        }
        let texts = (0..width).map(|c| fold(sheet.value(r, c))).collect();
        return Some(Header {
            first: r,
            data,
            cols,
            texts,
        });
    }
    None
}

/// The roles of a second header row, when every cell it has of its own is a header title
/// (cells merged down from the first header row are not its own).
fn subheader(sheet: &Sheet, row: usize, width: usize) -> Option<Vec<(usize, Col)>> {
    let own: Vec<usize> = (0..width)
        .filter(|&c| !sheet.own(row, c).is_empty() && !sheet.is_merge_copy(row, c))
        .collect();
    if own.is_empty() {
        return None;
    }
    let roles: Vec<(usize, Col)> = own
        .iter()
        .filter_map(|&c| classify(sheet.own(row, c)).map(|r| (c, r)))
        .collect();
    (roles.len() == own.len()).then_some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_of_real_sheets() {
        for (t, want) in [
            ("Nội dung nhiệm vụ", Col::Content),
            ("Nhiệm vụ", Col::Content),
            ("Cơ quan chủ trì", Col::Lead),
            ("Đơn vị chủ trì", Col::Lead),
            ("Cơ quan phối hợp", Col::Coordinating),
            ("Thời hạn", Col::Deadline),
            ("Thời gian hoàn thành", Col::Deadline),
            ("Tiến độ hoàn thành", Col::Deadline),
            ("Tiến độ", Col::Progress),
            ("Kết quả thực hiện", Col::Progress),
            ("Tình hình thực hiện", Col::Progress),
            ("Số ký hiệu", Col::Reference),
            ("Mục", Col::Reference),
            ("STT", Col::Number),
            ("Sản phẩm", Col::Deliverable),
        ] {
            assert_eq!(classify(t), Some(want), "{t}");
        }
        assert_eq!(classify("Ghi chú"), None);
    }
}
