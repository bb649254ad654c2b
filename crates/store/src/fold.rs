//! Diacritic- and case-insensitive folding of Vietnamese names, stored beside each name
//! so that lookups and search work the same on both databases.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a name: drops tone and vowel marks, maps đ→d, lowercases, and collapses
/// whitespace and punctuation to single spaces ("Sở Giáo dục & Đào tạo" → "so giao duc & dao tao").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '"' | '“' | '”' | '(' | ')')
        {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        out.extend(c.to_lowercase());
        space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_marks_case_and_d() {
        assert_eq!(fold("Sở Nội vụ"), "so noi vu");
        assert_eq!(fold("ĐẢNG ỦY  Các cơ quan"), "dang uy cac co quan");
        assert_eq!(
            fold("Sở Văn hóa, Thể thao và Du lịch"),
            "so van hoa the thao va du lich"
        );
        assert_eq!(fold("Hoà"), fold("Hòa"));
    }
}
