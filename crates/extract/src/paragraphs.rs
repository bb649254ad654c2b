//! One uniform stream of logical paragraphs and tables from any [`Document`]: hard line
//! breaks undone (text taken from PDFs breaks mid-sentence, even across blank lines),
//! Markdown leftovers stripped, tables flattened one cell per line rebuilt as tables, and
//! every paragraph keeping the range of source lines it came from.

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_ingest::{Block, Document, Format, Table};
use tinhgon_textkit::fold;

use crate::flat_table;

/// A logical paragraph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    /// Text, single-spaced, without Markdown markup.
    pub text: String,
    /// First source line (0-based index into `Document::lines`).
    pub line_start: usize,
    /// Last source line (0-based, inclusive).
    pub line_end: usize,
    /// A heading: Markdown/Word heading, or a line in capitals.
    pub heading: bool,
    /// Every run bold.
    pub bold: bool,
    /// Centered.
    pub centered: bool,
}

/// One item of the stream.
#[derive(Debug, Clone)]
pub enum Item {
    /// A paragraph.
    Para(Para),
    /// A table, real or rebuilt from one-cell-per-line text.
    Table(Table),
}

/// A physical line or reader paragraph before unwrapping.
#[derive(Debug, Clone, Default)]
pub(crate) struct Raw {
    pub text: String,
    pub line: usize,
    pub line_end: usize,
    pub heading: bool,
    pub bold: bool,
    pub centered: bool,
    /// Blank lines (or rule lines) right before this one.
    pub blank_before: usize,
}

static MARKER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^(?:[IVXLC]{1,6}[.)]|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ][)]|[-–+•]|\*|Điều\s+\d+|Phần\s+[IVX\d]+|Mục\s+[IVX\d]+)(?:\s|$)",
    )
    .expect("static regex")
});
static SUP: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)<sup>\s*([^<]*)</sup>").expect("static regex"));
static TAG: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"</?[a-zA-Z][^>]{0,40}>").expect("static regex"));
static RULE: Lazy<Regex> = Lazy::new(|| Regex::new(r"^[-_=*~.\s]{3,}$").expect("static regex"));
/// A footnote text left in the body ("1 Trung tâm Y tế huyện …" after the superscript was
/// flattened): a bare number, a space, a capital, as its own paragraph.
static FOOTNOTE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^\d{1,2}\s+\p{Lu}").expect("static regex"));
static DATE_LINE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)^[^,]{2,40},\s*ngày\s*[\d.…_ ]*\s*tháng").expect("static regex"));

/// Folds only the first `n` characters: enough to test how a long text starts, without
/// folding all of it (folding is the extractor's most frequent operation).
pub fn fold_start(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((b, _)) => fold(&s[..b]),
        None => fold(s),
    }
}

/// True when the line starts with a list marker (I., 1., 1.2., a), -, +, *, Điều n).
pub fn starts_with_marker(s: &str) -> bool {
    MARKER.is_match(s.trim_start())
}

/// True when the line has at least three letters and none in lowercase.
pub fn is_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 3
}

/// Strips Markdown markup from one line; returns (text, heading level, footnote line).
fn strip_markdown(line: &str) -> (String, bool, bool) {
    let t = line.trim();
    let footnote = t.to_ascii_lowercase().starts_with("<sup>");
    let mut heading = false;
    let mut t = t.to_string();
    if t.starts_with('#') {
        let rest = t.trim_start_matches('#');
        if rest.starts_with(' ') || rest.is_empty() {
            heading = true;
            t = rest.trim().to_string();
        }
    }
    if t.contains('<') {
        t = SUP.replace_all(&t, "").into_owned();
        t = TAG.replace_all(&t, "").into_owned();
    }
    if t.contains("**") || t.contains("__") {
        t = t.replace("**", "").replace("__", "");
    }
    if t.contains('\u{a0}') {
        t = t.replace('\u{a0}', " ");
    }
    (t.trim().to_string(), heading, footnote)
}

/// Builds the stream of paragraphs and tables for a document.
pub fn stream(doc: &Document) -> Vec<Item> {
    let use_lines = matches!(doc.format, Format::Text | Format::Markdown) || doc.blocks.is_empty();
    if use_lines {
        let raws = raws_from_lines(&doc.lines);
        return unwrap_with_tables(raws);
    }
    let mut items = Vec::new();
    let mut pending: Vec<Raw> = Vec::new();
    let unwrap = doc.format == Format::Pdf;
    // A portal page converted to Markdown may carry pipe tables cut over lines, which the
    // portal reader takes for text: they are read from the page's lines instead.
    let mut pipe_tables = if doc.format == Format::WebText {
        markdown_tables(&doc.lines)
    } else {
        Vec::new()
    }
    .into_iter()
    .peekable();
    let mut covered: Option<(usize, usize)> = None;
    for (i, block) in doc.blocks.iter().enumerate() {
        let at = block_line(block);
        while let Some((first, _, _)) = pipe_tables.peek() {
            if *first > at {
                break;
            }
            if let Some((first, last, table)) = pipe_tables.next() {
                flush(&mut items, &mut pending, unwrap);
                items.push(Item::Table(table));
                if (first..=last).contains(&at) {
                    // The blocks it covers are its cells, read already.
                    covered = Some((first, last));
                }
            }
        }
        if covered.is_some_and(|(first, last)| (first..=last).contains(&at)) {
            continue;
        }
        match block {
            Block::Paragraph(p) => {
                let (text, md_heading, footnote) = strip_markdown(&p.full_text());
                if text.is_empty() || RULE.is_match(&text) || footnote {
                    continue;
                }
                // In a PDF the footnote is a paragraph after a finished sentence.
                let after_sentence = pending
                    .last()
                    .is_none_or(|r| r.text.trim_end().ends_with(['.', ';', ':', '!', '?']));
                if (!unwrap || after_sentence)
                    && FOOTNOTE.is_match(&text)
                    && text.chars().count() < 200
                {
                    continue;
                }
                let next_line = doc.blocks.get(i + 1).map(block_line);
                let line_end = block_end(doc, p.line, next_line);
                // Soft line breaks inside a paragraph: a break before a list marker or after
                // a finished sentence separates paragraphs ("6. Sở Nội vụ⏎- Chủ trì …"); one
                // in mid-sentence (text pasted from a PDF) is a space.
                let mut pieces: Vec<String> = Vec::new();
                for piece in text.split('\n').map(str::trim).filter(|x| !x.is_empty()) {
                    match pieces.last_mut() {
                        Some(prev)
                            if !starts_with_marker(piece)
                                && !prev.ends_with(['.', ':', ';', '!', '?'])
                                && !is_caps(piece)
                                && !is_caps(prev) =>
                        {
                            prev.push(' ');
                            prev.push_str(piece);
                        }
                        _ => pieces.push(piece.to_string()),
                    }
                }
                for (k, piece) in pieces.into_iter().enumerate() {
                    pending.push(Raw {
                        text: piece,
                        line: (p.line + k).min(line_end),
                        line_end: if k == 0 {
                            p.line.max(line_end)
                        } else {
                            line_end
                        },
                        heading: p.heading.is_some() || md_heading,
                        bold: p.bold,
                        centered: p.centered,
                        blank_before: 0,
                    });
                }
            }
            Block::Table(t) => {
                flush(&mut items, &mut pending, unwrap);
                items.push(Item::Table(t.clone()));
            }
        }
    }
    flush(&mut items, &mut pending, unwrap);
    items.extend(pipe_tables.map(|(_, _, t)| Item::Table(t)));
    items
}

/// Markdown pipe tables among the lines (first line, last line, table), when any line can
/// open one.
fn markdown_tables(lines: &[String]) -> Vec<(usize, usize, Table)> {
    let can_open = lines.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with('|') && t.matches('|').count() >= 4
    });
    if !can_open {
        return Vec::new();
    }
    let raws = raws_from_lines(lines);
    let mut out = Vec::new();
    let mut i = 0;
    while i < raws.len() {
        match crate::pipe_table::detect(&raws, i) {
            Some((table, next)) if next > i => {
                out.push((raws[i].line, raws[next - 1].line_end, table));
                i = next;
            }
            _ => i += 1,
        }
    }
    out
}

fn block_line(b: &Block) -> usize {
    match b {
        Block::Paragraph(p) => p.line,
        Block::Table(t) => t.line,
    }
}

/// Last line of a block: up to the line before the next block, without trailing blanks.
fn block_end(doc: &Document, start: usize, next: Option<usize>) -> usize {
    let mut end = match next {
        Some(n) if n > start => n - 1,
        _ => start,
    };
    end = end.min(doc.lines.len().saturating_sub(1)).max(start);
    while end > start && doc.lines.get(end).is_none_or(|l| l.trim().is_empty()) {
        end -= 1;
    }
    end
}

fn flush(items: &mut Vec<Item>, pending: &mut Vec<Raw>, unwrap: bool) {
    if pending.is_empty() {
        return;
    }
    let raws = std::mem::take(pending);
    if unwrap {
        items.extend(unwrap_with_tables(raws));
    } else {
        items.extend(raws.into_iter().map(|r| Item::Para(para_of(&r))));
    }
}

fn para_of(r: &Raw) -> Para {
    Para {
        text: collapse(&r.text),
        line_start: r.line,
        line_end: r.line_end,
        heading: r.heading || is_caps(&r.text),
        bold: r.bold,
        centered: r.centered,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Physical lines as raws, Markdown stripped, footnote lines dropped, blank runs counted.
pub(crate) fn raws_from_lines(lines: &[String]) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut blank = 0;
    for (i, line) in lines.iter().enumerate() {
        let (text, heading, footnote) = strip_markdown(line);
        if text.is_empty() || RULE.is_match(&text) {
            blank += 1;
            continue;
        }
        if footnote || (blank >= 1 && FOOTNOTE.is_match(&text) && text.chars().count() < 200) {
            blank = 0;
            continue;
        }
        out.push(Raw {
            text,
            line: i,
            line_end: i,
            heading,
            bold: false,
            centered: false,
            blank_before: blank,
        });
        blank = 0;
    }
    out
}

/// Rebuilds flattened tables, then joins the remaining raws into logical paragraphs.
fn unwrap_with_tables(raws: Vec<Raw>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut i = 0;
    let mut run: Vec<Raw> = Vec::new();
    while i < raws.len() {
        if let Some((table, next)) =
            flat_table::detect(&raws, i).or_else(|| crate::pipe_table::detect(&raws, i))
        {
            items.extend(unwrap(std::mem::take(&mut run)).into_iter().map(Item::Para));
            items.push(Item::Table(table));
            i = next;
            continue;
        }
        run.push(raws[i].clone());
        i += 1;
    }
    items.extend(unwrap(run).into_iter().map(Item::Para));
    items
}

/// The stream of a run of raws (tests of the table readers).
#[cfg(test)]
pub(crate) fn unwrap_with_tables_for_test(raws: Vec<Raw>) -> Vec<Item> {
    unwrap_with_tables(raws)
}

/// True when `next` continues the paragraph that ends with `cur`.
fn continues(cur: &Raw, next: &Raw) -> bool {
    let c = cur.text.trim_end();
    let n = next.text.trim_start();
    if cur.heading || next.heading || next.blank_before >= 2 {
        return false;
    }
    if c.ends_with(['.', ':', ';', '!', '?']) || c.ends_with("./.") {
        return false;
    }
    if starts_with_marker(n) || is_caps(n) || is_caps(c) {
        return false;
    }
    // A short numbered heading ("1. Sở Nội vụ", "1. Mục đích") followed by a capitalised
    // line: wrapped lines of body text are long, so this is a heading and its first paragraph.
    if starts_with_marker(c)
        && c.chars().count() < 50
        && cur.line == cur.line_end
        && n.starts_with(|ch: char| ch.is_uppercase())
    {
        return false;
    }
    let fc = fold_start(c, 12);
    let fnx = fold_start(n, 16);
    if fc.starts_with("so:") || fc.starts_with("so :") || DATE_LINE.is_match(n) {
        return false;
    }
    if fnx.starts_with("noi nhan") || fnx.starts_with("kinh gui") {
        return false;
    }
    if ["thuc hien ", "can cu ", "theo de nghi"]
        .iter()
        .any(|p| fnx.starts_with(p))
        && n.starts_with(|ch: char| ch.is_uppercase())
    {
        return false;
    }
    true
}

/// Joins raws into logical paragraphs.
pub(crate) fn unwrap(raws: Vec<Raw>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut cur: Option<Raw> = None;
    for r in raws {
        match cur.as_mut() {
            Some(c) if continues(c, &r) => {
                // A word hyphenated across the break ("tổ-\nchức") is rare in Vietnamese,
                // where hyphens join numbers ("18-\nNQ/TW"): keep the hyphen, drop the space.
                if c.text.ends_with('-') && r.text.starts_with(|ch: char| ch.is_ascii_uppercase()) {
                    c.text.push_str(r.text.trim());
                } else {
                    c.text.push(' ');
                    c.text.push_str(r.text.trim());
                }
                c.line_end = r.line_end;
            }
            _ => {
                if let Some(c) = cur.take() {
                    out.push(para_of(&c));
                }
                cur = Some(r);
            }
        }
    }
    if let Some(c) = cur {
        out.push(para_of(&c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    fn texts(s: &str) -> Vec<String> {
        unwrap(raws_from_lines(&lines(s)))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn joins_hard_breaks_and_blank_lines_inside_sentences() {
        let t = texts("Thực hiện Kế hoạch số 191-KH/TU của Ban \n\nThường vụ Tỉnh ủy như sau: \n\nI. MỤC ĐÍCH\n1. Mục đích \nTiếp tục đẩy mạnh, \nhoàn thiện.");
        assert_eq!(
            t,
            [
                "Thực hiện Kế hoạch số 191-KH/TU của Ban Thường vụ Tỉnh ủy như sau:",
                "I. MỤC ĐÍCH",
                "1. Mục đích",
                "Tiếp tục đẩy mạnh, hoàn thiện."
            ]
        );
    }

    #[test]
    fn list_markers_and_headers_break() {
        let t = texts("Số: 615/KH-UBND\nNghệ An, ngày 25 tháng 7 năm 2025\n1. Sở Nội vụ\n- Chủ trì rà soát\n- Báo cáo");
        assert_eq!(t.len(), 5);
        assert_eq!(t[2], "1. Sở Nội vụ");
    }

    #[test]
    fn a_portal_page_keeps_its_wrapped_pipe_table() {
        let page = "|\nỦY BAN NHÂN DÂN\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n|\nSố: 12/KH-UBND\n|\nngày 01 tháng 12 năm 2025\n|\n\nKẾ HOẠCH\n\n| TT | Nội dung | Cơ quan chủ trì | Thời gian | |\n|\n| I. Văn bản |\n| |||\n| | Rà soát quy chế | Sở Nội vụ\n| Quý I/2026 | |\n| Báo cáo kết quả | Sở Tài chính |\n| Tháng 6/2026 | |\n\nNơi nhận:\n";
        let doc = tinhgon_ingest::read(page.as_bytes(), Some("trang.md")).expect("a page");
        assert_eq!(doc.format, Format::WebText);
        let tables: Vec<Table> = stream(&doc)
            .into_iter()
            .filter_map(|i| match i {
                Item::Table(t) if !t.layout => Some(t),
                _ => None,
            })
            .collect();
        let rows: Vec<Vec<String>> = tables
            .iter()
            .flat_map(|t| t.rows.iter())
            .map(|r| r.cells.iter().map(tinhgon_ingest::Cell::text).collect())
            .collect();
        assert!(rows.contains(&vec![
            String::new(),
            "Rà soát quy chế".to_string(),
            "Sở Nội vụ".to_string(),
            "Quý I/2026".to_string()
        ]));
    }

    /// Lines of portal pages: lone pipes, pipe rows cut anywhere, emphasis, headings, text.
    const PAGE_LINES: &[&str] = &[
        "|",
        "| |||",
        "| ||",
        "",
        "** **",
        "**KẾ HOẠCH**",
        "Đang tải văn bản...",
        "| TT | Nội dung | Cơ quan chủ trì | Thời gian | |",
        "| | Rà soát | Sở Nội vụ",
        "| Quý I/2026 | |",
        "Ban E (F phối hợp) |",
        "| I. Văn bản |",
        "| 1 | A | B | C |",
        "|---|---|",
        "1. Sở Nội vụ chủ trì rà soát,",
        "báo cáo UBND tỉnh.",
        "[1] Chú thích",
        "Nơi nhận:",
        "- Như trên;",
        "Số: 12/KH-UBND",
        "| Tên văn bản | Tiến độ |",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PAGE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128)
        ))]
        #[test]
        fn any_portal_page_streams_without_panic(
            lines in proptest::collection::vec(proptest::sample::select(PAGE_LINES), 0..40),
        ) {
            let page = lines.join("\n");
            if let Ok(doc) = tinhgon_ingest::read(page.as_bytes(), Some("trang.md")) {
                let items = stream(&doc);
                for item in items {
                    if let Item::Para(p) = item {
                        proptest::prop_assert!(p.line_start <= p.line_end);
                    }
                }
            }
        }
    }

    #[test]
    fn markdown_is_stripped_and_lines_kept() {
        let p = unwrap(raws_from_lines(&lines(
            "## KẾ HOẠCH\n\n**Triển khai Kết luận**\n\nlại<sup>1</sup> xong.\n\n<sup>1</sup> Chú thích",
        )));
        assert_eq!(p[0].text, "KẾ HOẠCH");
        assert!(p[0].heading);
        assert_eq!(p[1].text, "Triển khai Kết luận lại xong.");
        assert_eq!((p[1].line_start, p[1].line_end), (2, 4));
        assert_eq!(p.len(), 2);
    }
}
