//! General rules on plans that are not seeds: a department's plan with sub-numbered tasks
//! and labelled "Cơ quan chủ trì / phối hợp / Thời gian" lines, fields inline in one
//! paragraph, an organisation section, and a Word table with a two-row header.

use tinhgon_domain::{DeadlineKind, DocumentKind, GroupKind};
use tinhgon_ingest::{Block, Cell, Document, Format, Row, Table};

const PLAN: &str = r#"UBND TỈNH HÀ TĨNH
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/KH-SNV
Hà Tĩnh, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Triển khai công tác cải cách hành chính năm 2026
Căn cứ Quyết định số 1234/QĐ-UBND ngày 20/12/2025 của UBND tỉnh về ban hành kế hoạch cải cách hành chính năm 2026;
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Sở Nội vụ ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm hoàn thành các chỉ tiêu cải cách hành chính.
II. NHIỆM VỤ CỤ THỂ
1. Cải cách thể chế
1.1. Rà soát văn bản quy phạm pháp luật do Sở tham mưu ban hành.
- Cơ quan chủ trì: Phòng Pháp chế.
- Cơ quan phối hợp: Văn phòng Sở; các phòng chuyên môn.
- Thời gian thực hiện: Quý II/2026.
1.2. Xây dựng báo cáo tình hình thi hành pháp luật.
- Cơ quan chủ trì: Thanh tra Sở.
- Thời gian thực hiện: trước ngày 15/11/2026.
2. Cải cách thủ tục hành chính: công bố danh mục thủ tục hành chính; cơ quan chủ trì: Văn phòng Sở; cơ quan phối hợp: Trung tâm Phục vụ hành chính công tỉnh; thời gian: Thường xuyên.
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng Sở có trách nhiệm theo dõi, đôn đốc, tổng hợp kết quả, báo cáo Giám đốc Sở định kỳ hằng quý.
2. Các phòng, đơn vị thuộc Sở căn cứ nhiệm vụ được giao xây dựng kế hoạch chi tiết.
Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT, VP.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Văn Bình
"#;

fn texts(list: &[tinhgon_domain::AgencyRef]) -> Vec<&str> {
    list.iter().map(|a| a.text.as_str()).collect()
}

#[test]
fn department_plan_with_labelled_fields() {
    let d = tinhgon_extract::extract_bytes(PLAN.as_bytes(), Some("ke-hoach.txt")).expect("reads");
    let m = &d.document;
    assert_eq!(m.number.as_deref(), Some("12/KH-SNV"));
    assert_eq!(m.kind, Some(DocumentKind::Plan));
    assert_eq!(
        m.issuer.as_deref(),
        Some("Sở Nội vụ"),
        "child body of the two-line header"
    );
    assert_eq!(m.date.map(|x| x.to_string()).as_deref(), Some("2026-03-05"));
    assert_eq!(
        m.title.as_deref(),
        Some("Triển khai công tác cải cách hành chính năm 2026")
    );
    assert_eq!(m.legal_bases.len(), 2);
    assert_eq!(m.legal_bases[1].kind, Some(DocumentKind::Law));
    let s = m.signer.clone().unwrap_or_default();
    assert_eq!(s.position.as_deref(), Some("PHÓ GIÁM ĐỐC"));
    assert_eq!(s.name.as_deref(), Some("Trần Văn Bình"));

    let refs: Vec<&str> = d.tasks.iter().map(|t| t.reference.as_str()).collect();
    assert_eq!(refs, ["II.1.1", "II.1.2", "II.2", "III.1", "III.2"]);
    let t = &d.tasks[0];
    assert_eq!(
        t.content,
        "Rà soát văn bản quy phạm pháp luật do Sở tham mưu ban hành."
    );
    assert_eq!(texts(&t.lead), ["Phòng Pháp chế"]);
    assert_eq!(
        texts(&t.coordinating),
        ["Văn phòng Sở", "các phòng chuyên môn"]
    );
    assert_eq!(t.coordinating[1].group, Some(GroupKind::SpecializedOffices));
    assert_eq!(t.deadline.kind, DeadlineKind::By);
    assert_eq!(
        t.deadline.due.map(|x| x.to_string()).as_deref(),
        Some("2026-06-30")
    );
    assert_eq!(d.tasks[1].deliverable.as_deref(), Some("báo cáo"));
    let inline = &d.tasks[2];
    assert_eq!(texts(&inline.lead), ["Văn phòng Sở"]);
    assert_eq!(
        texts(&inline.coordinating),
        ["Trung tâm Phục vụ hành chính công tỉnh"]
    );
    assert_eq!(inline.deadline.kind, DeadlineKind::Ongoing);
    assert_eq!(texts(&d.tasks[3].lead), ["Văn phòng Sở"]);
    assert_eq!(d.tasks[3].deadline.kind, DeadlineKind::Recurring);
}

fn cell(text: &str, line: usize) -> Cell {
    Cell {
        paragraphs: text.split('\n').map(str::to_string).collect(),
        span: 1,
        merged_above: false,
        line,
    }
}

#[test]
fn word_table_with_two_row_header_and_groups() {
    let header = Row {
        cells: vec![
            cell("STT", 0),
            cell("Nội dung công việc", 0),
            Cell {
                span: 2,
                ..cell("Cơ quan thực hiện", 0)
            },
            cell("Thời hạn hoàn thành", 0),
            cell("Sản phẩm", 0),
        ],
        header: true,
    };
    let sub = Row {
        cells: vec![
            cell("", 1),
            cell("", 1),
            cell("Chủ trì", 1),
            cell("Phối hợp", 1),
            cell("", 1),
            cell("", 1),
        ],
        header: true,
    };
    let group = Row {
        cells: vec![
            cell("I", 2),
            Cell {
                span: 5,
                ..cell("CÔNG TÁC TUYÊN TRUYỀN", 2)
            },
        ],
        header: false,
    };
    let row =
        |n: &str, content: &str, lead: &str, coord: &str, when: &str, product: &str, line| Row {
            cells: vec![
                cell(n, line),
                cell(content, line),
                cell(lead, line),
                cell(coord, line),
                cell(when, line),
                cell(product, line),
            ],
            header: false,
        };
    let table = Table {
        rows: vec![
            header,
            sub,
            group,
            row(
                "1",
                "Tuyên truyền về sắp xếp đơn vị hành chính",
                "Sở VHTTDL",
                "Báo Hà Tĩnh, Đài PT-TH tỉnh",
                "Quý I/2026",
                "Báo cáo kết quả",
                3,
            ),
            row(
                "2",
                "Tổ chức hội nghị quán triệt",
                "Sở Nội vụ",
                "Các sở, ban, ngành; UBND các xã, phường",
                "Tháng 02/2026",
                "",
                4,
            ),
        ],
        layout: false,
        line: 0,
    };
    let doc = Document {
        format: Format::Docx,
        lines: (0..5).map(|i| format!("dòng {i}")).collect(),
        blocks: vec![Block::Table(table)],
        warnings: Vec::new(),
        facts: Vec::new(),
    };
    let d = tinhgon_extract::extract(&doc);
    let refs: Vec<&str> = d.tasks.iter().map(|t| t.reference.as_str()).collect();
    assert_eq!(refs, ["PL.I.1", "PL.I.2"]);
    let t = &d.tasks[0];
    assert_eq!(texts(&t.lead), ["Sở VHTTDL"]);
    assert_eq!(t.lead[0].name, "Sở Văn hóa, Thể thao và Du lịch");
    assert_eq!(texts(&t.coordinating), ["Báo Hà Tĩnh", "Đài PT-TH tỉnh"]);
    assert_eq!(
        t.deadline.due.map(|x| x.to_string()).as_deref(),
        Some("2026-03-31")
    );
    assert_eq!(t.deliverable.as_deref(), Some("Báo cáo kết quả"));
    let t = &d.tasks[1];
    assert_eq!(
        texts(&t.coordinating),
        ["Các sở, ban, ngành", "UBND các xã, phường"]
    );
    assert_eq!(t.coordinating[1].group, Some(GroupKind::Communes));
    assert_eq!(
        t.deadline.due.map(|x| x.to_string()).as_deref(),
        Some("2026-02-28")
    );
    assert_eq!(t.source.line_start, 5);
}
