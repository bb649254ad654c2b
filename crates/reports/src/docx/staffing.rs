//! The staffing report's body, and the staffing section the aggregated report of a plan
//! carries when the plan sets staffing targets.

use super::header::{national_header, recipients_and_signature, title_block};
use super::layout::{section_properties, Font, ParaFmt, Xml, SZ_12, SZ_BODY, TEXT_W};
use super::report::percent;
use super::table::{data_table, Cell, HeadCell};
use crate::model::{short_date, text_date};
use crate::staffing::{
    percent_text, verdict_text, AttainmentLine, StaffingReport, StaffingSection, TargetLine,
};

fn heading(x: &mut Xml, text: &str) {
    x.text(
        &ParaFmt::BODY.before(120).keep_next(),
        text,
        Font::bold(SZ_BODY),
    );
}

fn sub_heading(x: &mut Xml, text: &str) {
    x.text(
        &ParaFmt::BODY.before(60).keep_next(),
        text,
        Font::italic(SZ_BODY),
    );
}

fn body(x: &mut Xml, text: &str) {
    x.text(&ParaFmt::BODY, text, Font::plain(SZ_BODY));
}

/// The headings of the four parts of the section, as the document numbers them.
pub struct Headings<'a> {
    /// Targets and progress by year.
    pub progress: &'a str,
    /// Attainment per unit.
    pub units: &'a str,
    /// Deputies against caps.
    pub deputies: &'a str,
    /// People at the grassroots.
    pub secondments: &'a str,
    /// Parts headed in italics (inside a numbered item) rather than bold.
    pub minor: bool,
}

/// "Giảm tối thiểu 20% … (so với năm 2021; Kế hoạch số 615/KH-UBND; thời hạn 31/12/2026)".
fn target_sentence(t: &TargetLine) -> String {
    let mut about = vec![format!("so với năm {}", t.baseline_year)];
    if !t.measure.is_empty() {
        about.push(format!("tính theo {}", t.measure));
    }
    if let Some(p) = &t.plan_number {
        about.push(format!("theo Kế hoạch số {p}"));
    }
    if let Some(d) = t.deadline {
        about.push(format!("thời hạn {}", short_date(d)));
    }
    if !t.scope.is_empty() {
        about.push(format!("áp dụng cho {}", t.scope));
    }
    let last = t.years.last().map_or(t.baseline, |(_, n)| *n);
    let base = if t.counts_people() {
        "số người có mặt cuối năm gốc"
    } else {
        "biên chế năm gốc"
    };
    format!(
        "- {} ({}): {base} {} người, tối đa {} người khi đạt chỉ tiêu; hiện nay {} người.",
        t.title.trim().trim_end_matches('.'),
        about.join("; "),
        t.baseline,
        t.max_allowed,
        last
    )
}

fn reduction_words(baseline: u32, now: u32) -> String {
    match now.cmp(&baseline) {
        std::cmp::Ordering::Less => {
            format!(
                "giảm {} ({})",
                baseline - now,
                percent(baseline - now, baseline)
            )
        }
        std::cmp::Ordering::Greater => format!("tăng {}", now - baseline),
        std::cmp::Ordering::Equal => "không thay đổi".into(),
    }
}

fn years_table(x: &mut Xml, t: &TargetLine) {
    let head = vec![vec![
        HeadCell::new("Năm"),
        HeadCell::new("Biên chế (người)"),
        HeadCell::new("So với năm gốc"),
        HeadCell::new("Tối đa theo chỉ tiêu"),
    ]];
    let mut rows = vec![vec![
        Cell::center(format!("{} (năm gốc)", t.baseline_year)),
        Cell::center(t.baseline.to_string()),
        Cell::center("—"),
        Cell::center(t.max_allowed.to_string()),
    ]];
    for (year, n) in &t.years {
        rows.push(vec![
            Cell::center(year.to_string()),
            Cell::center(n.to_string()),
            Cell::center(reduction_words(t.baseline, *n)),
            Cell::center(t.max_allowed.to_string()),
        ]);
    }
    let widths = [1900, 2200, 2854, 2400];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_W);
    data_table(x, &widths, &head, &rows, SZ_12);
}

fn attainment_cells(stt: String, u: &AttainmentLine, bold: bool) -> Vec<Cell> {
    let mut name = u.unit.clone();
    if !u.predecessors.is_empty() {
        name.push_str(&format!("\n(từ: {})", u.predecessors.join("; ")));
    }
    let row = vec![
        Cell::center(stt),
        Cell::left(name),
        Cell::center(u.baseline_year.map(|y| y.to_string()).unwrap_or_default()),
        Cell::center(u.baseline.to_string()),
        Cell::center(u.current.to_string()),
        Cell::center(percent_text(u.reduction_percent)),
        Cell::center(percent_text(u.target_percent)),
        Cell::center(verdict_text(u.met)),
    ];
    if bold {
        row.into_iter().map(Cell::bold).collect()
    } else {
        row
    }
}

fn attainment_table(x: &mut Xml, s: &StaffingSection) {
    let head = vec![vec![
        HeadCell::new("TT"),
        HeadCell::new("Cơ quan, đơn vị"),
        HeadCell::new("Năm gốc"),
        HeadCell::new("Biên chế năm gốc"),
        HeadCell::new("Biên chế hiện nay"),
        HeadCell::new("Đã giảm"),
        HeadCell::new("Chỉ tiêu giảm"),
        HeadCell::new("Kết quả"),
    ]];
    let mut rows: Vec<Vec<Cell>> = s
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| attainment_cells((i + 1).to_string(), u, false))
        .collect();
    if let Some(t) = &s.total {
        rows.push(attainment_cells(String::new(), t, true));
    }
    let widths = [500, 2854, 800, 1100, 1100, 950, 950, 1100];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_W);
    data_table(x, &widths, &head, &rows, SZ_12);
}

fn deputies_table(x: &mut Xml, s: &StaffingSection) {
    let head = vec![vec![
        HeadCell::new("TT"),
        HeadCell::new("Cơ quan, đơn vị"),
        HeadCell::new("Ngày số liệu"),
        HeadCell::new("Cấp trưởng"),
        HeadCell::new("Cấp phó"),
        HeadCell::new("Cấp phó tối đa"),
        HeadCell::new("Vượt"),
    ]];
    let rows: Vec<Vec<Cell>> = s
        .deputies
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let over = Cell::center(d.over.to_string());
            vec![
                Cell::center((i + 1).to_string()),
                Cell::left(&d.unit),
                Cell::center(short_date(d.on)),
                Cell::center(d.heads.to_string()),
                Cell::center(d.deputies.to_string()),
                Cell::center(d.cap.map_or("—".into(), |c| c.to_string())),
                if d.over > 0 { over.bold() } else { over },
            ]
        })
        .collect();
    let widths = [500, 3354, 1400, 1000, 1000, 1100, 1000];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_W);
    data_table(x, &widths, &head, &rows, SZ_12);
}

fn secondments_table(x: &mut Xml, s: &StaffingSection) {
    let head = vec![vec![
        HeadCell::new("TT"),
        HeadCell::new("Cơ quan, đơn vị"),
        HeadCell::new("Số người có mặt"),
        HeadCell::new("5% số có mặt"),
        HeadCell::new("Đang công tác ở cơ sở"),
        HeadCell::new("Còn phải cử"),
    ]];
    let cells = |stt: String, c: &crate::staffing::SecondmentLine| {
        vec![
            Cell::center(stt),
            Cell::left(&c.unit),
            Cell::center(c.headcount.to_string()),
            Cell::center(c.goal.to_string()),
            Cell::center(c.seconded.to_string()),
            Cell::center(c.missing().to_string()),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = s
        .secondments
        .iter()
        .enumerate()
        .map(|(i, c)| cells((i + 1).to_string(), c))
        .collect();
    rows.push(
        cells(String::new(), &s.secondment_total())
            .into_iter()
            .map(Cell::bold)
            .collect(),
    );
    let widths = [500, 3354, 1375, 1375, 1375, 1375];
    debug_assert_eq!(widths.iter().sum::<u32>(), TEXT_W);
    data_table(x, &widths, &head, &rows, SZ_12);
}

/// The four parts of the staffing figures under `h`.
pub fn section(x: &mut Xml, s: &StaffingSection, h: &Headings) {
    let head = |x: &mut Xml, text: &str| {
        if h.minor {
            sub_heading(x, text)
        } else {
            heading(x, text)
        }
    };
    head(x, h.progress);
    if s.targets.is_empty() {
        body(x, "Chưa có chỉ tiêu tinh giản biên chế.");
    }
    for t in &s.targets {
        body(x, &target_sentence(t));
        years_table(x, t);
    }

    head(x, h.units);
    if s.units.is_empty() {
        body(x, "Chưa có số liệu biên chế của cơ quan, đơn vị.");
    } else {
        let unmet = s.units.iter().filter(|u| u.met == Some(false)).count();
        let met = s.units.iter().filter(|u| u.met == Some(true)).count();
        let mut sentence = format!(
            "Tính đến ngày {}: {met} cơ quan, đơn vị đã đạt chỉ tiêu, {unmet} cơ quan, đơn vị chưa đạt.",
            text_date(s.as_of)
        );
        if let Some(t) = &s.total {
            sentence.push_str(&format!(
                " {}: biên chế năm gốc {} người, hiện nay {} người, {}; {}.",
                t.unit,
                t.baseline,
                t.current,
                reduction_words(t.baseline, t.current),
                verdict_text(t.met).to_lowercase()
            ));
        }
        body(x, &sentence);
        body(
            x,
            "Biên chế năm gốc của đơn vị hình thành do sáp nhập, hợp nhất là tổng biên chế năm gốc của các đơn vị tiền thân; đơn vị chia tách chia đều biên chế năm gốc của đơn vị bị chia.",
        );
        attainment_table(x, s);
    }

    head(x, h.deputies);
    if s.deputies.is_empty() {
        body(x, "Chưa có số liệu về số lượng lãnh đạo.");
    } else {
        let over: Vec<_> = s.deputies.iter().filter(|d| d.over > 0).collect();
        if over.is_empty() {
            body(
                x,
                "Không có cơ quan, đơn vị nào có số cấp phó vượt quy định.",
            );
        } else {
            body(
                x,
                &format!(
                    "Có {} cơ quan, đơn vị có số cấp phó vượt quy định, tổng cộng vượt {} người.",
                    over.len(),
                    over.iter().map(|d| d.over).sum::<u32>()
                ),
            );
        }
        deputies_table(x, s);
    }

    head(x, h.secondments);
    if s.secondments.is_empty() {
        body(x, "Chưa có số liệu về số người có mặt.");
    } else {
        let t = s.secondment_total();
        body(
            x,
            &format!(
                "Cử 5% cán bộ, công chức, viên chức đi công tác ở cơ sở: phải cử {} người, đang công tác ở cơ sở {} người ({} số phải cử), còn phải cử {} người.",
                t.goal,
                t.seconded,
                percent(t.seconded.min(t.goal), t.goal),
                t.missing()
            ),
        );
        secondments_table(x, s);
    }
}

/// The plans the targets cite: "Kế hoạch số 615/KH-UBND" (each once).
fn citation(s: &StaffingSection) -> Option<String> {
    let mut plans: Vec<&str> = Vec::new();
    for t in &s.targets {
        if let Some(p) = t.plan_number.as_deref() {
            if !plans.contains(&p) {
                plans.push(p);
            }
        }
    }
    (!plans.is_empty()).then(|| {
        plans
            .iter()
            .map(|p| format!("Kế hoạch số {p}"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The `<w:body>` of the staffing report.
pub fn report_body(r: &StaffingReport, header_rel: &str, first_rel: &str) -> String {
    let mut x = Xml::new();
    national_header(&mut x, &r.header, None);
    title_block(&mut x, &r.header.title, &r.header.subtitle);
    let s = &r.section;
    let cited = citation(s)
        .map(|c| format!("Thực hiện {c}; "))
        .unwrap_or_default();
    body(
        &mut x,
        &format!(
            "{cited}{} báo cáo tình hình thực hiện tinh giản biên chế, số lượng cấp phó và cử cán bộ, công chức, viên chức đi công tác ở cơ sở của {}, số liệu tính đến ngày {}, như sau:",
            r.reporter.trim(),
            s.covers,
            text_date(s.as_of)
        ),
    );
    heading(&mut x, "I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU TINH GIẢN BIÊN CHẾ");
    section(
        &mut x,
        s,
        &Headings {
            progress: "1. Chỉ tiêu và kết quả qua các năm",
            units: "2. Kết quả theo cơ quan, đơn vị",
            deputies: "II. SỐ LƯỢNG CẤP PHÓ SO VỚI QUY ĐỊNH",
            secondments: "III. CỬ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC ĐI CÔNG TÁC Ở CƠ SỞ",
            minor: false,
        },
    );
    body(
        &mut x,
        &format!(
            "Trên đây là báo cáo tình hình thực hiện tinh giản biên chế đến ngày {}./.",
            text_date(s.as_of)
        ),
    );
    recipients_and_signature(&mut x, &r.header);
    x.raw(&section_properties(
        false,
        true,
        &[("default", header_rel), ("first", first_rel)],
    ));
    x.into_string()
}
