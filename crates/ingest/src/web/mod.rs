//! Text of a legal portal page, saved as text or Markdown (what a converter such as
//! trafilatura or a browser's copy gives): hard-wrapped lines, emphasis markers anywhere,
//! tables one cell per line between `|` lines, and the portal's own page around the
//! document. Recognised from its content, whatever the file is called.

mod chrome;
mod inline;
mod join;
mod table;

use crate::{Block, Document, Format, IngestError, Paragraph};
use join::{Line, Mode};

/// True when the text carries the marks of a portal page: lines holding only `|` (the
/// flattened tables, the state header among them), the portal's loading notice, or
/// emphasis opened on one line and closed on another.
pub(crate) fn looks_like_web_text(text: &str) -> bool {
    let mut pipes = 0;
    let mut split_emphasis = 0;
    for line in text.lines().take(4000) {
        let t = line.trim();
        if t == "|" {
            pipes += 1;
        } else if t.starts_with("Đang tải văn bản") {
            return true;
        } else if (t.starts_with('*') && !t.starts_with("* ") && t.matches('*').count() % 2 == 1)
            || t == "** **"
        {
            split_emphasis += 1;
        }
    }
    pipes >= 4 || split_emphasis >= 3
}

/// Reads decoded portal text.
pub(crate) fn read(text: &str) -> Result<Document, IngestError> {
    let lines = crate::text::split_lines(text);
    let body = chrome::body(&lines);
    let mode = mode_of(&lines[body.start..body.end]);
    let mut blocks = Vec::new();
    let mut i = body.start;
    while i < body.end {
        if lines[i].trim() == "|" {
            let (t, next) = table::parse(&lines, i, body.end);
            if t.rows
                .iter()
                .any(|r| r.cells.iter().any(|c| !c.paragraphs.is_empty()))
            {
                blocks.push(Block::Table(t));
            }
            i = next.max(i + 1);
            continue;
        }
        let s = i;
        while i < body.end && lines[i].trim() != "|" {
            i += 1;
        }
        let run: Vec<Line<'_>> = (s..i)
            .map(|index| Line {
                index,
                raw: lines[index].as_str(),
            })
            .collect();
        for j in join::join(&run, mode) {
            if is_footnote(&lines[j.line]) {
                continue;
            }
            blocks.push(Block::Paragraph(Paragraph {
                text: j.text,
                label: None,
                bold: j.bold,
                heading: j.heading,
                centered: false,
                line: j.line,
            }));
        }
    }
    if blocks.is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(Document {
        format: Format::WebText,
        lines,
        blocks,
        warnings: Vec::new(),
        facts: body.facts,
    })
}

/// A footnote's own text at the end of the page ("[1] Công văn số …").
fn is_footnote(raw: &str) -> bool {
    let t = raw
        .trim_start()
        .trim_start_matches('*')
        .trim_start_matches('\\');
    t.strip_prefix('[').is_some_and(|r| {
        let d = r.chars().take_while(char::is_ascii_digit).count();
        (1..=3).contains(&d) && r[d..].starts_with(']')
    })
}

/// Pages either separate paragraphs with blank lines or not at all; outside the tables,
/// one blank line for every ten lines of text says which.
fn mode_of(lines: &[String]) -> Mode {
    let blank = lines.iter().filter(|l| l.trim().is_empty()).count();
    let text = lines
        .iter()
        .filter(|l| !l.trim().is_empty() && l.trim() != "|")
        .count();
    if blank * 10 >= text {
        Mode::Blank
    } else {
        Mode::Dense
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_portal_page_becomes_paragraphs_and_tables() {
        let page = "|\n**ỦY BAN NHÂN DÂN\n**\nTỈNH BẮC NINH\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n|\n|\nSố: 144/KH-UBND\n|\n*Bắc Ninh, ngày 24\ntháng 11 năm 2025*\n|\n\n** **\n\n**KẾ HOẠCH**\n\n1. Sở Nội vụ chủ trì rà soát[1], báo\ncáo UBND tỉnh.\n\n[1] Chú thích\n";
        assert!(looks_like_web_text(page));
        let doc = read(page).unwrap();
        let paras: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.as_str()),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(
            paras,
            [
                "KẾ HOẠCH",
                "1. Sở Nội vụ chủ trì rà soát, báo cáo UBND tỉnh."
            ]
        );
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("the header is a table")
        };
        assert!(t.layout);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells[0].text(), "Số: 144/KH-UBND");
        assert_eq!(doc.lines.len(), page.lines().count());
    }

    #[test]
    fn plain_plans_are_not_portal_text() {
        assert!(!looks_like_web_text(
            "KẾ HOẠCH\n1. Sở Nội vụ\n- Chủ trì\n| TT | Nội dung |\n"
        ));
    }
}
