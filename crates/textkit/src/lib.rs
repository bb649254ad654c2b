//! Vietnamese text helpers shared by every crate: normalisation and diacritic folding.
//!
//! Search, agency matching and heading detection all compare *folded* text, so that
//! "so noi vu", "SỞ NỘI VỤ" and a decomposed "Sở Nội vụ" meet on one key.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Returns the text in Unicode NFC (Vietnamese often arrives decomposed).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Folds text for matching: drops tone and vowel marks, maps đ/Đ to d, lowercases,
/// and collapses runs of whitespace into one space.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_drops_marks_and_d_bar() {
        assert_eq!(fold("Sở Nội vụ"), "so noi vu");
        assert_eq!(fold("  ĐẮK   LẮK "), "dak lak");
        assert_eq!(fold(&nfc("Thành phố Vinh")), "thanh pho vinh");
    }

    #[test]
    fn fold_equal_for_composed_and_decomposed() {
        let composed = "Ủy ban nhân dân";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold(composed), fold(&decomposed));
    }

    proptest::proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once);
        }
    }
}
