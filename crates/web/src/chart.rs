//! Inline SVG charts (no script, no library): a donut of status classes and a stacked bar
//! per unit, in the government's colours.

use std::fmt::Write;

use tinhgon_domain::class::StatusClass;
use tinhgon_domain::staffing::Measure;
use tinhgon_domain::staffing_progress::Progress;

use crate::view::esc;

/// A donut of counts by class with the total in the middle.
pub fn donut(counts: &[(StatusClass, u64)]) -> String {
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let (cx, cy, r, w) = (110.0_f64, 110.0_f64, 80.0_f64, 34.0_f64);
    let mut s = String::new();
    let _ = write!(s, "<svg viewBox=\"0 0 220 220\" width=\"220\" height=\"220\" role=\"img\" aria-label=\"Biểu đồ trạng thái nhiệm vụ\">");
    if total == 0 {
        let _ = write!(s, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"none\" stroke=\"#e0e0e0\" stroke-width=\"{w}\"/>");
    } else {
        let circ = 2.0 * std::f64::consts::PI * r;
        let mut offset = 0.0;
        for (class, n) in counts.iter().filter(|(_, n)| *n > 0) {
            let len = circ * (*n as f64) / (total as f64);
            let _ = write!(
                s,
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{w}\" stroke-dasharray=\"{len:.2} {:.2}\" stroke-dashoffset=\"{:.2}\" transform=\"rotate(-90 {cx} {cy})\"><title>{}: {n}</title></circle>",
                class.color(),
                circ - len,
                -offset,
                esc(class.label_vi())
            );
            offset += len;
        }
    }
    let _ = write!(s, "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"30\" font-weight=\"bold\" fill=\"#1f2933\">{total}</text>", cy + 4.0);
    let _ = write!(s, "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5b6770\">nhiệm vụ</text></svg>", cy + 22.0);
    s
}

/// Horizontal stacked bars, one per row (label, counts by class).
pub fn stacked_bars(rows: &[(String, Vec<(StatusClass, u64)>)]) -> String {
    let label_w = 260.0_f64;
    let bar_w = 420.0_f64;
    let row_h = 24.0_f64;
    let max: u64 = rows
        .iter()
        .map(|(_, c)| c.iter().map(|(_, n)| n).sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = row_h * rows.len() as f64 + 8.0;
    let mut s = String::new();
    let _ = write!(s, "<svg viewBox=\"0 0 {} {height}\" width=\"100%\" role=\"img\" aria-label=\"Biểu đồ theo đơn vị\">", label_w + bar_w + 50.0);
    for (i, (label, counts)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let short: String = if label.chars().count() > 40 {
            label.chars().take(39).chain(std::iter::once('…')).collect()
        } else {
            label.clone()
        };
        let _ = write!(s, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1f2933\">{}</text>", label_w - 6.0, y + 15.0, esc(&short));
        let mut x = label_w;
        let mut total = 0;
        for (class, n) in counts.iter().filter(|(_, n)| *n > 0) {
            let w = bar_w * (*n as f64) / (max as f64);
            let _ = write!(s, "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {n}</title></rect>", row_h - 6.0, class.color(), esc(class.label_vi()));
            x += w;
            total += n;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\" fill=\"#5b6770\">{total}</text>",
            x + 4.0,
            y + 15.0
        );
    }
    s.push_str("</svg>");
    s
}

/// A target's progress by year: a bar for the baseline year and one for each later year in
/// which quotas were assigned, the target line (positions allowed once met) dashed across; a
/// year at or under the line is green.
pub fn staffing_progress(p: &Progress, measure: Measure) -> String {
    let bars: Vec<(i32, u32, &str)> = std::iter::once((p.baseline_year, p.baseline, "#90a4ae"))
        .chain(p.years.iter().map(|y| {
            let colour = if y.total <= p.max_allowed {
                "#2e7d32"
            } else {
                "#ef6c00"
            };
            (y.year, y.total, colour)
        }))
        .collect();
    let (left, top, plot_h, slot) = (48.0_f64, 16.0_f64, 180.0_f64, 72.0_f64);
    let width = left + slot * bars.len() as f64 + 120.0;
    let height = top + plot_h + 40.0;
    let max = bars
        .iter()
        .map(|b| b.1)
        .max()
        .unwrap_or(0)
        .max(p.max_allowed)
        .max(1);
    let y_of = |n: u32| top + plot_h - plot_h * f64::from(n) / f64::from(max);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" role=\"img\" aria-label=\"{} qua các năm so với chỉ tiêu\" class=\"staffing-progress\">",
        measure.label_vi()
    );
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9e9e9e\"/>",
        top + plot_h,
        width - 110.0,
        top + plot_h
    );
    for (i, (year, n, colour)) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + 14.0;
        let y = y_of(*n);
        let label = if i == 0 {
            format!("{year} (gốc)")
        } else {
            year.to_string()
        };
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"44\" height=\"{:.1}\" fill=\"{colour}\"><title>Năm {year}: {n}</title></rect>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1f2933\">{n}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5b6770\">{}</text>",
            top + plot_h - y,
            x + 22.0,
            y - 4.0,
            x + 22.0,
            top + plot_h + 16.0,
            esc(&label)
        );
    }
    let ty = y_of(p.max_allowed);
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\" class=\"target-line\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#c62828\">Tối đa {}</text></svg>",
        width - 110.0,
        width - 104.0,
        ty + 4.0,
        p.max_allowed
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn donut_draws_one_arc_per_present_class_and_the_total() {
        let svg = donut(&[
            (StatusClass::DoneOnTime, 3),
            (StatusClass::Overdue, 1),
            (StatusClass::NotDue, 0),
        ]);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(">4</text>"));
        assert!(svg.contains(StatusClass::Overdue.color()));
    }

    #[test]
    fn progress_draws_a_bar_a_year_and_the_target_line() {
        use tinhgon_domain::staffing_progress::YearTotal;
        let svg = staffing_progress(
            &Progress {
                baseline_year: 2021,
                baseline: 462,
                max_allowed: 369,
                years: vec![
                    YearTotal {
                        year: 2025,
                        total: 400,
                    },
                    YearTotal {
                        year: 2026,
                        total: 369,
                    },
                ],
            },
            Measure::Headcount,
        );
        assert!(svg.contains("aria-label=\"Số người có mặt qua các năm"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("2021 (gốc)"));
        assert!(svg.contains("class=\"target-line\""));
        assert!(svg.contains("Tối đa 369"));
        // 2025 is over the line, 2026 on it.
        assert!(svg.contains("fill=\"#ef6c00\"><title>Năm 2025: 400"));
        assert!(svg.contains("fill=\"#2e7d32\"><title>Năm 2026: 369"));
    }

    #[test]
    fn bar_labels_are_escaped() {
        let svg = stacked_bars(&[("Sở <Tư pháp>".into(), vec![(StatusClass::InProgress, 2)])]);
        assert!(svg.contains("Sở &lt;Tư pháp&gt;"));
    }
}
