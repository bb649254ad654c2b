//! Plausibility of an extracted text layer: is this Vietnamese (or at least Latin) text,
//! or glyph codes? A Word → Ghostscript PDF that lost its ToUnicode maps yields shifted
//! ASCII ("6Ӣ CÔNG 7+ѬѪ1*" for "SỞ CÔNG THƯƠNG"), Cyrillic and stray combining marks.

/// Frequent Vietnamese words of administrative text (folded, without tone marks).
const COMMON: &[&str] = &[
    "va", "cua", "cac", "nam", "ngay", "thang", "theo", "duoc", "trong", "thuc", "hien", "quyet",
    "dinh", "so", "tinh", "co", "quan", "don", "vi", "nha", "nuoc", "cong", "tac", "ke", "hoach",
    "phong", "ban", "uy", "nhan", "dan", "chu", "tri", "phoi", "hop", "cho", "voi", "ve", "la",
    "khong", "nay", "de", "tai", "cap", "viec", "nhiem", "vu", "quy", "to", "chuc", "bo", "so",
];

/// Scores of one text.
#[derive(Debug, Clone, Copy)]
pub struct Score {
    /// Share of letters that are junk (other scripts, private use, stray marks, U+FFFD).
    pub junk: f64,
    /// Share of word tokens that are frequent Vietnamese words.
    pub common: f64,
    /// Number of word tokens.
    pub tokens: usize,
}

fn junk(c: char) -> bool {
    let u = u32::from(c);
    matches!(u, 0x0370..=0x058F | 0x0300..=0x036F | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFFD)
        || (c.is_control() && !c.is_whitespace())
}

/// Scores NFC text.
pub fn score(text: &str) -> Score {
    let mut letters = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        if junk(c) {
            bad += 1;
            letters += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    let folded = tinhgon_textkit::fold(text);
    let mut tokens = 0usize;
    let mut common = 0usize;
    for w in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        tokens += 1;
        if COMMON.contains(&w) {
            common += 1;
        }
    }
    Score {
        junk: bad as f64 / letters.max(1) as f64,
        common: common as f64 / tokens.max(1) as f64,
        tokens,
    }
}

/// Whether the text layer is unusable.
pub fn broken(s: Score) -> bool {
    s.junk > 0.05 || (s.tokens >= 40 && s.common < 0.08)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_passes_glyph_codes_fail() {
        let good = "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện các nhiệm vụ của Sở Nội vụ \
                    và các cơ quan, đơn vị trong năm 2025 theo quyết định số 12 ngày 3 tháng 4";
        assert!(!broken(score(good)));
        let bad =
            "6Ӣ CÔNG 7+ѬѪ1* 4X\u{301}\u{323}\u{309} ÿQK ÿӏQK Fӫ D 8\u{300}\u{301} %Ӝ &{1* 7+ѬѪ1*";
        assert!(broken(score(bad)));
    }
}
