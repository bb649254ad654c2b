//! The lineage picture as inline SVG (no script, no library): a box per unit, a line per
//! hand-over coloured by the kind of event, each group under the dates of its events.

use std::collections::BTreeSet;
use std::fmt::Write;

use tinhgon_app::lineage::Picture;
use tinhgon_domain::event::EventKind;

use crate::view::{date, esc};

const BOX_W: f64 = 230.0;
const BOX_H: f64 = 52.0;
const COL_GAP: f64 = 70.0;
const ROW_GAP: f64 = 12.0;
const CAPTION: f64 = 24.0;
const GROUP_GAP: f64 = 22.0;
const MARGIN: f64 = 6.0;
/// Characters of a name per line of its box (two lines at most).
const LINE_CHARS: usize = 34;

/// The colour of a kind's lines (the legend uses the same).
pub fn kind_color(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Merge => "#1f5fa8",
        EventKind::Consolidate => "#2e7d32",
        EventKind::Split => "#b26a00",
        EventKind::Rename => "#6a1b9a",
        EventKind::Transfer => "#5b6770",
        EventKind::Dissolve => "#b3261e",
    }
}

/// The legend: each kind's colour and name.
pub fn legend() -> Vec<(&'static str, &'static str)> {
    [
        EventKind::Merge,
        EventKind::Consolidate,
        EventKind::Split,
        EventKind::Rename,
        EventKind::Transfer,
    ]
    .into_iter()
    .map(|k| (kind_color(k), k.label_vi()))
    .collect()
}

/// The picture's groups, one under the other; an empty string when there are none.
pub fn render(p: &Picture) -> String {
    if p.groups.is_empty() {
        return String::new();
    }
    let layers = p.groups.iter().map(|g| g.layers).max().unwrap_or(1).max(1);
    let width = MARGIN * 2.0 + layers as f64 * (BOX_W + COL_GAP) - COL_GAP;
    let height: f64 = MARGIN * 2.0
        + p.groups
            .iter()
            .map(|g| CAPTION + g.rows as f64 * (BOX_H + ROW_GAP))
            .sum::<f64>()
        + GROUP_GAP * (p.groups.len() - 1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"lineage\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         role=\"img\" aria-label=\"Sơ đồ sắp xếp đơn vị\" font-family=\"inherit\">"
    );
    let mut top = MARGIN;
    for g in &p.groups {
        let mut said = BTreeSet::new();
        for e in &g.edges {
            said.insert((e.effective, e.kind.label_vi()));
        }
        for n in g.nodes.iter().filter_map(|n| n.dissolved) {
            said.insert((n, EventKind::Dissolve.label_vi()));
        }
        let caption: Vec<String> = said
            .iter()
            .map(|(d, k)| format!("{k} ngày {}", date(*d)))
            .collect();
        let _ = write!(
            s,
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"#1f2933\">{}</text>",
            top + 14.0,
            esc(&caption.join(" · "))
        );
        let y0 = top + CAPTION;
        let at = |layer: usize, row: usize| {
            (
                MARGIN + layer as f64 * (BOX_W + COL_GAP),
                y0 + row as f64 * (BOX_H + ROW_GAP),
            )
        };
        for e in &g.edges {
            let (a, b) = (&g.nodes[e.from], &g.nodes[e.to]);
            let (x1, y1) = at(a.layer, a.row);
            let (x2, y2) = at(b.layer, b.row);
            let (sx, sy, ex, ey) = (x1 + BOX_W, y1 + BOX_H / 2.0, x2, y2 + BOX_H / 2.0);
            let mid = (sx + ex) / 2.0;
            let dash = if e.kind == EventKind::Transfer {
                " stroke-dasharray=\"5 4\""
            } else {
                ""
            };
            let name = |u| p.units.get(&u).map(|x| x.name.as_str()).unwrap_or("");
            let _ = write!(
                s,
                "<path d=\"M{sx} {sy} C{mid} {sy} {mid} {ey} {ex} {ey}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{dash}>\
                 <title>{} ngày {}: {} → {}</title></path>",
                kind_color(e.kind),
                e.kind.label_vi(),
                date(e.effective),
                esc(name(a.unit)),
                esc(name(b.unit))
            );
        }
        for n in &g.nodes {
            let (x, y) = at(n.layer, n.row);
            let Some(u) = p.units.get(&n.unit) else {
                continue;
            };
            let ceased = u.valid_to.is_some();
            let (fill, stroke) = if ceased {
                ("#f1f3f5", "#9aa5b1")
            } else {
                ("#ffffff", "#1f5fa8")
            };
            let when = match (n.dissolved, u.valid_from, u.valid_to) {
                (Some(d), _, _) => format!("Giải thể từ {}", date(d)),
                (None, _, Some(t)) => format!("Hoạt động đến {}", date(t.pred_opt().unwrap_or(t))),
                (None, Some(f), None) => format!("Từ {}", date(f)),
                (None, None, None) => "Đang hoạt động".to_string(),
            };
            let _ = write!(
                s,
                "<a href=\"/units/{}\"><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"/>",
                n.unit
            );
            for (i, line) in lines(&u.name).iter().enumerate() {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1f2933\">{}</text>",
                    x + 7.0,
                    y + 15.0 + 14.0 * i as f64,
                    esc(line)
                );
            }
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"10.5\" fill=\"#5b6770\">{}</text></a>",
                x + 7.0,
                y + BOX_H - 7.0,
                esc(&when)
            );
        }
        top = y0 + g.rows as f64 * (BOX_H + ROW_GAP) + GROUP_GAP;
    }
    s.push_str("</svg>");
    s
}

/// A name on at most two lines of its box, cut at a word, the rest marked with an ellipsis.
fn lines(name: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in name.split_whitespace() {
        let cur = out.last_mut().expect("one line at least");
        let len = cur.chars().count();
        if len == 0 || len + 1 + word.chars().count() <= LINE_CHARS {
            if len > 0 {
                cur.push(' ');
            }
            cur.push_str(word);
        } else if out.len() < 2 {
            out.push(word.to_string());
        } else {
            let cur = out.last_mut().expect("two lines");
            cur.push('…');
            break;
        }
    }
    for l in &mut out {
        if l.chars().count() > LINE_CHARS + 1 {
            *l = l.chars().take(LINE_CHARS - 1).chain(['…']).collect();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_take_two_lines_and_an_ellipsis() {
        assert_eq!(lines("Sở Nội vụ"), vec!["Sở Nội vụ"]);
        let two = lines("Sở Nông nghiệp và Phát triển nông thôn tỉnh Nghệ An");
        assert_eq!(two.len(), 2);
        assert!(
            two.iter().all(|l| l.chars().count() <= LINE_CHARS + 1),
            "{two:?}"
        );
        let cut = lines("Trung tâm Phát triển quỹ đất và Dịch vụ công ích trực thuộc Sở Tài nguyên và Môi trường tỉnh Nghệ An");
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
    }
}
