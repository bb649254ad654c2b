//! The spreadsheet template for importing a plan's tasks ("Mẫu nhập nhiệm vụ từ bảng
//! tính"): the header row the reader recognises, one example row, and a sheet of
//! instructions. The example is modelled on 615/KH-UBND so the template imports as it is.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::{AppError, Result};

/// Download name of the template.
pub const TEMPLATE_NAME: &str = "Mẫu nhập nhiệm vụ từ bảng tính.xlsx";

/// Columns of the task sheet, in order, with their widths.
pub const COLUMNS: [(&str, f64); 7] = [
    ("STT", 6.0),
    ("Số ký hiệu", 11.0),
    ("Nội dung nhiệm vụ", 60.0),
    ("Cơ quan chủ trì", 26.0),
    ("Cơ quan phối hợp", 30.0),
    ("Thời hạn", 18.0),
    ("Tình hình thực hiện", 40.0),
];

const EXAMPLE: [&str; 7] = [
    "1",
    "PL.1",
    "Tiếp tục đôn đốc các cơ quan, đơn vị kiện toàn bộ máy bên trong sau sáp nhập, sắp xếp",
    "Sở Nội vụ",
    "Các sở, ban, ngành; các Chi cục và tương đương thuộc Sở",
    "Quý III/2025",
    "Đã hoàn thành rà soát 12/17 sở",
];

const HELP: [&str; 8] = [
    "Hướng dẫn nhập nhiệm vụ từ bảng tính",
    "1. Mỗi dòng là một nhiệm vụ; giữ nguyên dòng tiêu đề của trang “Nhiệm vụ”. Có thể thêm dòng tiêu đề kế hoạch phía trên (Số: …/KH-UBND, ngày ban hành, tên kế hoạch).",
    "2. “Cơ quan chủ trì” ghi một cơ quan; “Cơ quan phối hợp” ghi nhiều cơ quan, cách nhau bằng dấu chấm phẩy.",
    "3. “Thời hạn” ghi như trong văn bản: “Quý III/2025”, “Trước 30/9/2025”, “Thường xuyên”, “Hằng quý”, hoặc một ô ngày.",
    "4. “Tình hình thực hiện” có thể để trống; nếu có, nội dung được hiển thị khi rà soát để đối chiếu.",
    "5. Dòng nhóm (I, II, …) được dùng làm tiền tố số ký hiệu khi cột “Số ký hiệu” để trống.",
    "6. Lưu tệp dạng .xlsx hoặc .csv (UTF-8, dấu phẩy hoặc dấu chấm phẩy) rồi tải lên ở trang Nhập kế hoạch.",
    "7. Sau khi tải lên, kế hoạch được rà soát (đối chiếu cơ quan với danh mục đơn vị) trước khi ban hành.",
];

fn xlsx_err(e: XlsxError) -> AppError {
    AppError::Internal(format!("không tạo được tệp XLSX: {e}"))
}

/// The template as XLSX bytes.
pub fn template() -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    {
        let ws = book
            .add_worksheet()
            .set_name("Nhiệm vụ")
            .map_err(xlsx_err)?;
        for (c, (title, width)) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *title, &bold)
                .map_err(xlsx_err)?;
            ws.set_column_width(c as u16, *width).map_err(xlsx_err)?;
        }
        for (c, text) in EXAMPLE.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *text, &wrap)
                .map_err(xlsx_err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(xlsx_err)?;
    }
    {
        let ws = book
            .add_worksheet()
            .set_name("Hướng dẫn")
            .map_err(xlsx_err)?;
        ws.set_column_width(0, 110.0).map_err(xlsx_err)?;
        for (r, line) in HELP.iter().enumerate() {
            ws.write_string(r as u32, 0, *line).map_err(xlsx_err)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_imports_as_its_example_task() {
        let bytes = template().expect("mẫu");
        let plan = tinhgon_extract::sheet::extract_sheet_bytes(&bytes, Some(TEMPLATE_NAME))
            .expect("mẫu đọc được");
        let t = &plan.draft.tasks;
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].reference, "PL.1");
        assert_eq!(t[0].lead[0].name, "Sở Nội vụ");
        assert_eq!(t[0].coordinating.len(), 2, "{:?}", t[0].coordinating);
        assert_eq!(t[0].deadline.text, "Quý III/2025");
        assert_eq!(
            t[0].progress.as_deref(),
            Some("Đã hoàn thành rà soát 12/17 sở")
        );
        assert!(plan.draft.warnings.is_empty(), "{:?}", plan.draft.warnings);
    }
}
