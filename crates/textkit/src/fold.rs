//! Diacritic folding: the text fold used to match phrases inside documents, and the search
//! key under which names, titles and task contents are stored and looked up.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for matching: drops tone and vowel marks, maps đ/Đ to d, lowercases,
/// and collapses runs of whitespace into one space. Punctuation is kept, because the
/// document readers match patterns such as "ngày 15/12/2025" or "1." on the folded text.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !out.is_empty() {
                space = true;
            }
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// Sentence punctuation that separates words in a name but never tells two names apart.
/// "&", "-" and "/" stay: they are part of names ("Sở Giáo dục & Đào tạo") and plan numbers
/// ("615/KH-UBND").
fn separates_words(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '«'
            | '»'
            | '('
            | ')'
            | '['
            | ']'
            | '…'
    )
}

/// The search key of a name, title or task content: [`fold`], with sentence punctuation
/// read as a space and the ends trimmed. The store keeps this key beside each text and search
/// folds the typed query with the same function, so a name typed exactly ("Sở Văn hóa, Thể
/// thao và Du lịch") and one typed without marks or commas ("so van hoa the thao") both meet
/// the stored key.
pub fn search_key(text: &str) -> String {
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
        if c.is_whitespace() || separates_words(c) {
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
    use super::*;

    #[test]
    fn fold_drops_marks_and_d_bar() {
        assert_eq!(fold("Sở Nội vụ"), "so noi vu");
        assert_eq!(fold("  ĐẮK   LẮK "), "dak lak");
        assert_eq!(fold(&crate::nfc("Thành phố Vinh")), "thanh pho vinh");
        assert_eq!(
            fold("ngày 15/12/2025, quý III."),
            "ngay 15/12/2025, quy iii."
        );
    }

    #[test]
    fn fold_equal_for_composed_and_decomposed() {
        let composed = "Ủy ban nhân dân";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold(composed), fold(&decomposed));
    }

    #[test]
    fn search_key_reads_punctuation_as_space() {
        assert_eq!(search_key("Sở Nội vụ"), "so noi vu");
        assert_eq!(search_key("ĐẢNG ỦY  Các cơ quan"), "dang uy cac co quan");
        assert_eq!(
            search_key("Sở Văn hóa, Thể thao và Du lịch"),
            "so van hoa the thao va du lich"
        );
        assert_eq!(
            search_key("Sở Văn hóa, Thể thao và Du lịch"),
            search_key("so van hoa the thao va du lich")
        );
        assert_eq!(search_key("Sở Giáo dục & Đào tạo"), "so giao duc & dao tao");
        assert_eq!(
            search_key("Thị trấn Kim Nhan (huyện Anh Sơn)"),
            "thi tran kim nhan huyen anh son"
        );
        assert_eq!(search_key(" 615/KH-UBND "), "615/kh-ubnd");
        assert_eq!(search_key("Hoà"), search_key("Hòa"));
        assert_eq!(search_key(" , . "), "");
    }

    proptest::proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn search_key_is_idempotent_and_ignores_marks(s in "\\PC{0,40}") {
            let once = search_key(&s);
            proptest::prop_assert_eq!(search_key(&once), once.clone());
            proptest::prop_assert_eq!(search_key(&fold(&s)), once);
        }
    }
}
