//! Paging of a long table (the leader's task list has 898 rows for 615/KH-UBND): which rows a
//! page shows and the links of the pager, each keeping the page's other query parameters.

use crate::error::{WebError, WebResult};

/// Rows per page.
pub const PER_PAGE: usize = 50;

/// One link of the pager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Shown text ("1", "…", "‹ Trước", "Sau ›").
    pub label: String,
    /// Target; empty for the current page and the gaps.
    pub href: String,
    /// The page shown now.
    pub current: bool,
}

/// A page of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// Page shown, from 1.
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
    /// Rows in all.
    pub total: usize,
    /// First row shown (index from 0).
    pub start: usize,
    /// One past the last row shown.
    pub end: usize,
    /// Links (empty when everything fits on one page).
    pub links: Vec<PageLink>,
}

impl Pager {
    /// "Hiển thị 51–100 trên 898 nhiệm vụ".
    pub fn summary(&self) -> String {
        if self.total == 0 {
            return String::new();
        }
        format!(
            "Hiển thị {}–{} trên {}",
            self.start + 1,
            self.end,
            self.total
        )
    }
}

/// Reads `?page=`: absent or empty is page 1; anything but a positive number is refused with
/// a Vietnamese 400.
pub fn parse_page(raw: Option<&str>) -> WebResult<usize> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(s) => s.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Số trang \"{s}\" không hợp lệ; hãy dùng số trang từ 1 trở lên."
            ))
        }),
    }
}

/// The page `page` of `total` rows (a page past the end shows the last one). `base` is the
/// link without the page, ending in `?` or `&` (e.g. `/plans/1/report?as_of=15/09/2025&`);
/// `anchor` is appended to every link (e.g. `#tasks`).
pub fn paginate(total: usize, page: usize, base: &str, anchor: &str) -> Pager {
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let start = ((page - 1) * PER_PAGE).min(total);
    let end = (start + PER_PAGE).min(total);
    let href = |p: usize| format!("{base}page={p}{anchor}");
    let mut links = Vec::new();
    if pages > 1 {
        if page > 1 {
            links.push(PageLink {
                label: "‹ Trước".into(),
                href: href(page - 1),
                current: false,
            });
        }
        let mut last_shown = 0;
        for p in 1..=pages {
            // The first, the last, and two on each side of the current page.
            let near = p + 2 >= page && p <= page + 2;
            if p != 1 && p != pages && !near {
                continue;
            }
            if last_shown != 0 && p > last_shown + 1 {
                links.push(PageLink {
                    label: "…".into(),
                    href: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                label: p.to_string(),
                href: if p == page { String::new() } else { href(p) },
                current: p == page,
            });
            last_shown = p;
        }
        if page < pages {
            links.push(PageLink {
                label: "Sau ›".into(),
                href: href(page + 1),
                current: false,
            });
        }
    }
    Pager {
        page,
        pages,
        total,
        start,
        end,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_898_rows() {
        let p = paginate(898, 1, "/r?as_of=15/09/2025&", "#tasks");
        assert_eq!((p.pages, p.start, p.end), (18, 0, 50));
        let labels: Vec<&str> = p.links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["1", "2", "3", "…", "18", "Sau ›"]);
        assert_eq!(p.links[1].href, "/r?as_of=15/09/2025&page=2#tasks");
        assert!(p.links[0].current && p.links[0].href.is_empty());
        assert_eq!(p.summary(), "Hiển thị 1–50 trên 898");

        let p = paginate(898, 18, "/r?", "");
        assert_eq!((p.start, p.end), (850, 898));
        let labels: Vec<&str> = p.links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["‹ Trước", "1", "…", "16", "17", "18"]);

        let p = paginate(898, 9, "/r?", "");
        let labels: Vec<&str> = p.links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "‹ Trước",
                "1",
                "…",
                "7",
                "8",
                "9",
                "10",
                "11",
                "…",
                "18",
                "Sau ›"
            ]
        );
    }

    #[test]
    fn every_row_is_on_exactly_one_page() {
        for total in [0usize, 1, 49, 50, 51, 100, 898] {
            let p1 = paginate(total, 1, "?", "");
            let mut seen = 0;
            for page in 1..=p1.pages {
                let p = paginate(total, page, "?", "");
                assert_eq!(p.start, seen, "{total} rows, page {page}");
                assert!(p.end - p.start <= PER_PAGE);
                seen = p.end;
            }
            assert_eq!(seen, total);
        }
    }

    #[test]
    fn past_the_end_shows_the_last_page_and_one_page_has_no_links() {
        let p = paginate(120, 99, "?", "");
        assert_eq!((p.page, p.start, p.end), (3, 100, 120));
        assert!(paginate(50, 1, "?", "").links.is_empty());
        assert!(paginate(0, 1, "?", "").links.is_empty());
    }

    #[test]
    fn page_numbers_are_checked() {
        assert_eq!(parse_page(None).unwrap(), 1);
        assert_eq!(parse_page(Some("")).unwrap(), 1);
        assert_eq!(parse_page(Some("7")).unwrap(), 7);
        for bad in ["0", "-1", "abc", "1.5", "99999999999999999999999"] {
            assert!(matches!(
                parse_page(Some(bad)),
                Err(WebError::BadRequest(m)) if m.contains("Số trang")
            ));
        }
    }
}
