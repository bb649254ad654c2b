//! Body of the aggregated report: sections I–IV in portrait, the task table as a landscape
//! appendix after the signature.

use super::header::{national_header, recipients_and_signature, title_block};
use super::layout::{
    section_properties, Align, Font, ParaFmt, Run, Xml, SZ_11, SZ_12, SZ_13, SZ_BODY, TEXT_W,
    TEXT_W_LANDSCAPE,
};
use super::table::{data_table, data_table_sized, Cell, HeadCell};
use crate::model::{short_date, text_date, AggregatedReport, ClassCounts, StatusClass, TaskRow};

/// "62,5%" (Vietnamese decimal comma); "0%" for an empty base.
pub fn percent(part: u32, total: u32) -> String {
    if total == 0 {
        return "0%".to_string();
    }
    let tenths = (u64::from(part) * 1000 + u64::from(total) / 2) / u64::from(total);
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{},{}%", tenths / 10, tenths % 10)
    }
}

fn heading(x: &mut Xml, text: &str) {
    x.text(
        &ParaFmt::BODY.before(120).keep_next(),
        text,
        Font::bold(SZ_BODY),
    );
}

fn body(x: &mut Xml, text: &str) {
    x.text(&ParaFmt::BODY, text, Font::plain(SZ_BODY));
}

fn plan_citation(
    number: &str,
    date: Option<chrono::NaiveDate>,
    issuer: &str,
    title: &str,
) -> String {
    let date = date
        .map(|d| format!(" ngày {}", text_date(d)))
        .unwrap_or_default();
    let title = title.trim();
    let about = if title.is_empty() {
        String::new()
    } else {
        format!(" về {title}")
    };
    format!("Kế hoạch số {number}{date} của {issuer}{about}")
}

/// The sentence summarizing the totals.
fn totals_sentence(r: &AggregatedReport) -> String {
    let t = &r.totals;
    let total = t.total();
    let done = t.done_on_time + t.done_late;
    format!(
        "Tổng số nhiệm vụ được giao thực hiện: {total}. Tính đến ngày {cutoff}: đã hoàn thành {done} \
         ({done_pct}), trong đó hoàn thành đúng hạn {a}, hoàn thành quá hạn {b}; đang thực hiện trong \
         hạn {c}; quá hạn chưa hoàn thành {d} ({d_pct}); chưa đến hạn {e}; chờ điều kiện thực hiện {f}; \
         nhiệm vụ thường xuyên {g}.",
        cutoff = text_date(r.cutoff),
        done_pct = percent(done, total),
        a = t.done_on_time,
        b = t.done_late,
        c = t.in_progress,
        d = t.overdue,
        d_pct = percent(t.overdue, total),
        e = t.not_due,
        f = t.waiting_for_condition,
        g = t.standing,
    )
}

/// A count's change in words: "tăng 3", "giảm 2", "không thay đổi" (never "tăng (0)").
fn change_words(before: u32, after: u32) -> String {
    match after.cmp(&before) {
        std::cmp::Ordering::Greater => format!("tăng {}", after - before),
        std::cmp::Ordering::Less => format!("giảm {}", before - after),
        std::cmp::Ordering::Equal => "không thay đổi".to_string(),
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Counts this period vs the previous one.
fn comparison_table(x: &mut Xml, r: &AggregatedReport) {
    let total = r.totals.total();
    match (&r.previous, &r.previous_label) {
        (Some(prev), label) => {
            let prev_label = label.clone().unwrap_or_else(|| "Kỳ trước".to_string());
            let head = vec![vec![
                HeadCell::new("TT"),
                HeadCell::new("Phân loại"),
                HeadCell::new(&capitalize(&prev_label)),
                HeadCell::new(&capitalize(&r.period_label)),
                HeadCell::new("Tăng (+), giảm (-)"),
            ]];
            let mut rows = Vec::new();
            for (i, class) in StatusClass::ALL.iter().enumerate() {
                let (a, b) = (prev.get(*class), r.totals.get(*class));
                rows.push(vec![
                    Cell::center((i + 1).to_string()),
                    Cell::left(class.label_vi()),
                    Cell::center(a.to_string()),
                    Cell::center(b.to_string()),
                    Cell::center(signed(i64::from(b) - i64::from(a))),
                ]);
            }
            rows.push(total_row(prev, &r.totals));
            data_table(x, &[600, 3954, 1600, 1600, 1600], &head, &rows, SZ_13);
        }
        (None, _) => {
            let head = vec![vec![
                HeadCell::new("TT"),
                HeadCell::new("Phân loại"),
                HeadCell::new("Số nhiệm vụ"),
                HeadCell::new("Tỷ lệ"),
            ]];
            let mut rows: Vec<Vec<Cell>> = StatusClass::ALL
                .iter()
                .enumerate()
                .map(|(i, class)| {
                    let n = r.totals.get(*class);
                    vec![
                        Cell::center((i + 1).to_string()),
                        Cell::left(class.label_vi()),
                        Cell::center(n.to_string()),
                        Cell::center(percent(n, total)),
                    ]
                })
                .collect();
            rows.push(vec![
                Cell::center(""),
                Cell::left("Tổng cộng").bold(),
                Cell::center(total.to_string()).bold(),
                Cell::center(percent(total, total)).bold(),
            ]);
            data_table(x, &[600, 4754, 2000, 2000], &head, &rows, SZ_13);
        }
    }
}

fn total_row(prev: &ClassCounts, now: &ClassCounts) -> Vec<Cell> {
    let (a, b) = (prev.total(), now.total());
    vec![
        Cell::center(""),
        Cell::left("Tổng cộng").bold(),
        Cell::center(a.to_string()).bold(),
        Cell::center(b.to_string()).bold(),
        Cell::center(signed(i64::from(b) - i64::from(a))).bold(),
    ]
}

/// First letter upper case ("quý III/2025" → "Quý III/2025").
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Header of the per-unit table: done / not done grouped, as provincial reports print it.
fn unit_table_head() -> Vec<Vec<HeadCell>> {
    vec![
        vec![
            HeadCell::tall("TT"),
            HeadCell::tall("Cơ quan, đơn vị"),
            HeadCell::tall("Tổng số"),
            HeadCell::span("Đã hoàn thành", 2),
            HeadCell::span("Chưa hoàn thành", 2),
            HeadCell::tall("Chưa đến hạn"),
            HeadCell::tall("Chờ điều kiện"),
            HeadCell::tall("Thường xuyên"),
        ],
        vec![
            HeadCell::below(),
            HeadCell::below(),
            HeadCell::below(),
            HeadCell::new("Đúng hạn"),
            HeadCell::new("Quá hạn"),
            HeadCell::new("Trong hạn"),
            HeadCell::new("Quá hạn"),
            HeadCell::below(),
            HeadCell::below(),
            HeadCell::below(),
        ],
    ]
}

fn count_cells(stt: String, name: &str, c: &ClassCounts, bold: bool) -> Vec<Cell> {
    let mut row = vec![
        Cell::center(stt),
        Cell::left(name),
        Cell::center(c.total().to_string()),
    ];
    for class in StatusClass::ALL {
        row.push(Cell::center(c.get(class).to_string()));
    }
    if bold {
        row = row.into_iter().map(Cell::bold).collect();
    }
    row
}

fn unit_table(x: &mut Xml, r: &AggregatedReport) {
    let mut rows: Vec<Vec<Cell>> = r
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| count_cells((i + 1).to_string(), &u.unit, &u.counts, false))
        .collect();
    let mut sum = ClassCounts::default();
    for u in &r.units {
        for class in StatusClass::ALL {
            for _ in 0..u.counts.get(class) {
                sum.add(class);
            }
        }
    }
    rows.push(count_cells(String::new(), "Tổng cộng", &sum, true));
    // Ten columns on a portrait page: the header goes to 11 pt so "Thường xuyên" breaks
    // between words, the figures stay at 12 pt.
    let widths = [500, 1650, 700, 929, 929, 929, 929, 929, 929, 930];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_W);
    data_table_sized(x, &widths, &unit_table_head(), &rows, SZ_11, SZ_12);
}

fn overdue_table(x: &mut Xml, r: &AggregatedReport) {
    let head = vec![vec![
        HeadCell::new("TT"),
        HeadCell::new("Nhiệm vụ"),
        HeadCell::new("Đơn vị chủ trì"),
        HeadCell::new("Hạn"),
        HeadCell::new("Số ngày quá hạn"),
        HeadCell::new("Nguyên nhân"),
    ]];
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for group in task_groups(&r.overdue, |o| (o.reference.as_str(), o.content.as_str())) {
        let o = &group[0];
        if group.len() <= GROUP_ROWS {
            for o in group {
                rows.push(vec![
                    Cell::center((rows.len() + 1).to_string()),
                    Cell::left(format!("{}. {}", o.reference, o.content)),
                    Cell::left(&o.unit),
                    Cell::center(short_date(o.due)),
                    Cell::center(o.days_overdue.to_string()),
                    Cell::left(
                        o.reason
                            .clone()
                            .unwrap_or_else(|| "Đơn vị chưa báo cáo nguyên nhân".to_string()),
                    ),
                ]);
            }
            continue;
        }
        let (least, most) = group.iter().fold((u32::MAX, u32::MIN), |(a, b), g| {
            (a.min(g.days_overdue), b.max(g.days_overdue))
        });
        let same_due = group.iter().all(|g| g.due == o.due);
        let reasons = group.iter().filter(|g| g.reason.is_some()).count();
        rows.push(vec![
            Cell::center((rows.len() + 1).to_string()),
            Cell::left(format!("{}. {}", o.reference, o.content)),
            Cell::left(units_summary(
                group.iter().map(|g| g.unit.as_str()),
                group.len(),
            )),
            Cell::center(if same_due {
                short_date(o.due)
            } else {
                "Theo từng đơn vị".to_string()
            }),
            Cell::center(if least == most {
                least.to_string()
            } else {
                format!("{least}–{most}")
            }),
            Cell::left(format!(
                "{reasons}/{} đơn vị đã báo cáo nguyên nhân; chi tiết tại tệp Excel kèm theo.",
                group.len()
            )),
        ]);
    }
    data_table(x, &[520, 3100, 1500, 1400, 1000, 1834], &head, &rows, SZ_12);
}

/// The state column of the appendix: class, with the completion date when done.
pub fn state_text(t: &TaskRow) -> String {
    match t.completed_on {
        Some(d) => format!("{} ({})", t.class.label_vi(), short_date(d)),
        None => t.class.label_vi().to_string(),
    }
}

/// More member units than this on one task (a group lead: "UBND các xã, phường") and the DOCX
/// gives the task one row with the counts; the XLSX keeps a row per unit.
const GROUP_ROWS: usize = 3;

/// Runs of consecutive rows of the same task (one per member unit of a group lead).
fn task_groups<T>(rows: &[T], key: impl Fn(&T) -> (&str, &str)) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || key(&rows[i]) != key(&rows[start]) {
            out.push(&rows[start..i]);
            start = i;
        }
    }
    out
}

/// "412 cơ quan, đơn vị (Xã A, Xã B, Xã C …)".
fn units_summary<'a>(names: impl Iterator<Item = &'a str>, n: usize) -> String {
    let first: Vec<&str> = names.take(3).collect();
    format!(
        "{n} cơ quan, đơn vị ({}{})",
        first.join(", "),
        if n > first.len() { ", …" } else { "" }
    )
}

/// The classes of a group's rows in words: "Hoàn thành đúng hạn: 12; Quá hạn: 5".
fn class_summary(rows: &[TaskRow]) -> String {
    let mut counts = ClassCounts::default();
    for t in rows {
        counts.add(t.class);
    }
    StatusClass::ALL
        .iter()
        .filter(|c| counts.get(**c) > 0)
        .map(|c| format!("{}: {}", c.label_vi(), counts.get(*c)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn task_table(x: &mut Xml, r: &AggregatedReport) {
    let head = vec![vec![
        HeadCell::new("TT"),
        HeadCell::new("Nội dung nhiệm vụ"),
        HeadCell::new("Cơ quan chủ trì"),
        HeadCell::new("Cơ quan phối hợp"),
        HeadCell::new("Thời gian thực hiện"),
        HeadCell::new("Hạn"),
        HeadCell::new("Kết quả"),
        HeadCell::new("Tiến độ mới nhất"),
    ]];
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for group in task_groups(&r.tasks, |t| (t.reference.as_str(), t.content.as_str())) {
        let t = &group[0];
        if group.len() <= GROUP_ROWS {
            rows.extend(group.iter().map(|t| {
                vec![
                    Cell::center(&t.reference),
                    Cell::left(&t.content),
                    Cell::left(&t.lead),
                    Cell::left(&t.coordinating),
                    Cell::left(&t.deadline_text),
                    Cell::center(t.due.map(short_date).unwrap_or_default()),
                    Cell::left(state_text(t)),
                    Cell::left(t.latest_progress.clone().unwrap_or_default()),
                ]
            }));
            continue;
        }
        let same_due = group.iter().all(|g| g.due == t.due);
        rows.push(vec![
            Cell::center(&t.reference),
            Cell::left(&t.content),
            Cell::left(units_summary(
                group.iter().map(|g| g.lead.as_str()),
                group.len(),
            )),
            Cell::left(&t.coordinating),
            Cell::left(&t.deadline_text),
            Cell::center(if same_due {
                t.due.map(short_date).unwrap_or_default()
            } else {
                "Theo từng đơn vị".to_string()
            }),
            Cell::left(class_summary(group)),
            Cell::left("Chi tiết từng đơn vị tại tệp Excel kèm theo."),
        ]);
    }
    let widths = [720, 3800, 1500, 1800, 1600, 1400, 1500, 1966];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_W_LANDSCAPE);
    data_table(x, &widths, &head, &rows, SZ_12);
}

fn notes(x: &mut Xml, notes: &[crate::model::UnitNote], none: &str) {
    if notes.is_empty() {
        body(x, none);
    }
    for n in notes {
        x.para(
            &ParaFmt::BODY,
            &[
                Run::new(format!("- {}: ", n.unit.trim()), Font::italic(SZ_BODY)),
                Run::new(n.text.trim(), Font::plain(SZ_BODY)),
            ],
        );
    }
}

/// The `<w:body>` content of the aggregated report; `header_rel` is the page-number header.
pub fn report_body(r: &AggregatedReport, header_rel: &str, first_rel: &str) -> String {
    let mut x = Xml::new();
    national_header(&mut x, &r.header, None);
    title_block(&mut x, &r.header.title, &r.header.subtitle);

    let citation = plan_citation(&r.plan_number, r.plan_date, &r.plan_issuer, &r.plan_title);
    if r.intro.trim().is_empty() {
        body(
            &mut x,
            &format!(
                "Thực hiện {citation}; {} báo cáo kết quả thực hiện {}, số liệu tính đến ngày {}, như sau:",
                r.reporter.trim(),
                r.period_label.trim(),
                text_date(r.cutoff)
            ),
        );
    } else {
        body(&mut x, r.intro.trim());
    }

    heading(&mut x, "I. KẾT QUẢ THỰC HIỆN");
    heading(&mut x, "1. Tình hình chung");
    body(&mut x, &totals_sentence(r));
    if let Some(prev) = &r.previous {
        let label = r.previous_label.as_deref().unwrap_or("kỳ trước");
        let (a, b) = (
            prev.done_on_time + prev.done_late,
            r.totals.done_on_time + r.totals.done_late,
        );
        body(
            &mut x,
            &format!(
                "So với {label}, số nhiệm vụ đã hoàn thành {}; số nhiệm vụ quá hạn chưa hoàn thành {}.",
                change_words(a, b),
                change_words(prev.overdue, r.totals.overdue),
            ),
        );
    }
    comparison_table(&mut x, r);
    if r.previous.is_some() {
        x.raw(&super::chart::chart_paragraph());
    }
    heading(&mut x, "2. Kết quả theo cơ quan, đơn vị");
    unit_table(&mut x, r);
    heading(&mut x, "3. Tình hình thực hiện từng nhiệm vụ");
    body(
        &mut x,
        &format!(
            "Chi tiết tình hình thực hiện {} nhiệm vụ tại Phụ lục kèm theo Báo cáo này.",
            r.tasks.len()
        ),
    );

    if let Some(s) = &r.staffing {
        heading(&mut x, "4. Thực hiện chỉ tiêu tinh giản biên chế");
        super::staffing::section(
            &mut x,
            s,
            &super::staffing::Headings {
                progress: "a) Chỉ tiêu và kết quả qua các năm",
                units: "b) Kết quả theo cơ quan, đơn vị",
                deputies: "c) Số lượng cấp phó so với quy định",
                secondments: "d) Cử cán bộ, công chức, viên chức đi công tác ở cơ sở",
                minor: true,
            },
        );
    }

    heading(&mut x, "II. NHIỆM VỤ QUÁ HẠN, CHẬM TIẾN ĐỘ VÀ NGUYÊN NHÂN");
    if r.overdue.is_empty() {
        body(&mut x, "Không có nhiệm vụ quá hạn chưa hoàn thành.");
    } else {
        body(
            &mut x,
            &format!(
                "Có {} nhiệm vụ quá hạn chưa hoàn thành, cụ thể như sau:",
                r.overdue.len()
            ),
        );
        overdue_table(&mut x, r);
    }

    heading(&mut x, "III. KHÓ KHĂN, VƯỚNG MẮC");
    notes(
        &mut x,
        &r.obstacles,
        "Các cơ quan, đơn vị không báo cáo khó khăn, vướng mắc.",
    );
    heading(&mut x, "IV. KIẾN NGHỊ, ĐỀ XUẤT");
    notes(&mut x, &r.proposals, "Không có kiến nghị, đề xuất.");

    let closing = if r.closing.trim().is_empty() {
        format!(
            "Trên đây là báo cáo kết quả thực hiện Kế hoạch số {} {}./.",
            r.plan_number,
            r.period_label.trim()
        )
    } else {
        r.closing.trim().to_string()
    };
    body(&mut x, &closing);
    recipients_and_signature(&mut x, &r.header);

    // End of the portrait section: its properties ride on the last paragraph.
    x.raw("<w:p><w:pPr>");
    x.raw(&section_properties(
        false,
        true,
        &[("default", header_rel), ("first", first_rel)],
    ));
    x.raw("</w:pPr></w:p>");

    x.text(&ParaFmt::CENTER, "PHỤ LỤC", Font::bold(SZ_BODY));
    x.text(
        &ParaFmt::CENTER,
        "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ",
        Font::bold(SZ_BODY),
    );
    x.text(
        &ParaFmt::CENTER.after(200),
        &format!(
            "(Kèm theo Báo cáo số {} ngày {} của {})",
            r.header.number.trim_end(),
            text_date(r.header.date),
            r.reporter.trim()
        ),
        Font::italic(SZ_BODY),
    );
    task_table(&mut x, r);
    x.text(&ParaFmt::LEFT.aligned(Align::Left), "", Font::plain(SZ_12));
    x.raw(&section_properties(true, false, &[("default", header_rel)]));
    x.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_uses_decimal_comma_and_rounds() {
        assert_eq!(percent(1, 3), "33,3%");
        assert_eq!(percent(2, 4), "50%");
        assert_eq!(percent(0, 0), "0%");
        assert_eq!(percent(2, 3), "66,7%");
    }
}
