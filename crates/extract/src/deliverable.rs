//! The deliverable of a task where the plan states it: a product column, a verb in the
//! deadline cell ("Trình UBND tỉnh trong Quý III/2025"), or the content's opening verb
//! ("Xây dựng kế hoạch …", "Tham mưu Nghị quyết …", "báo cáo UBND tỉnh …").

use tinhgon_textkit::fold;

use crate::agency::collapse_spaces;

/// Document kinds a task can produce, folded key → word used in the output.
const PRODUCTS: &[(&str, &str)] = &[
    ("to trinh", "tờ trình"),
    ("nghi quyet", "nghị quyết"),
    ("quyet dinh", "quyết định"),
    ("quy dinh", "quy định"),
    ("de an", "đề án"),
    ("ke hoach", "kế hoạch"),
    ("chuong trinh", "chương trình"),
    ("bao cao", "báo cáo"),
    ("huong dan", "hướng dẫn"),
    ("phuong an", "phương án"),
    ("quy che", "quy chế"),
    ("chinh sach", "chính sách"),
    ("van ban", "văn bản"),
];

/// From a "Sản phẩm" column: the cell as written.
pub fn from_cell(text: &str) -> Option<String> {
    let t = collapse_spaces(text.trim().trim_end_matches(['.', ';']));
    (!t.is_empty()).then_some(t)
}

/// From a deadline cell that starts with "Trình …" (a submission to a body).
pub fn from_deadline(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with("Trình ") || trimmed.starts_with("trình ")) {
        return None;
    }
    let t = collapse_spaces(trimmed);
    // "Trình UBND tỉnh trong Quý III/2025" → "Trình UBND tỉnh".
    let cut = [
        "trong", "truoc", "thang", "quy", "nam", "xong", "cuoi", "dau", "ngay", "(",
    ]
    .iter()
    .filter_map(|w| word_pos(&t, w))
    .min()
    .unwrap_or(t.len());
    let head = t[..cut].trim().trim_end_matches([',', '.']).to_string();
    (!head.is_empty()).then_some(head)
}

/// Byte position of a folded word in the original text, at a word start.
fn word_pos(text: &str, folded_word: &str) -> Option<usize> {
    let mut pos = 0;
    for w in text.split(' ') {
        let fw = fold(w);
        if pos > 0 && (fw == folded_word || (folded_word == "(" && w.starts_with('('))) {
            return Some(pos);
        }
        pos += w.len() + 1;
    }
    None
}

/// From the content's opening verb: "Xây dựng kế hoạch", "Tham mưu Nghị quyết",
/// "Trình ban hành quy định", "… báo cáo UBND tỉnh".
pub fn from_content(text: &str) -> Option<String> {
    let f = crate::paragraphs::fold_start(text, 48);
    let f = f.trim_start_matches(|c: char| !c.is_alphabetic());
    let openers = [
        "xay dung ",
        "tham muu ban hanh ",
        "tham muu ",
        "trinh ban hanh ",
        "ban hanh ",
        "soan thao ",
        "du thao ",
        "hoan thien ",
        "xay dung, hoan thien ",
        "lap ",
        "sua doi, bo sung ",
    ];
    for o in openers {
        if let Some(rest) = f.strip_prefix(o) {
            let rest = rest.trim_start_matches("cac ");
            for (key, word) in PRODUCTS {
                if rest.starts_with(key) {
                    return Some((*word).to_string());
                }
            }
        }
    }
    if f.starts_with("bao cao ") || text.contains(" báo cáo kết quả") {
        return Some("báo cáo".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliverables() {
        assert_eq!(
            from_deadline("Trình UBND tỉnh trong Quý III/2025.").as_deref(),
            Some("Trình UBND tỉnh")
        );
        assert_eq!(from_deadline("Thường xuyên"), None);
        assert_eq!(
            from_content("Xây dựng kế hoạch cử 5% cán bộ").as_deref(),
            Some("kế hoạch")
        );
        assert_eq!(
            from_content("Tham mưu Nghị quyết đẩy mạnh phân cấp").as_deref(),
            Some("nghị quyết")
        );
        assert_eq!(
            from_content("Trình ban hành quy định chức năng nhiệm vụ").as_deref(),
            Some("quy định")
        );
        assert_eq!(from_content("Tiếp tục đôn đốc các cơ quan"), None);
    }
}
