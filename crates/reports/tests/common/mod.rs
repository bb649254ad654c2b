//! Fixtures (the 16 tasks of seed plan 615/KH-UBND with scripted progress) and helpers
//! (unzip, LibreOffice headless) shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tinhgon_reports::{
    AggregatedReport, ClassCounts, OverdueRow, ReportHeader, SignatureBlock, StatusClass, TaskRow,
    UnitNote, UnitRow, UrgedItem, UrgingNotice,
};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid fixture date")
}

/// (content, lead, coordinating, deadline text) of the appendix of 615/KH-UBND, copied verbatim
/// from seed 000.
pub const PLAN_615_TASKS: [(&str, &str, &str, &str); 16] = [
    ("Tiếp tục đôn đốc các cơ quan đơn vị kiện toàn bộ máy bên trong sau sáp nhập, sắp xếp.", "Sở Nội vụ.", "Các Sở, ngành; các Chi cục và tương đương thuộc Sở.", "Thường xuyên."),
    ("Tổng hợp tham mưu lộ trình, phương án sử dụng biên chế đảm bảo giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước trên cơ sở các cơ quan, đơn vị báo cáo; tham mưu, báo cáo Ban Thường vụ Tỉnh ủy phương án phân bổ, sắp xếp biên chế của hệ thống chính trị theo đúng quy định.", "Sở Nội vụ.", "Ban Tổ chức Tỉnh ủy; các cơ quan, đơn vị, địa phương.", "Cuối quý III/2025 (theo Kế hoạch của Trung ương)."),
    ("Xây dựng kế hoạch cử 5% cán bộ, công chức, viên chức trong biên chế của cơ quan, tổ chức, đơn vị đi công tác ở cơ sở.", "Các Sở, ngành.", "Sở Nội vụ.", "Theo chỉ đạo của cấp có thẩm quyền và tình hình thực tế của địa phương"),
    ("Rà soát các văn bản quy phạm pháp luật chịu sự tác động của việc sắp xếp tổ chức bộ máy cần phải sửa đổi, bổ sung, thay thế để tham mưu cấp có thẩm quyền.", "Sở Tư pháp.", "Sở Nội vụ.", "Thường xuyên."),
    ("Xây dựng, hoàn thiện danh mục vị trí việc làm, khung năng lực, bản mô tả vị trí việc làm, làm cơ sở xác định biên chế của từng địa phương, cơ quan, đơn vị.", "Sở Nội vụ.", "Các địa phương, cơ quan, đơn vị.", "Theo Kế hoạch của Trung ương."),
    ("Tham mưu sửa đổi, bổ sung các quy định có liên quan về công tác cán bộ, công chức, viên chức cho phù hợp với tình hình thực tiễn.", "Sở Nội vụ.", "Các địa phương, cơ quan, đơn vị.", "Hoàn thành trong quý III/2025."),
    ("Tham mưu sáp nhập, sắp xếp, kiện toàn lại trung tâm giáo dục thường xuyên và trường trung cấp nghề.", "Sở Giáo dục và Đào tạo.", "Sở Nội vụ; các địa phương, cơ quan, đơn vị liên quan.", "Trình UBND tỉnh trong Quý III/2025."),
    ("Tham mưu sáp nhập, sắp xếp, kiện toàn hệ thống Trung tâm y tế cấp huyện; Trạm y tế cấp xã theo quy định.", "Sở Y tế.", "Sở Nội vụ; các địa phương, cơ quan, đơn vị liên quan.", "Trình UBND tỉnh trong Quý III/2025."),
    ("Xây dựng chính sách thu hút, trọng dụng người có tài năng vào làm việc trong các cơ quan nhà nước tỉnh Nghệ An", "Sở Nội vụ.", "Các địa phương, cơ quan, đơn vị có liên quan.", "Quý III năm 2025."),
    ("Thông báo công khai thông tin liên quan đến việc sắp xếp tổ chức bộ máy. Tiếp nhận, trả lời, hướng dẫn, giải đáp các vấn đề liên quan đến chức năng, nhiệm vụ, quyền hạn.", "Các địa phương, cơ quan, đơn vị.", "", "Thường xuyên."),
    ("Tham mưu sáp nhập, sắp xếp, kiện toàn các đơn vị sự nghiệp công lập thuộc UBND tỉnh.", "Sở Nội vụ.", "Các đơn vị sự nghiệp công lập thuộc UBND tỉnh", "Hoàn thành trong quý III/2025."),
    ("Xây dựng phương án sắp xếp trụ sở, tài sản, cơ sở vật chất của các cơ quan thực hiện sắp xếp, tinh gọn bộ máy khối chính quyền tỉnh.", "Sở Tài chính", "Các địa phương, cơ quan, đơn vị", "Trong quá trình thực hiện sắp xếp bộ máy chính quyền 2 cấp"),
    ("Trình ban hành quy định chức năng nhiệm vụ, quyền hạn, cơ cấu tổ chức các cơ quan chuyên môn thuộc UBND tỉnh, UBND cấp xã", "Sở Nội vụ; UBND cấp xã.", "Các cơ quan, đơn vị.", "Sau khi có Thông tư của các Bộ chuyên ngành."),
    ("Thực hiện giải quyết chế độ chính sách cho cán bộ, công chức, viên chức, người lao động và lực lượng vũ trang trong quá trình sắp xếp tổ chức bộ máy", "Sở Nội vụ", "Các địa phương, cơ quan, đơn vị", "Thường xuyên"),
    ("Tham mưu Nghị quyết đẩy mạnh phân cấp, phân quyền, phân định thẩm quyền của chính quyền 2 cấp", "Sở Nội vụ", "Các địa phương, cơ quan, đơn vị", "Trình UBND tỉnh trong quý III/2025"),
    ("Tham mưu giao biên chế công chức trong cơ quan hành chính nhà nước; giao số lượng người làm việc trong các đơn vị sự nghiệp chưa tự chủ chi thường xuyên", "Sở Nội vụ", "Các địa phương, cơ quan, đơn vị", "Trình UBND tỉnh tháng 10/2025"),
];

/// Scripted state at the 15/12/2025 cut-off: (due, class, completed on, latest progress).
fn scripted(
    i: usize,
) -> (
    Option<NaiveDate>,
    StatusClass,
    Option<NaiveDate>,
    Option<&'static str>,
) {
    let q3 = Some(d(2025, 9, 30));
    match i + 1 {
        1 | 4 | 10 | 14 => (
            None,
            StatusClass::Standing,
            None,
            Some("Đang triển khai thường xuyên theo kế hoạch."),
        ),
        2 => (
            q3,
            StatusClass::DoneLate,
            Some(d(2025, 10, 20)),
            Some("Đã trình Ban Thường vụ Tỉnh ủy phương án biên chế (Tờ trình số 412/TTr-SNV)."),
        ),
        3 | 5 | 13 => (None, StatusClass::WaitingForCondition, None, None),
        6 => (
            q3,
            StatusClass::DoneOnTime,
            Some(d(2025, 9, 25)),
            Some("Đã tham mưu ban hành Quyết định sửa đổi quy định về công tác cán bộ."),
        ),
        7 => (
            q3,
            StatusClass::Overdue,
            None,
            Some("Đang lấy ý kiến các địa phương về phương án sáp nhập."),
        ),
        8 => (
            q3,
            StatusClass::Overdue,
            None,
            Some("Đã xây dựng dự thảo đề án, chưa trình UBND tỉnh."),
        ),
        9 => (
            q3,
            StatusClass::DoneOnTime,
            Some(d(2025, 9, 28)),
            Some("UBND tỉnh đã ban hành chính sách thu hút."),
        ),
        11 => (
            q3,
            StatusClass::Overdue,
            None,
            Some("Chờ ý kiến thẩm định của Bộ Nội vụ."),
        ),
        12 => (
            None,
            StatusClass::InProgress,
            None,
            Some("Đã hoàn thành phương án sắp xếp trụ sở khối sở, ngành."),
        ),
        15 => (
            q3,
            StatusClass::DoneOnTime,
            Some(d(2025, 9, 30)),
            Some("Đã trình UBND tỉnh dự thảo Nghị quyết."),
        ),
        _ => (
            Some(d(2025, 10, 31)),
            StatusClass::DoneLate,
            Some(d(2025, 11, 10)),
            Some("UBND tỉnh đã giao biên chế năm 2026."),
        ),
    }
}

/// Trims the trailing full stop the appendix puts on agency names.
fn unit_name(s: &str) -> String {
    s.trim().trim_end_matches('.').to_string()
}

pub fn plan_615_rows() -> Vec<TaskRow> {
    PLAN_615_TASKS
        .iter()
        .enumerate()
        .map(|(i, (content, lead, coord, deadline))| {
            let (due, class, completed_on, progress) = scripted(i);
            TaskRow {
                reference: format!("PL.{}", i + 1),
                content: content.to_string(),
                lead: unit_name(lead),
                coordinating: unit_name(coord),
                deadline_text: deadline.trim().trim_end_matches('.').to_string(),
                due,
                class,
                completed_on,
                latest_progress: progress.map(str::to_string),
            }
        })
        .collect()
}

pub fn header(date: NaiveDate, subtitle: &str) -> ReportHeader {
    ReportHeader {
        issuer_parent: "UBND TỈNH NGHỆ AN".into(),
        issuer: "SỞ NỘI VỤ".into(),
        number: "        /BC-SNV".into(),
        place: "Nghệ An".into(),
        date,
        title: "BÁO CÁO".into(),
        subtitle: subtitle.into(),
        recipients: vec![
            "UBND tỉnh (để b/c)".into(),
            "Bộ Nội vụ (để b/c)".into(),
            "Chủ tịch, các PCT UBND tỉnh (để b/c)".into(),
            "Các sở, ban, ngành cấp tỉnh".into(),
            "UBND các xã, phường".into(),
            "Giám đốc, các PGĐ Sở".into(),
            "Lưu: VT, TCBM".into(),
        ],
        signer: SignatureBlock {
            capacity: vec!["KT. GIÁM ĐỐC".into(), "PHÓ GIÁM ĐỐC".into()],
            name: "Trần Quốc Thành".into(),
        },
    }
}

pub const CUTOFF: (i32, u32, u32) = (2025, 12, 15);

/// The aggregated report of 615/KH-UBND for quý IV/2025 built from the scripted rows, the way
/// the app layer would: totals and per-unit counts are derived from the rows.
pub fn report_615() -> AggregatedReport {
    report_from_rows(plan_615_rows())
}

pub fn report_from_rows(tasks: Vec<TaskRow>) -> AggregatedReport {
    let cutoff = d(CUTOFF.0, CUTOFF.1, CUTOFF.2);
    let totals = ClassCounts::from_classes(tasks.iter().map(|t| t.class));
    let mut by_unit: BTreeMap<String, ClassCounts> = BTreeMap::new();
    for t in &tasks {
        by_unit.entry(t.lead.clone()).or_default().add(t.class);
    }
    let overdue = tasks
        .iter()
        .filter(|t| t.class == StatusClass::Overdue)
        .filter_map(|t| {
            let due = t.due?;
            Some(OverdueRow {
                reference: t.reference.clone(),
                content: t.content.clone(),
                unit: t.lead.clone(),
                due,
                days_overdue: u32::try_from((cutoff - due).num_days()).unwrap_or(0),
                reason: t.latest_progress.clone(),
            })
        })
        .collect();
    // Previous period (quý III, cut-off 15/09/2025): nothing was due yet except standing work.
    let previous = ClassCounts {
        in_progress: 8,
        not_due: 1,
        waiting_for_condition: 3,
        standing: 4,
        ..ClassCounts::default()
    };
    AggregatedReport {
        header: header(
            d(2025, 12, 18),
            "Kết quả thực hiện Kế hoạch số 615/KH-UBND ngày 25/7/2025\ncủa UBND tỉnh (quý IV/2025)",
        ),
        reporter: "Sở Nội vụ".into(),
        plan_number: "615/KH-UBND".into(),
        plan_date: Some(d(2025, 7, 25)),
        plan_issuer: "UBND tỉnh".into(),
        plan_title: "tiếp tục thực hiện các Nghị quyết, Kết luận của Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư về một số nhiệm vụ, giải pháp tiếp tục xây dựng, hoàn thiện tổ chức bộ máy của hệ thống chính trị trong thời gian tới".into(),
        intro: String::new(),
        period_label: "quý IV/2025".into(),
        cutoff,
        totals,
        previous: Some(previous),
        previous_label: Some("quý III/2025".into()),
        units: by_unit
            .into_iter()
            .map(|(unit, counts)| UnitRow { unit, counts })
            .collect(),
        tasks,
        overdue,
        obstacles: vec![
            UnitNote { unit: "Sở Giáo dục và Đào tạo".into(), text: "Việc sáp nhập trung tâm giáo dục thường xuyên với trường trung cấp nghề phải chờ hướng dẫn của Bộ Giáo dục và Đào tạo về mô hình trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên.".into() },
            UnitNote { unit: "Sở Y tế".into(), text: "Một số trạm y tế cấp xã sau sắp xếp chưa bố trí được trụ sở.".into() },
        ],
        proposals: vec![UnitNote {
            unit: "Sở Nội vụ".into(),
            text: "Đề nghị UBND tỉnh chỉ đạo Sở Giáo dục và Đào tạo, Sở Y tế khẩn trương hoàn thành các nhiệm vụ quá hạn, báo cáo kết quả trước ngày 31/12/2025.".into(),
        }],
        closing: String::new(),
        staffing: None,
    }
}

/// Urging notice to Sở Y tế about its overdue assignment of 615/KH-UBND.
pub fn notice_615() -> UrgingNotice {
    let r = report_615();
    let as_of = r.cutoff;
    let items = r
        .overdue
        .iter()
        .filter(|o| o.unit == "Sở Y tế")
        .map(|o| UrgedItem {
            reference: o.reference.clone(),
            content: o.content.clone(),
            due: o.due,
            days_overdue: o.days_overdue,
        })
        .collect();
    let mut h = header(
        d(2025, 12, 16),
        "đôn đốc thực hiện nhiệm vụ tại Kế hoạch số 615/KH-UBND của UBND tỉnh",
    );
    h.number = "        /SNV-TCBM".into();
    h.title = String::new();
    h.recipients = vec![
        "Như trên".into(),
        "UBND tỉnh (để b/c)".into(),
        "Giám đốc Sở (để b/c)".into(),
        "Lưu: VT, TCBM".into(),
    ];
    UrgingNotice {
        header: h,
        reporter: "Sở Nội vụ".into(),
        addressee: "Sở Y tế".into(),
        plan_number: r.plan_number,
        plan_date: r.plan_date,
        plan_issuer: r.plan_issuer,
        plan_title: r.plan_title,
        as_of,
        items,
        request: "Để bảo đảm tiến độ chung của Kế hoạch, Sở Nội vụ đề nghị Sở Y tế tập trung chỉ đạo, khẩn trương hoàn thành nhiệm vụ nêu trên; trường hợp có khó khăn, vướng mắc vượt thẩm quyền, kịp thời báo cáo, đề xuất UBND tỉnh (qua Sở Nội vụ) xem xét, giải quyết.".into(),
        report_by: d(2025, 12, 25),
    }
}

/// Reads one part of a zip file as text.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("valid zip");
    let mut part = zip.by_name(name).expect("part present");
    let mut s = String::new();
    part.read_to_string(&mut s).expect("utf-8 part");
    s
}

/// Directory the rendered PNGs are kept in for a human to look at.
pub fn png_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("report-pngs");
    std::fs::create_dir_all(&dir).expect("png dir");
    dir
}

/// Staffing figures of Nghệ An on 30/6/2026 against 615/KH-UBND's "giảm tối thiểu 20%".
pub fn staffing_615() -> tinhgon_reports::StaffingSection {
    use tinhgon_reports::staffing::{AttainmentLine, DeputyLine, SecondmentLine, TargetLine};
    let line = |unit: &str, from: &[&str], baseline: u32, current: u32, met: bool| AttainmentLine {
        unit: unit.into(),
        predecessors: from.iter().map(|s| s.to_string()).collect(),
        baseline_year: Some(2021),
        baseline,
        current,
        reduction_percent: Some(
            ((f64::from(baseline) - f64::from(current)) * 1000.0 / f64::from(baseline)).round()
                / 10.0,
        ),
        target_percent: Some(20.0),
        met: Some(met),
    };
    tinhgon_reports::StaffingSection {
        as_of: d(2026, 6, 30),
        covers: "các cơ quan, đơn vị thuộc tỉnh Nghệ An".into(),
        targets: vec![TargetLine {
            measure: String::new(),
            title: "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước"
                .into(),
            percent: 20.0,
            baseline_year: 2021,
            deadline: Some(d(2026, 12, 31)),
            plan_number: Some("615/KH-UBND".into()),
            scope: String::new(),
            baseline: 462,
            max_allowed: 369,
            years: vec![(2024, 460), (2026, 370)],
        }],
        units: vec![
            line(
                "Sở Dân tộc và Tôn giáo",
                &[
                    "Ban Dân tộc tỉnh (30)",
                    "Ban Tôn giáo (thuộc Sở Nội vụ) (10)",
                ],
                40,
                33,
                false,
            ),
            line(
                "Sở Nội vụ",
                &["Sở Lao động, Thương binh và Xã hội (115)"],
                175,
                140,
                true,
            ),
            line(
                "Sở Tài chính",
                &["Sở Kế hoạch và Đầu tư (70)"],
                160,
                125,
                true,
            ),
            line("Sở Tư pháp", &[], 40, 34, false),
            line(
                "Xã Anh Sơn",
                &[
                    "Thị trấn Kim Nhan (huyện Anh Sơn) (20)",
                    "Xã Đức Sơn (huyện Anh Sơn) (15)",
                    "Xã Phúc Sơn (huyện Anh Sơn) (12)",
                ],
                47,
                38,
                false,
            ),
        ],
        total: Some(AttainmentLine {
            unit: "Toàn tỉnh".into(),
            ..line("", &[], 462, 370, false)
        }),
        deputies: vec![
            DeputyLine {
                unit: "Sở Tư pháp".into(),
                on: d(2026, 6, 1),
                heads: 1,
                deputies: 3,
                cap: Some(2),
                over: 1,
            },
            DeputyLine {
                unit: "Sở Tài chính".into(),
                on: d(2026, 6, 1),
                heads: 1,
                deputies: 2,
                cap: Some(3),
                over: 0,
            },
        ],
        secondments: vec![
            SecondmentLine {
                unit: "Sở Nội vụ".into(),
                headcount: 137,
                goal: 7,
                seconded: 5,
            },
            SecondmentLine {
                unit: "Sở Tư pháp".into(),
                headcount: 33,
                goal: 2,
                seconded: 2,
            },
        ],
    }
}

/// The staffing report of [`staffing_615`], dated 2/7/2026.
pub fn staffing_report_615() -> tinhgon_reports::StaffingReport {
    let mut header = header(
        d(2026, 7, 2),
        "Tình hình thực hiện tinh giản biên chế, số lượng cấp phó\nvà cử cán bộ, công chức, viên chức đi công tác ở cơ sở",
    );
    header.recipients = vec![
        "UBND tỉnh (để b/c)".into(),
        "Các cơ quan, đơn vị".into(),
        "Lưu: VT, SNV".into(),
    ];
    tinhgon_reports::StaffingReport {
        header,
        reporter: "Sở Nội vụ".into(),
        section: staffing_615(),
    }
}
