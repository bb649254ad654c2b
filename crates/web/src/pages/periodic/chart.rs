//! The comparison chart of the aggregated report: for each status class, the previous period's
//! count beside the current one, as inline SVG (no script), in the class colours.

use std::fmt::Write;

use tinhgon_reports::{ClassCounts, StatusClass};

use crate::view::esc;

/// Grouped vertical bars: per class a pale bar (previous period, when there is one) and a
/// solid bar (this period), with the counts written above.
pub fn comparison(
    current: &ClassCounts,
    current_label: &str,
    previous: Option<(&ClassCounts, &str)>,
) -> String {
    let classes = StatusClass::ALL;
    let highest = classes
        .iter()
        .map(|c| current.get(*c).max(previous.map_or(0, |(p, _)| p.get(*c))))
        .max()
        .unwrap_or(0);
    let step = nice_step(highest);
    let ticks = highest.div_ceil(step).max(1);
    let max = step * ticks;
    let (left, top, plot_h, group_w, bar_w) = (36.0_f64, 28.0_f64, 190.0_f64, 108.0_f64, 34.0_f64);
    let width = left + group_w * classes.len() as f64 + 10.0;
    let height = top + plot_h + 62.0;
    let base = top + plot_h;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"So sánh {} với kỳ trước theo trạng thái\" class=\"compare\">",
        esc(current_label)
    );
    // Grid lines at round values.
    for i in 0..=ticks {
        let v = step * i;
        let y = base - plot_h * f64::from(i) / f64::from(ticks);
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e3e8ec\" stroke-width=\"1\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\" fill=\"#5b6770\">{v}</text>",
            width - 10.0,
            left - 4.0,
            y + 3.5
        );
    }
    for (i, class) in classes.iter().enumerate() {
        let gx = left + group_w * i as f64;
        let now = current.get(*class);
        let bar = |s: &mut String, x: f64, n: u32, fill: &str, opacity: &str, who: &str| {
            let h = plot_h * f64::from(n) / f64::from(max);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"{h:.1}\" fill=\"{fill}\" fill-opacity=\"{opacity}\" stroke=\"{fill}\" stroke-width=\"1\"><title>{}, {}: {n}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1f2933\">{n}</text>",
                base - h,
                esc(class.label_vi()),
                esc(who),
                x + bar_w / 2.0,
                base - h - 4.0
            );
        };
        match previous {
            Some((p, label)) => {
                bar(
                    &mut s,
                    gx + 14.0,
                    p.get(*class),
                    class.color(),
                    "0.35",
                    label,
                );
                bar(
                    &mut s,
                    gx + 14.0 + bar_w + 4.0,
                    now,
                    class.color(),
                    "1",
                    current_label,
                );
            }
            None => bar(
                &mut s,
                gx + (group_w - bar_w) / 2.0,
                now,
                class.color(),
                "1",
                current_label,
            ),
        }
        // The class name under its group, on two lines when long.
        let label = class.label_vi();
        let words: Vec<&str> = label.split(' ').collect();
        let (l1, l2) = if label.chars().count() > 14 && words.len() > 2 {
            let mid = words.len().div_ceil(2);
            (words[..mid].join(" "), words[mid..].join(" "))
        } else {
            (label.to_string(), String::new())
        };
        let cx = gx + group_w / 2.0;
        let _ = write!(
            s,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1f2933\">{}</text>",
            base + 15.0,
            esc(&l1)
        );
        if !l2.is_empty() {
            let _ = write!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1f2933\">{}</text>",
                base + 29.0,
                esc(&l2)
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\" stroke=\"#9aa5ad\"/>",
        width - 10.0
    );
    // Legend: pale = previous, solid = current.
    let ly = height - 12.0;
    let mut lx = left;
    if let Some((_, label)) = previous {
        let _ = write!(
            s,
            "<rect x=\"{lx}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"#5b6770\" fill-opacity=\"0.35\" stroke=\"#5b6770\"/><text x=\"{:.1}\" y=\"{ly}\" font-size=\"11\" fill=\"#1f2933\">Kỳ trước: {}</text>",
            ly - 9.0,
            lx + 19.0,
            esc(label)
        );
        lx += 260.0;
    }
    let _ = write!(
        s,
        "<rect x=\"{lx}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"#5b6770\"/><text x=\"{:.1}\" y=\"{ly}\" font-size=\"11\" fill=\"#1f2933\">Kỳ này: {}</text></svg>",
        ly - 9.0,
        lx + 19.0,
        esc(current_label)
    );
    s
}

/// A round step (1, 2 or 5 times a power of ten) giving about four grid lines up to `max`.
fn nice_step(max: u32) -> u32 {
    let raw = max.div_ceil(4).max(1);
    let mut mag = 1;
    while mag * 10 <= raw {
        mag *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10 * mag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(overdue: u32, done: u32) -> ClassCounts {
        ClassCounts {
            overdue,
            done_on_time: done,
            ..Default::default()
        }
    }

    #[test]
    fn one_pair_of_bars_per_class_with_both_periods() {
        let svg = comparison(
            &counts(3, 5),
            "quý III/2025",
            Some((&counts(4, 1), "quý II/2025")),
        );
        // 7 classes × 2 bars + 2 legend swatches.
        assert_eq!(svg.matches("<rect").count(), 7 * 2 + 2);
        assert!(svg.contains("Kỳ trước: quý II/2025"));
        assert!(svg.contains(StatusClass::Overdue.color()));
        assert!(svg.contains("<title>Quá hạn"));
    }

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(nice_step(710), 200);
        assert_eq!(nice_step(898), 500);
        assert_eq!(nice_step(40), 10);
        assert_eq!(nice_step(3), 1);
        assert_eq!(nice_step(0), 1);
    }

    #[test]
    fn without_a_previous_period_one_bar_per_class() {
        let svg = comparison(&counts(0, 0), "đến ngày <1/1/2026>", None);
        assert_eq!(svg.matches("<rect").count(), 7 + 1);
        assert!(svg.contains("&lt;1/1/2026&gt;"));
        assert!(!svg.contains("NaN"));
    }
}
