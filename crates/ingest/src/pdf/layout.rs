//! One idea, kept in one file: the layout pass from placed glyphs to lines, tables and paragraphs.
//!
//! From placed glyphs to lines, tables and paragraphs.
//!
//! 1. Glyphs are grouped into lines by baseline and sorted by x; a gap wider than about a
//!    character inserts a space, a gap wider than [`CHUNK_GAP`] ems splits the line into
//!    chunks (text in different table columns).
//! 2. Page furniture goes: a lone number at the top or bottom of a page, and the first or
//!    last line when it repeats (digits aside) on most pages.
//! 3. Runs of lines with two or more chunks whose starts line up form a table; rows start
//!    where the narrow first column (TT) has text, or at a wider vertical gap. A table that
//!    goes on at the top of the next page is continued, and its repeated header row dropped.
//! 4. The other lines are unwrapped into paragraphs: a line ends its paragraph when it ends
//!    a sentence, stops short of the right margin, is followed by a list marker, an indented
//!    first line, a change between capitals and lower case, a wider gap or a size change;
//!    a following line that starts in lower case always continues. A hyphen glued to the
//!    line end is kept and the next line joined without a space ("18-" + "NQ/TW").

use crate::clean::{is_caps_line, starts_with_list_marker};
use crate::{clean, Block, Cell, Paragraph, Row, Table};

use super::content::{Glyph, Rule};

/// Lines kept per page.
const MAX_LINES: usize = 3_000;
/// Horizontal gap, in ems, that separates table columns rather than words.
const CHUNK_GAP: f64 = 0.9;
/// Gap, in ems, from the last visible glyph across blank glyphs that separates columns.
const BLANK_GAP: f64 = 2.5;
/// Horizontal gap, in ems, that stands for a space between words.
const SPACE_GAP: f64 = 0.15;

#[derive(Debug, Clone)]
struct Chunk {
    text: String,
    x0: f64,
    x1: f64,
}

/// One line of text on a page.
#[derive(Debug, Clone)]
pub struct Line {
    chunks: Vec<Chunk>,
    /// Every glyph is in a bold font.
    bold: bool,
    /// Whole line text.
    pub text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    page: usize,
}

/// Groups one page's glyphs into lines, top to bottom; vertical rules split columns.
pub fn lines(mut glyphs: Vec<Glyph>, rules: &[Rule], page: usize) -> Vec<Line> {
    glyphs.retain(|g| g.size > 0.1 && g.size < 500.0);
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    let mut base = f64::NAN;
    for g in glyphs {
        let tol = 0.4 * g.size.max(1.0);
        match groups.last_mut() {
            Some(cur) if (base - g.y).abs() <= tol => cur.push(g),
            _ => {
                base = g.y;
                groups.push(vec![g]);
            }
        }
    }
    // A real page has under a hundred lines; the cap bounds the table search below.
    groups.truncate(MAX_LINES);
    groups
        .into_iter()
        .filter_map(|mut gs| {
            gs.sort_by(|a, b| a.x.total_cmp(&b.x));
            line_from(gs, rules, page)
        })
        .collect()
}

fn line_from(gs: Vec<Glyph>, rules: &[Rule], page: usize) -> Option<Line> {
    let size = median(gs.iter().map(|g| g.size).collect()).max(1.0);
    let base = median(gs.iter().map(|g| g.y).collect());
    let y = gs.iter().map(|g| g.y).fold(f64::NEG_INFINITY, f64::max);
    let walls: Vec<f64> = rules
        .iter()
        .filter(|r| r.vertical && r.from - 0.5 * size <= y && y <= r.to + 0.5 * size)
        .map(|r| r.at)
        .collect();
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut prev: Option<&Glyph> = None;
    let mut ink_end = f64::NEG_INFINITY;
    for g in &gs {
        if let Some(p) = prev {
            // Fake bold: the same glyph printed twice at almost the same place.
            if p.text == g.text && (g.x - p.x).abs() < 0.2 * size {
                continue;
            }
        }
        let blank = g.text.trim().is_empty();
        // A footnote marker: a small raised digit glued to the word before ("lại¹").
        let marker = g.size < 0.85 * size
            && g.y > base + 0.15 * size
            && g.text.chars().all(|c| c.is_ascii_digit() || c == '*')
            && prev.is_some_and(|p| !p.text.trim().is_empty())
            && g.x - ink_end < SPACE_GAP * size;
        if marker {
            // Skipped, but its room is not a gap between words.
            if let Some(c) = chunks.last_mut() {
                c.x1 = c.x1.max(g.x + g.w);
            }
            ink_end = g.x + g.w;
            continue;
        }
        match (prev, chunks.last_mut()) {
            (Some(p), Some(c)) => {
                let gap = g.x - c.x1.max(p.x + p.w.min(size));
                // Word pads columns with spaces and tabs: a very wide stretch of blanks
                // separates columns as well as empty space does.
                let padded = g.x - ink_end > BLANK_GAP * size;
                let walled = walls.iter().any(|&w| w > ink_end - 0.5 && w < g.x + 0.5);
                if (gap > CHUNK_GAP * size || padded || walled) && !blank {
                    chunks.push(Chunk {
                        text: g.text.clone(),
                        x0: g.x,
                        x1: g.x + g.w,
                    });
                } else {
                    if gap > SPACE_GAP * size && !c.text.ends_with(' ') && !g.text.starts_with(' ')
                    {
                        c.text.push(' ');
                    }
                    c.text.push_str(&g.text);
                    if !blank {
                        c.x1 = c.x1.max(g.x + g.w);
                    }
                }
            }
            _ => {
                if blank {
                    continue;
                }
                chunks.push(Chunk {
                    text: g.text.clone(),
                    x0: g.x,
                    x1: g.x + g.w,
                });
            }
        }
        if !blank {
            ink_end = g.x + g.w;
        }
        prev = Some(g);
    }
    for c in &mut chunks {
        c.text = clean::inline(&c.text);
    }
    chunks.retain(|c| !c.text.is_empty());
    let first = chunks.first()?;
    let last = chunks.last()?;
    let bold = gs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .all(|g| g.bold);
    Some(Line {
        bold,
        text: chunks
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        x0: first.x0,
        x1: last.x1,
        y,
        size,
        page,
        chunks,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn is_page_number(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let t = t
        .strip_prefix("Trang ")
        .or_else(|| t.strip_prefix("trang "))
        .unwrap_or(t);
    let core = t.split('/').next().unwrap_or(t).trim();
    !core.is_empty()
        && core.len() <= 4
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
}

fn furniture_key(t: &str) -> String {
    t.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Removes page numbers and running headers/footers from every page.
pub fn remove_furniture(pages: &mut [Vec<Line>]) {
    for lines in pages.iter_mut() {
        if lines.last().is_some_and(|l| is_page_number(&l.text)) {
            lines.pop();
        }
        if lines.first().is_some_and(|l| is_page_number(&l.text)) {
            lines.remove(0);
        }
    }
    let n = pages.len();
    if n < 2 {
        return;
    }
    let need = ((n as f64) * 0.6).ceil().max(2.0) as usize;
    for edge in [true, false] {
        let mut counts = std::collections::HashMap::new();
        for lines in pages.iter() {
            let l = if edge { lines.first() } else { lines.last() };
            if let Some(l) = l {
                *counts.entry(furniture_key(&l.text)).or_insert(0usize) += 1;
            }
        }
        for lines in pages.iter_mut() {
            let l = if edge { lines.first() } else { lines.last() };
            // A repeated table header row (three or more columns) is not a running header;
            // the table reader drops its repeats itself.
            let repeated = l.is_some_and(|l| {
                l.chunks.len() < 3
                    && counts.get(&furniture_key(&l.text)).copied().unwrap_or(0) >= need
            });
            if repeated {
                if edge {
                    lines.remove(0);
                } else {
                    lines.pop();
                }
            }
        }
    }
}

/// A piece of page content in order.
enum Item {
    Line(Line),
    Table(Grid),
}

/// A detected table before it becomes a [`Table`].
struct Grid {
    bands: Vec<(f64, f64)>,
    rows: Vec<Vec<Vec<Line>>>,
    page: usize,
    at_top: bool,
}

/// Merges overlapping x-intervals into column bands.
fn merge_bands(mut spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 + 1.0 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Bands widened by a line's chunks.
fn grow(bands: Vec<(f64, f64)>, l: &Line) -> Vec<(f64, f64)> {
    merge_bands(
        bands
            .into_iter()
            .chain(l.chunks.iter().map(|c| (c.x0, c.x1)))
            .collect(),
    )
}

/// Band a chunk belongs to: the one it overlaps most, else the nearest to its left.
fn band_of(bands: &[(f64, f64)], x0: f64, x1: f64) -> usize {
    let overlap = |b: &(f64, f64)| (x1.min(b.1) - x0.max(b.0)).max(0.0);
    let best = bands
        .iter()
        .enumerate()
        .max_by(|a, b| overlap(a.1).total_cmp(&overlap(b.1)))
        .filter(|(_, b)| overlap(b) > 0.0)
        .map(|(i, _)| i);
    best.unwrap_or_else(|| bands.iter().rposition(|b| b.0 <= x0).unwrap_or(0))
}

/// How many bands a span touches.
fn bands_touched(bands: &[(f64, f64)], x0: f64, x1: f64) -> usize {
    bands
        .iter()
        .filter(|b| x1 > b.0 + 1.0 && x0 < b.1 - 1.0)
        .count()
}

/// Splits a page's lines into body lines and tables.
fn page_items(lines: Vec<Line>, rules: &[Rule]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].chunks.len() < 2 {
            items.push(Item::Line(lines[i].clone()));
            i += 1;
            continue;
        }
        let mut bands = merge_bands(lines[i].chunks.iter().map(|c| (c.x0, c.x1)).collect());
        let mut j = i + 1;
        let mut multi = 1;
        let mut min_gap = 3.5 * lines[i].size;
        while j < lines.len() {
            let (prev, l) = (&lines[j - 1], &lines[j]);
            let gap = prev.y - l.y;
            // A blank line's worth of space more than the table's own spacing ends it
            // (the title under the state header).
            let layout_like = bands.len() <= 2;
            let (lo, hi) = (bands[0].0, bands.last().map_or(0.0, |b| b.1));
            // Inside a ruled table every line sits between vertical borders.
            let walled = walls_at(rules, l.y, l.size, lo - 10.0, hi + 10.0).len() >= 3
                && l.x0 >= lo - 10.0
                && l.x1 <= hi + 10.0
                && prev.page == l.page
                && gap <= 3.5 * l.size;
            if walled {
                bands = grow(bands, l);
                multi += usize::from(l.chunks.len() >= 2);
                j += 1;
                continue;
            }
            if prev.page != l.page || gap > 3.5 * l.size || (layout_like && gap > 1.9 * min_gap) {
                break;
            }
            min_gap = min_gap.min(gap.max(0.5 * l.size));
            if l.chunks.len() >= 2 {
                // Every chunk must stay inside one column.
                if l.chunks
                    .iter()
                    .any(|c| bands_touched(&bands, c.x0, c.x1) > 1)
                {
                    break;
                }
                multi += 1;
            } else if bands_touched(&bands, l.x0, l.x1) > 1 || l.x0 < bands[0].0 - 3.0 {
                break;
            }
            bands = grow(bands, l);
            j += 1;
        }
        if multi < 2 || bands.len() < 2 {
            items.push(Item::Line(lines[i].clone()));
            i += 1;
            continue;
        }
        items.push(Item::Table(grid(&lines[i..j], bands, rules, i == 0)));
        i = j;
    }
    items
}

/// x positions of vertical borders crossing height `y` between `lo` and `hi`, clustered.
fn walls_at(rules: &[Rule], y: f64, size: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut xs: Vec<f64> = rules
        .iter()
        .filter(|r| r.vertical && r.at >= lo && r.at <= hi)
        .filter(|r| r.from - 0.3 * size <= y && y <= r.to + 0.3 * size)
        .map(|r| r.at)
        .collect();
    xs.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in xs {
        if out.last().is_none_or(|&l| x - l > 3.0) {
            out.push(x);
        }
    }
    out
}

fn grid(lines: &[Line], bands: Vec<(f64, f64)>, rules: &[Rule], at_top: bool) -> Grid {
    // A ruled table: its columns are the spaces between vertical borders.
    let (lo, hi) = (bands[0].0 - 10.0, bands.last().map_or(0.0, |b| b.1) + 10.0);
    let mut wall_xs: Vec<f64> = lines
        .iter()
        .flat_map(|l| walls_at(rules, l.y, l.size, lo, hi))
        .collect();
    wall_xs.sort_by(f64::total_cmp);
    wall_xs.dedup_by(|a, b| (*a - *b).abs() <= 3.0);
    let bands = if wall_xs.len() >= 3 {
        wall_xs.windows(2).map(|w| (w[0], w[1])).collect()
    } else {
        bands
    };
    let left = bands[0].0;
    let right = bands.last().map_or(0.0, |b| b.1);
    let width = right - left;
    let (top, bottom) = (
        lines.first().map_or(0.0, |l| l.y + l.size),
        lines.last().map_or(0.0, |l| l.y),
    );
    // Horizontal borders across the table's width, when the table is ruled.
    let borders: Vec<f64> = rules
        .iter()
        .filter(|r| !r.vertical && r.to > left && r.from < right && r.at < top && r.at > bottom)
        .map(|r| r.at)
        .collect();
    let ruled = borders.len() >= 2;
    let narrow_first = bands.len() > 2 && (bands[0].1 - bands[0].0) < 0.15 * width;
    let pitch = median(lines.windows(2).map(|w| w[0].y - w[1].y).collect());
    let mut rows: Vec<Vec<Vec<Line>>> = Vec::new();
    let mut cur: Vec<Vec<Line>> = vec![Vec::new(); bands.len()];
    let mut prev_y = f64::NAN;
    for l in lines {
        let has_content = cur.iter().any(|c| !c.is_empty());
        let in_first = l.chunks.iter().any(|c| band_of(&bands, c.x0, c.x1) == 0);
        let gap = prev_y - l.y;
        let new_row = has_content
            && if ruled {
                borders
                    .iter()
                    .any(|&b| b > l.y + 0.6 * l.size && b < prev_y - 0.1 * l.size)
            } else if narrow_first {
                in_first
            } else {
                gap > 1.3 * pitch
            };
        if new_row {
            rows.push(std::mem::replace(&mut cur, vec![Vec::new(); bands.len()]));
        }
        for c in &l.chunks {
            let k = band_of(&bands, c.x0, c.x1);
            cur[k].push(Line {
                bold: l.bold,
                chunks: vec![c.clone()],
                text: c.text.clone(),
                x0: c.x0,
                x1: c.x1,
                y: l.y,
                size: l.size,
                page: l.page,
            });
        }
        prev_y = l.y;
    }
    if cur.iter().any(|c| !c.is_empty()) {
        rows.push(cur);
    }
    Grid {
        bands,
        rows,
        page: lines.first().map_or(0, |l| l.page),
        at_top,
    }
}

/// Whether `next` goes on the paragraph that `prev` ends, judged by text alone (table cells).
fn continues(prev: &str, next: &str) -> bool {
    if starts_with_list_marker(next) || is_caps_line(prev) || is_caps_line(next) || is_rule(prev) {
        return false;
    }
    if next.chars().next().is_some_and(char::is_lowercase) {
        return true;
    }
    !prev.ends_with(['.', ':', ';', '!', '?'])
}

/// A line of only dashes, underscores or dots (the rule under the state header).
fn is_rule(t: &str) -> bool {
    t.chars().count() >= 3
        && t.chars()
            .all(|c| matches!(c, '-' | '_' | '=' | '.' | '*' | '–'))
}

fn join(into: &mut String, next: &str) {
    let mut rev = into.chars().rev();
    let (last, before) = (rev.next(), rev.next());
    if last == Some('\u{AD}') {
        into.pop();
    } else if last == Some('-') && before.is_some_and(char::is_alphanumeric) {
        // "18-" + "NQ/TW": the hyphen belongs to the word, no space.
    } else if !into.is_empty() {
        into.push(' ');
    }
    into.push_str(next);
}

fn cell_paragraphs(lines: &[Line]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(p) if continues(p, &l.text) => join(p, &l.text),
            _ => out.push(l.text.clone()),
        }
    }
    out
}

/// Builds blocks and lines from the pages' lines and ruling lines.
pub fn assemble(pages: Vec<Vec<Line>>, rules: &[Vec<Rule>]) -> (Vec<String>, Vec<Block>) {
    let mut items = Vec::new();
    for (i, p) in pages.into_iter().enumerate() {
        items.extend(page_items(p, rules.get(i).map_or(&[], Vec::as_slice)));
    }
    let body: Vec<&Line> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table(_) => None,
        })
        .collect();
    let left = mode(body.iter().map(|l| l.x0).collect());
    let right = percentile(body.iter().map(|l| l.x1).collect(), 0.9);
    let pitch = median(
        body.windows(2)
            .filter(|w| w[0].page == w[1].page)
            .map(|w| w[0].y - w[1].y)
            .filter(|d| *d > 0.0)
            .collect(),
    );

    let mut out = Out {
        left,
        right,
        ..Out::default()
    };
    let mut para: Option<Para> = None;
    let mut last_table: Option<Table> = None;
    let mut last_cols: Vec<(f64, f64)> = Vec::new();
    for item in items {
        match item {
            Item::Line(l) => {
                if let Some(t) = last_table.take() {
                    out.table(t);
                }
                match para.as_mut() {
                    Some(p) if !breaks(&p.last, &l, left, right, pitch) => {
                        join(&mut p.text, &l.text);
                        p.bold &= l.bold;
                        p.last = l;
                    }
                    _ => {
                        if let Some(p) = para.take() {
                            out.paragraph(p);
                        }
                        para = Some(Para {
                            text: l.text.clone(),
                            bold: l.bold,
                            first: l.clone(),
                            last: l,
                        });
                    }
                }
            }
            Item::Table(g) => {
                if let Some(p) = para.take() {
                    out.paragraph(p);
                }
                let rows: Vec<Row> = g
                    .rows
                    .iter()
                    .map(|cells| Row {
                        cells: cells
                            .iter()
                            .map(|c| Cell {
                                paragraphs: cell_paragraphs(c),
                                span: 1,
                                merged_above: false,
                                line: 0,
                            })
                            .collect(),
                        header: false,
                    })
                    .collect();
                let continued = g.at_top
                    && g.page > 0
                    && last_table.is_some()
                    && last_cols.len() == g.bands.len()
                    && last_cols
                        .iter()
                        .zip(&g.bands)
                        .all(|(a, b)| (a.0 - b.0).abs() < 12.0);
                match last_table.as_mut() {
                    Some(t) if continued => continue_table(t, rows),
                    _ => {
                        if let Some(t) = last_table.take() {
                            out.table(t);
                        }
                        last_table = Some(Table {
                            layout: g.bands.len() <= 2,
                            rows,
                            line: 0,
                        });
                    }
                }
                last_cols = g.bands;
            }
        }
    }
    if let Some(t) = last_table.take() {
        out.table(t);
    }
    if let Some(p) = para.take() {
        out.paragraph(p);
    }
    (out.lines, out.blocks)
}

/// Appends the rows of a table continued on a new page: the repeated header row goes, and
/// a first row with an empty first cell is the rest of a row broken by the page.
fn continue_table(t: &mut Table, rows: Vec<Row>) {
    let header = t.rows.first().map(row_key);
    let mut rows = rows
        .into_iter()
        .filter(|r| Some(row_key(r)) != header)
        .peekable();
    let split_row = rows.peek().is_some_and(|r| {
        r.cells.first().is_some_and(|c| c.paragraphs.is_empty())
            && r.cells.len() == t.rows.last().map_or(0, |l| l.cells.len())
    });
    if split_row {
        if let (Some(rest), Some(last)) = (rows.next(), t.rows.last_mut()) {
            for (into, more) in last.cells.iter_mut().zip(rest.cells) {
                for p in more.paragraphs {
                    match into.paragraphs.last_mut() {
                        Some(q) if continues(q, &p) => join(q, &p),
                        _ => into.paragraphs.push(p),
                    }
                }
            }
        }
    }
    t.rows.extend(rows);
}

fn row_key(r: &Row) -> Vec<String> {
    r.cells.iter().map(Cell::text).collect()
}

/// A paragraph being unwrapped.
struct Para {
    text: String,
    bold: bool,
    first: Line,
    last: Line,
}

#[derive(Default)]
struct Out {
    lines: Vec<String>,
    blocks: Vec<Block>,
    left: f64,
    right: f64,
}

impl Out {
    fn paragraph(&mut self, p: Para) {
        let first = &p.first;
        let text = clean::inline(&p.text);
        if text.is_empty() {
            return;
        }
        self.lines.push(text.clone());
        // Centered: indented from the body's left edge and balanced around its middle.
        let middle = (self.left + self.right) / 2.0;
        let centered = first.x0 > self.left + 2.0 * first.size
            && first.x1 < self.right - 2.0 * first.size
            && ((first.x0 + first.x1) / 2.0 - middle).abs() < 1.5 * first.size;
        self.blocks.push(Block::Paragraph(Paragraph {
            text,
            bold: p.bold,
            centered,
            line: self.lines.len() - 1,
            ..Paragraph::default()
        }));
    }

    fn table(&mut self, mut t: Table) {
        t.line = self.lines.len();
        for r in &mut t.rows {
            for c in &mut r.cells {
                c.line = self.lines.len();
                if c.paragraphs.is_empty() {
                    self.lines.push(String::new());
                }
                self.lines.extend(c.paragraphs.iter().cloned());
            }
        }
        if let Some(first) = t.rows.first_mut() {
            first.header = !t.layout;
        }
        self.blocks.push(Block::Table(t));
    }
}

fn mode(xs: Vec<f64>) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for x in xs {
        *counts.entry(x.round() as i64).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(x, n)| (n, -x))
        .map_or(0.0, |(x, _)| x as f64)
}

fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let i = ((xs.len() - 1) as f64 * p).round() as usize;
    xs[i.min(xs.len() - 1)]
}

/// Whether a paragraph ends between `a` and `b`.
fn breaks(a: &Line, b: &Line, left: f64, right: f64, pitch: f64) -> bool {
    let size = a.size.max(b.size);
    if starts_with_list_marker(&b.text) || is_rule(&a.text) || is_rule(&b.text) {
        return true;
    }
    let (caps_a, caps_b) = (is_caps_line(&a.text), is_caps_line(&b.text));
    if caps_a != caps_b {
        return true;
    }
    // Short capital lines stand alone ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"); a long capital
    // title wraps onto the next line.
    if caps_a && caps_b {
        let long = a.x1 - a.x0 > 0.6 * (right - left).max(1.0);
        return !long || a.page != b.page || a.y - b.y > 1.7 * pitch.max(1.0);
    }
    if (a.size - b.size).abs() > 0.2 * size {
        return true;
    }
    if a.page == b.page && pitch > 0.0 && a.y - b.y > 1.7 * pitch {
        return true;
    }
    if b.text.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    if a.text.ends_with(':') {
        return true;
    }
    if a.text.ends_with(['.', ';', '!', '?']) {
        // A sentence can end at the right margin in the middle of a justified paragraph;
        // the next paragraph then shows itself by its first-line indent.
        let full = a.x1 >= right - size;
        let indented = b.x0 > left + 0.8 * size;
        return !full || indented;
    }
    if a.x1 < right - 2.5 * size {
        return true;
    }
    b.x0 > left + 0.8 * size && b.x0 > a.x0 + 0.8 * size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                bold: false,
                text: c.to_string(),
                x: x + i as f64 * 6.0,
                y,
                w: 6.0,
                size: 12.0,
            })
            .collect()
    }

    #[test]
    fn lines_and_unwrapping() {
        let mut g = glyphs("Thuc hien Nghi quyet cua Ban Chap hanh so 18-", 72.0, 700.0);
        g.extend(glyphs("NQ/TW cua Ban Chap hanh Trung uong.", 72.0, 686.0));
        g.extend(glyphs("- Tiep tuc", 72.0, 672.0));
        g.extend(glyphs("12", 300.0, 40.0));
        let mut pages = vec![lines(g, &[], 0)];
        remove_furniture(&mut pages);
        let (lines, blocks) = assemble(pages, &[]);
        assert_eq!(
            lines,
            [
                "Thuc hien Nghi quyet cua Ban Chap hanh so 18-NQ/TW cua Ban Chap hanh Trung uong.",
                "- Tiep tuc"
            ]
        );
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn columns_become_a_table() {
        let mut g = Vec::new();
        let mut y = 700.0;
        for (tt, content, lead) in [
            ("TT", "Noi dung", "Chu tri"),
            ("1.", "Ra soat", "So Noi vu"),
            ("2.", "Tong hop", "So Tai chinh"),
        ] {
            g.extend(glyphs(tt, 60.0, y));
            g.extend(glyphs(content, 100.0, y));
            g.extend(glyphs(lead, 300.0, y));
            y -= 20.0;
        }
        g.extend(glyphs("tiep", 100.0, y + 6.0));
        let (_, blocks) = assemble(vec![lines(g, &[], 0)], &[]);
        let Block::Table(t) = &blocks[0] else {
            panic!("no table")
        };
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2].cells[1].text(), "Tong hop tiep");
        assert_eq!(t.rows[1].cells[2].text(), "So Noi vu");
    }
}
