//! Plans read from spreadsheets: golden snapshots of three realistic sheets built here
//! (a province's tracking workbook with a title block, a two-row merged header, group rows
//! and merged lead cells; an appendix sheet; a CSV saved by Excel with a BOM and
//! semicolons), the errors of bad files, and a property test that nothing panics.

use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};
use tinhgon_domain::DeadlineKind;
use tinhgon_extract::sheet::{extract_sheet_bytes, extract_workbook, SheetError, SheetPlan};
use tinhgon_ingest::sheet::{Sheet, SheetFormat, Workbook as Grid};
use tinhgon_ingest::IngestError;

/// The tracking workbook of a province: state header, number, date and title merged across
/// the columns; "Cơ quan thực hiện" merged over "Chủ trì | Phối hợp"; STT merged down the
/// two header rows; group rows I and II; one lead merged down two tasks; a date cell; a
/// progress column and a progress row under its task.
fn tracking_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = book.add_worksheet().set_name("Theo dõi").unwrap();
    ws.merge_range(0, 0, 0, 2, "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", &bold)
        .unwrap();
    ws.merge_range(0, 3, 0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold)
        .unwrap();
    ws.merge_range(1, 3, 1, 6, "Độc lập - Tự do - Hạnh phúc", &bold)
        .unwrap();
    ws.merge_range(2, 0, 2, 2, "Số: 615/KH-UBND", &Format::new())
        .unwrap();
    ws.merge_range(
        2,
        3,
        2,
        6,
        "Nghệ An, ngày 25 tháng 7 năm 2025",
        &Format::new(),
    )
    .unwrap();
    ws.merge_range(4, 0, 4, 6, "KẾ HOẠCH", &bold).unwrap();
    ws.merge_range(
        5,
        0,
        5,
        6,
        "Tiếp tục thực hiện các Nghị quyết, Kết luận của Trung ương về sắp xếp tổ chức bộ máy của hệ thống chính trị",
        &bold,
    )
    .unwrap();
    ws.merge_range(7, 0, 8, 0, "STT", &bold).unwrap();
    ws.merge_range(7, 1, 8, 1, "Nội dung nhiệm vụ", &bold)
        .unwrap();
    ws.merge_range(7, 2, 7, 3, "Cơ quan thực hiện", &bold)
        .unwrap();
    ws.write_string_with_format(8, 2, "Chủ trì", &bold).unwrap();
    ws.write_string_with_format(8, 3, "Phối hợp", &bold)
        .unwrap();
    ws.merge_range(7, 4, 8, 4, "Thời gian hoàn thành", &bold)
        .unwrap();
    ws.merge_range(7, 5, 8, 5, "Tình hình thực hiện", &bold)
        .unwrap();
    ws.merge_range(7, 6, 8, 6, "Ghi chú", &bold).unwrap();
    ws.merge_range(9, 0, 9, 6, "I. KIỆN TOÀN TỔ CHỨC BỘ MÁY", &bold)
        .unwrap();
    let rows: [[&str; 6]; 3] = [
        [
            "1",
            "Tiếp tục đôn đốc các cơ quan đơn vị kiện toàn bộ máy bên trong sau sáp nhập, sắp xếp",
            "",
            "Các Sở, ngành; các Chi cục và tương đương thuộc Sở",
            "Thường xuyên",
            "Đã có 12/17 sở hoàn thành",
        ],
        [
            "2",
            "Tổng hợp tham mưu lộ trình, phương án sử dụng biên chế đảm bảo giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước",
            "",
            "Ban Tổ chức Tỉnh ủy; các cơ quan, đơn vị, địa phương",
            "Cuối quý III/2025",
            "",
        ],
        [
            "3",
            "Rà soát các văn bản quy phạm pháp luật chịu sự tác động của việc sắp xếp tổ chức bộ máy",
            "Sở Tư pháp",
            "Sở Nội vụ",
            "",
            "Đang rà soát",
        ],
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = 10 + i as u32;
        for (c, t) in r.iter().enumerate() {
            if !t.is_empty() && c != 2 {
                ws.write_string(row, c as u16, *t).unwrap();
            }
        }
    }
    // Sở Nội vụ leads tasks 1 and 2: one cell merged down two rows.
    ws.merge_range(10, 2, 11, 2, "Sở Nội vụ", &Format::new())
        .unwrap();
    ws.write_string(12, 2, "Sở Tư pháp").unwrap();
    // Task 3's deadline is a date cell.
    ws.write_datetime_with_format(12, 4, ExcelDateTime::from_ymd(2025, 9, 30).unwrap(), &date)
        .unwrap();
    // A progress row under task 3.
    ws.write_string(13, 5, "Đã gửi dự thảo báo cáo cho Sở Nội vụ ngày 15/8/2025")
        .unwrap();
    ws.merge_range(14, 0, 14, 6, "II. CHÍNH SÁCH, CHẾ ĐỘ", &bold)
        .unwrap();
    ws.write_string(15, 0, "1").unwrap();
    ws.write_string(
        15,
        1,
        "Thực hiện chính sách, chế độ đối với cán bộ, công chức, viên chức chịu tác động của việc sắp xếp",
    )
    .unwrap();
    ws.write_string(15, 2, "Sở Tài chính").unwrap();
    ws.write_string(15, 3, "Sở Nội vụ; Kho bạc Nhà nước khu vực")
        .unwrap();
    ws.write_string(15, 4, "Trước 30/9/2025").unwrap();
    ws.write_string(17, 3, "Người lập biểu").unwrap();
    book.save_to_buffer().unwrap()
}

/// An appendix sheet: "PHỤ LỤC" block with the plan it belongs to, a column-number row, a
/// reference column, and a second sheet of notes that is not a task table.
fn appendix_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet().set_name("Phụ lục").unwrap();
    ws.write_string_with_format(0, 0, "PHỤ LỤC", &bold).unwrap();
    ws.write_string_with_format(
        1,
        0,
        "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026",
        &bold,
    )
    .unwrap();
    ws.write_string(
        2,
        0,
        "(Kèm theo Kế hoạch số 126/KH-UBND ngày 14/01/2026 của UBND tỉnh)",
    )
    .unwrap();
    for (c, h) in [
        "TT",
        "Số ký hiệu",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Cơ quan phối hợp",
        "Thời hạn",
        "Sản phẩm",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(4, c as u16, *h, &bold).unwrap();
    }
    for c in 0..7u16 {
        ws.write_string(5, c, format!("({})", c + 1)).unwrap();
    }
    let rows: [[&str; 7]; 3] = [
        [
            "1",
            "CCHC.01",
            "Xây dựng, hoàn thiện danh mục vị trí việc làm, khung năng lực, bản mô tả vị trí việc làm",
            "Sở Nội vụ",
            "Các địa phương, cơ quan, đơn vị",
            "Quý II",
            "Quyết định của UBND tỉnh",
        ],
        [
            "2",
            "CCHC.02",
            "Báo cáo tình hình thực hiện cải cách hành chính",
            "Văn phòng UBND tỉnh",
            "Các sở, ban, ngành",
            "Định kỳ hằng quý",
            "Báo cáo",
        ],
        [
            "3",
            "",
            "Tham mưu sáp nhập, sắp xếp, kiện toàn lại trung tâm giáo dục thường xuyên và trường trung cấp nghề",
            "Sở Giáo dục và Đào tạo",
            "Sở Nội vụ; UBND các xã, phường",
            "Sau khi có hướng dẫn của Bộ Giáo dục và Đào tạo",
            "",
        ],
    ];
    for (i, r) in rows.iter().enumerate() {
        for (c, t) in r.iter().enumerate() {
            ws.write_string(6 + i as u32, c as u16, *t).unwrap();
        }
    }
    let notes = book.add_worksheet().set_name("Ghi chú").unwrap();
    notes
        .write_string(0, 0, "Thời hạn ghi theo văn bản giao nhiệm vụ.")
        .unwrap();
    book.save_to_buffer().unwrap()
}

/// A CSV as Excel saves it "CSV UTF-8" with a Vietnamese locale: BOM, semicolons, quoted
/// cells with semicolons and line breaks inside, CRLF line ends.
fn semicolon_csv() -> Vec<u8> {
    let text = "\u{feff}Mục;Nội dung nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;Thời hạn;Kết quả thực hiện\r\n\
1.1;Rà soát, sắp xếp các đơn vị sự nghiệp công lập thuộc Sở;Sở Y tế;\"Sở Nội vụ; Sở Tài chính\";Quý IV/2025;\"Đã sáp nhập 3 trung tâm\nĐang hoàn thiện đề án\"\r\n\
1.2;Xây dựng đề án sắp xếp các ban quản lý dự án;Sở Xây dựng;Sở Nội vụ;Trước 31/12/2025;\r\n\
1.3;Báo cáo kết quả thực hiện định kỳ;Các sở, ban, ngành;;Hằng tháng, trước ngày 20;Đã báo cáo tháng 8\r\n\
;;;;;\r\n";
    text.as_bytes().to_vec()
}

fn read(bytes: &[u8], name: &str) -> SheetPlan {
    extract_sheet_bytes(bytes, Some(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn tracking_workbook_with_title_block_and_merged_cells() {
    let plan = read(&tracking_workbook(), "theo-doi-615.xlsx");
    let d = &plan.draft;
    assert_eq!(d.document.number.as_deref(), Some("615/KH-UBND"));
    assert_eq!(
        d.document.date,
        chrono::NaiveDate::from_ymd_opt(2025, 7, 25)
    );
    let refs: Vec<&str> = d.tasks.iter().map(|t| t.reference.as_str()).collect();
    assert_eq!(refs, ["I.1", "I.2", "I.3", "II.1"]);
    // The merged lead reaches both tasks it spans.
    assert_eq!(d.tasks[0].lead[0].name, "Sở Nội vụ");
    assert_eq!(d.tasks[1].lead[0].name, "Sở Nội vụ");
    assert_eq!(
        d.tasks[2].deadline.due,
        chrono::NaiveDate::from_ymd_opt(2025, 9, 30)
    );
    assert_eq!(
        d.tasks[2].progress.as_deref(),
        Some("Đang rà soát\nĐã gửi dự thảo báo cáo cho Sở Nội vụ ngày 15/8/2025")
    );
    // Row n of the sheet is line n of the source.
    assert_eq!(d.tasks[0].source.line_start, 11);
    assert!(plan.lines[10].contains("Tiếp tục đôn đốc"));
    insta::assert_json_snapshot!("sheet_tracking", d);
}

#[test]
fn appendix_sheet_takes_the_plan_it_is_attached_to() {
    let plan = read(&appendix_workbook(), "phu-luc.xlsx");
    let d = &plan.draft;
    assert_eq!(d.document.number.as_deref(), Some("126/KH-UBND"));
    assert_eq!(
        d.document.date,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 14)
    );
    let refs: Vec<&str> = d.tasks.iter().map(|t| t.reference.as_str()).collect();
    assert_eq!(refs, ["CCHC.01", "CCHC.02", "3"]);
    assert_eq!(d.tasks[1].deadline.kind, DeadlineKind::Recurring);
    assert_eq!(d.tasks[2].deadline.kind, DeadlineKind::Conditional);
    assert!(
        !d.warnings.iter().any(|w| w.contains("trang tính")),
        "a notes sheet is not a second task table: {:?}",
        d.warnings
    );
    insta::assert_json_snapshot!("sheet_appendix", d);
}

#[test]
fn semicolon_csv_with_bom() {
    let plan = read(&semicolon_csv(), "nhiem-vu.csv");
    let d = &plan.draft;
    assert_eq!(d.tasks.len(), 3);
    assert_eq!(d.tasks[0].reference, "1.1");
    assert_eq!(d.tasks[0].coordinating.len(), 2);
    assert_eq!(
        d.tasks[0].progress.as_deref(),
        Some("Đã sáp nhập 3 trung tâm\nĐang hoàn thiện đề án")
    );
    assert!(
        d.document.number.is_none(),
        "no title block: left for review"
    );
    insta::assert_json_snapshot!("sheet_csv", d);
}

#[test]
fn the_same_csv_with_commas_and_without_bom_reads_alike() {
    let semi = read(&semicolon_csv(), "a.csv").draft;
    let text = String::from_utf8(semicolon_csv()).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rdr.records() {
        w.write_record(&r.unwrap()).unwrap();
    }
    let comma = read(&w.into_inner().unwrap(), "a.csv").draft;
    assert_eq!(semi.tasks, comma.tasks);
}

fn err(bytes: &[u8], name: &str) -> SheetError {
    extract_sheet_bytes(bytes, Some(name)).expect_err(name)
}

#[test]
fn bad_files_are_refused_in_vietnamese() {
    assert_eq!(err(b"", "a.csv"), SheetError::Read(IngestError::Empty));
    assert!(matches!(
        err(b"\x89PNG\r\n\x1a\n\0\0\0", "anh.xlsx"),
        SheetError::Read(IngestError::Corrupt(_))
    ));
    assert!(matches!(
        err(b"PK\x03\x04 not really a zip", "hong.xlsx"),
        SheetError::Read(IngestError::Corrupt(_))
    ));
    let no_header = "Họ và tên;Ngày sinh;Quê quán\nNguyễn Văn A;01/01/1980;Nghệ An\n";
    let e = err(no_header.as_bytes(), "danh-sach.csv");
    assert_eq!(e, SheetError::NoHeader);
    assert!(e.to_string().contains("Nội dung nhiệm vụ"), "{e}");
    let header_only = "STT;Nội dung nhiệm vụ;Cơ quan chủ trì;Thời hạn\n";
    assert_eq!(
        err(header_only.as_bytes(), "trong.csv"),
        SheetError::NoTasks
    );
    // A 200 MB upload is refused by its size before any reading.
    let huge = vec![b'a'; 200 * 1024 * 1024];
    let e = err(&huge, "lon.csv");
    assert!(
        matches!(e, SheetError::Read(IngestError::TooLarge { .. })),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("tệp quá lớn"), "{e}");
}

#[test]
fn a_cell_a_million_rows_down_is_refused_without_laying_out_the_grid() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Nội dung nhiệm vụ").unwrap();
    ws.write_string(1_000_000, 1, "x").unwrap();
    let e = err(&book.save_to_buffer().unwrap(), "xa.xlsx");
    assert!(
        matches!(e, SheetError::Read(IngestError::SheetTooLarge { .. })),
        "{e:?}"
    );
    // A cell far to the right is notes: it is left out and the tasks still read.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, t) in ["Rà soát quy chế làm việc", "Sở Nội vụ", "Quý IV/2025"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *t).unwrap();
    }
    ws.write_string(1, 16_000, "x").unwrap();
    let plan = read(&book.save_to_buffer().unwrap(), "xa.xlsx");
    assert_eq!(plan.draft.tasks.len(), 1);
}

const WORDS: &[&str] = &[
    "",
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời hạn",
    "Tiến độ",
    "Mục",
    "I",
    "1",
    "Sở Nội vụ",
    "Các sở, ban, ngành; UBND các xã",
    "Quý III/2025",
    "Thường xuyên",
    "31/02/2025",
    "Số: 12/KH-UBND",
    "KẾ HOẠCH",
    "(1)",
    "Rà soát, sắp xếp bộ máy",
    "\u{0301}ạ;\"",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_string),
        ".{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048),
                                xlsx in any::<bool>()) {
        let name = if xlsx { "x.xlsx" } else { "x.csv" };
        let _ = extract_sheet_bytes(&bytes, Some(name));
        // A zip that starts like an .xlsx but is damaged.
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend_from_slice(&bytes);
        let _ = extract_sheet_bytes(&zipped, Some(name));
    }

    #[test]
    fn random_cells_never_panic_and_tasks_point_at_their_rows(
        rows in prop::collection::vec(prop::collection::vec(cell(), 0..8), 0..30),
        merges in prop::collection::vec((0usize..30, 0usize..8, 0usize..4, 0usize..4), 0..6),
    ) {
        let n = rows.len();
        let sheet = Sheet {
            name: "S".into(),
            rows,
            merges: merges
                .into_iter()
                .map(|(r, c, h, w)| tinhgon_ingest::sheet::Merge {
                    first_row: r, first_col: c, last_row: r + h, last_col: c + w,
                })
                .collect(),
        };
        let book = Grid { format: SheetFormat::Xlsx, sheets: vec![sheet] };
        if let Ok(plan) = extract_workbook(&book) {
            prop_assert_eq!(plan.lines.len(), n);
            for t in &plan.draft.tasks {
                prop_assert!(t.source.line_start >= 1 && t.source.line_end <= n);
                prop_assert!(!t.content.trim().is_empty());
            }
        }
    }
}
