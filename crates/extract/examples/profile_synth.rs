//! Runs the extractor on the synthetic plan of the benchmark in a loop (for profilers).

use std::fmt::Write as _;

const AGENCIES: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Quản lý Khu kinh tế tỉnh",
    "Thuế tỉnh",
];

const DEADLINES: &[&str] = &[
    "Thường xuyên",
    "Quý III/2026",
    "Trình UBND tỉnh trong tháng 10/2026",
    "Hằng năm",
    "Sau khi có hướng dẫn của Trung ương",
    "Trước ngày 15/12/2026",
    "Năm 2027",
];

/// About 100 A4 pages of a realistic plan, as hard-wrapped text.
fn synthetic_plan() -> String {
    let mut s = String::new();
    s.push_str("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n");
    s.push_str("Số: 999/KH-UBND\nNghệ An, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\nThực hiện sắp xếp tổ chức bộ máy năm 2026\n");
    s.push_str("Thực hiện Nghị quyết số 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương Đảng khóa XIII; Kế hoạch số 307-KH/TU ngày 27/02/2025 của Ban Thường vụ Tỉnh ủy; UBND tỉnh ban hành kế hoạch như sau:\n");
    s.push_str("I. MỤC ĐÍCH, YÊU CẦU\n");
    for i in 1..=20 {
        let _ = writeln!(s, "{i}. Bảo đảm việc sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả,\ngắn với tinh giản biên chế và cơ cấu lại đội ngũ cán bộ, công chức, viên chức theo vị trí việc làm.");
    }
    s.push_str("II. NHIỆM VỤ, GIẢI PHÁP\n");
    for i in 1..=110 {
        let a = AGENCIES[i % AGENCIES.len()];
        let b = AGENCIES[(i + 3) % AGENCIES.len()];
        let _ = writeln!(
            s,
            "{i}. Tiếp tục rà soát, sửa đổi, bổ sung quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của các cơ quan,\nđơn vị thuộc, trực thuộc; đẩy mạnh phân cấp, phân quyền gắn với kiểm soát quyền lực, bảo đảm giảm tối thiểu 10% biên chế so với năm 2021.\n\n* Đơn vị thực hiện: {a} chủ trì, phối hợp với {b}, các cơ quan, đơn vị có liên quan tham mưu\nỦy ban nhân dân tỉnh triển khai thực hiện khi có chỉ đạo của cấp có thẩm quyền.\n"
        );
    }
    s.push_str("III. TỔ CHỨC THỰC HIỆN\n");
    for (i, a) in AGENCIES.iter().enumerate() {
        let _ = writeln!(s, "{}. {a}", i + 1);
        for k in 0..10 {
            let _ = writeln!(
                s,
                "- Chủ trì, phối hợp với các cơ quan liên quan theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ số {k} của kế hoạch này; định kỳ hằng quý báo cáo UBND tỉnh (qua Sở Nội vụ) kết quả thực hiện, những khó khăn, vướng mắc phát sinh."
            );
        }
    }
    s.push_str("Nơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n");
    s.push_str("PHỤ LỤC\nNHIỆM VỤ CỤ THỂ\nTT\nNội dung\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian thực hiện\n");
    for i in 1..=700 {
        let a = AGENCIES[i % AGENCIES.len()];
        let b = AGENCIES[(i + 5) % AGENCIES.len()];
        let d = DEADLINES[i % DEADLINES.len()];
        let _ = writeln!(
            s,
            "{i}.\nTham mưu sáp nhập, sắp xếp, kiện toàn các đơn vị sự nghiệp công lập thuộc phạm vi quản lý, bảo đảm tinh gọn, hiệu quả; xây dựng đề án vị trí việc làm số {i}.\n{a}.\n{b}; các địa phương, cơ quan, đơn vị liên quan.\n{d}."
        );
    }
    s
}

fn main() {
    let plan = synthetic_plan();
    let Ok(doc) = tinhgon_ingest::read(plan.as_bytes(), Some("synthetic.txt")) else {
        return;
    };
    let mut n = 0;
    for _ in 0..40 {
        n += tinhgon_extract::extract(&doc).tasks.len();
    }
    println!("{n}");
}
