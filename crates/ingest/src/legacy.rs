//! Legacy Vietnamese font encodings: TCVN3 (ABC, fonts `.VnTime`) and VNI (fonts `VNI-Times`).
//!
//! Before Unicode, Vietnamese text was stored as Latin-1 bytes drawn with special fonts.
//! Read without the font, it shows as "Céng hßa" (TCVN3) or "Coäng hoøa" (VNI). Both are
//! converted here with their full tables; a document that mixes Unicode and legacy text is
//! converted paragraph by paragraph, touching only paragraphs that hold no Unicode
//! Vietnamese letter.

use std::borrow::Cow;

/// A legacy encoding recognised in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN 5712:1993 VN3, the "ABC" encoding.
    Tcvn3,
    /// VNI Windows: base letter followed by a mark character.
    Vni,
}

impl Legacy {
    /// The name users know the encoding by.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3",
            Legacy::Vni => "VNI",
        }
    }
}

/// TCVN3 byte → Unicode letter, for the bytes the encoding uses (0xA1..=0xFE).
const TCVN3: &[(u8, char)] = &[
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

/// The TCVN3 table, exposed so tests can build legacy samples from it.
pub fn tcvn3_table() -> &'static [(u8, char)] {
    TCVN3
}

fn tcvn3_char(c: char) -> Option<char> {
    let code = u32::from(c);
    if !(0xA1..=0xFE).contains(&code) {
        return None;
    }
    TCVN3
        .binary_search_by_key(&(code as u8), |&(b, _)| b)
        .ok()
        .map(|i| TCVN3[i].1)
}

/// VNI mark characters that follow a base letter, as combining marks.
fn vni_marks(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' | 'Ø' => "\u{300}",
        'ù' | 'Ù' => "\u{301}",
        'û' | 'Û' => "\u{309}",
        'õ' | 'Õ' => "\u{303}",
        'ï' | 'Ï' => "\u{323}",
        'â' | 'Â' => "\u{302}",
        'á' | 'Á' => "\u{302}\u{301}",
        'à' | 'À' => "\u{302}\u{300}",
        'å' | 'Å' => "\u{302}\u{309}",
        'ã' | 'Ã' => "\u{302}\u{303}",
        'ä' | 'Ä' => "\u{302}\u{323}",
        _ => return None,
    })
}

/// VNI breve marks, valid only after `a`/`A`.
fn vni_breve(c: char) -> Option<&'static str> {
    Some(match c {
        'ê' | 'Ê' => "\u{306}",
        'é' | 'É' => "\u{306}\u{301}",
        'è' | 'È' => "\u{306}\u{300}",
        'ú' | 'Ú' => "\u{306}\u{309}",
        'ü' | 'Ü' => "\u{306}\u{303}",
        'ë' | 'Ë' => "\u{306}\u{323}",
        _ => return None,
    })
}

/// VNI characters that stand alone for a whole letter.
fn vni_single(c: char) -> Option<char> {
    Some(match c {
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        _ => return None,
    })
}

fn is_ascii_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Vietnamese letters that exist only in Unicode text (not in Latin-1).
fn is_unicode_vietnamese(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1EA0
            ..=0x1EF9
                | 0x0102
                | 0x0103
                | 0x0110
                | 0x0111
                | 0x01A0
                | 0x01A1
                | 0x01AF
                | 0x01B0
                | 0x0128
                | 0x0129
                | 0x0168
                | 0x0169
    )
}

/// Recognises TCVN3 or VNI text read as Latin-1: Latin-1 letters inside ASCII words, and no
/// Unicode Vietnamese letters. VNI puts its mark after a vowel ("Vieät"); TCVN3 replaces the
/// vowel, so its characters mostly follow consonants ("ViÖt", "Céng").
pub fn detect(text: &str) -> Option<Legacy> {
    let mut unicode_viet = 0usize;
    let mut inside_word = 0usize;
    let mut after_vowel = 0usize;
    let mut words = 0usize;
    let mut prev = ' ';
    let chars: Vec<char> = text.chars().take(200_000).collect();
    for (i, &c) in chars.iter().enumerate() {
        if is_unicode_vietnamese(c) {
            unicode_viet += 1;
        }
        if c.is_alphanumeric() && !prev.is_alphanumeric() {
            words += 1;
        }
        let code = u32::from(c);
        if (0xA1..=0xFE).contains(&code) && code != 0xD7 && code != 0xF7 {
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if prev.is_ascii_alphabetic() || next.is_ascii_alphabetic() {
                inside_word += 1;
                if is_ascii_vowel(prev) || matches!(prev, 'ô' | 'ö' | 'Ô' | 'Ö') {
                    after_vowel += 1;
                }
            }
        }
        prev = c;
    }
    // Unicode Vietnamese letters mean the text is already Unicode; a few Latin-1 letters in
    // a long text are names or typos, not an encoding.
    if inside_word < 5 || inside_word < unicode_viet * 4 || inside_word * 5 < words {
        return None;
    }
    if after_vowel * 10 >= inside_word * 6 {
        Some(Legacy::Vni)
    } else {
        Some(Legacy::Tcvn3)
    }
}

/// Converts legacy text to Unicode NFC.
pub fn convert(text: &str, enc: Legacy) -> String {
    let raw = match enc {
        Legacy::Tcvn3 => text.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect(),
        Legacy::Vni => convert_vni(text),
    };
    tinhgon_textkit::nfc(&raw)
}

fn convert_vni(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut prev = ' ';
    for c in text.chars() {
        let mark = if prev.is_ascii_alphabetic() && is_ascii_vowel(prev) {
            if prev.eq_ignore_ascii_case(&'a') {
                vni_breve(c).or_else(|| vni_marks(c))
            } else {
                vni_marks(c)
            }
        } else if matches!(prev, 'ư' | 'Ư' | 'ơ' | 'Ơ') {
            // Tone marks only: "Thöôøng" is ư, ơ + grave.
            vni_marks(c).filter(|m| !m.starts_with('\u{302}'))
        } else {
            None
        };
        if let Some(m) = mark {
            out.push_str(m);
            prev = '\u{300}';
            continue;
        }
        if let Some(s) = vni_single(c) {
            out.push(s);
            prev = s;
            continue;
        }
        out.push(c);
        prev = c;
    }
    out
}

/// Converts the text if it is legacy-encoded; returns the encoding found.
pub fn repair(text: &str) -> (Cow<'_, str>, Option<Legacy>) {
    match detect(text) {
        Some(enc) => (Cow::Owned(convert(text, enc)), Some(enc)),
        None => (Cow::Borrowed(text), None),
    }
}

/// Converts one paragraph of a document already known to be legacy-encoded, unless the
/// paragraph is Unicode (mixed documents: a Unicode header pasted above legacy body text).
pub fn convert_part(text: &str, enc: Legacy) -> Option<String> {
    if text.chars().any(is_unicode_vietnamese) {
        return None;
    }
    let has_marker = text.chars().any(|c| (0xA1..=0xFE).contains(&u32::from(c)));
    has_marker.then(|| convert(text, enc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Encodes Unicode text to TCVN3 with the inverse of the table (lower case only, as the
    /// encoding has no upper-case toned letters).
    fn to_tcvn3(s: &str) -> String {
        s.nfc()
            .map(|c| {
                TCVN3
                    .iter()
                    .find(|&&(_, u)| u == c)
                    .map(|&(b, _)| char::from(b))
                    .unwrap_or(c)
            })
            .collect()
    }

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(TCVN3.windows(2).all(|w| w[0].0 < w[1].0));
        // 14 base letters (ă â ê ô ơ ư đ in both cases) + 12 vowels × 5 tones.
        assert_eq!(TCVN3.len(), 74);
    }

    #[test]
    fn tcvn3_round_trip() {
        let src = "cộng hòa xã hội chủ nghĩa việt nam, độc lập - tự do - hạnh phúc. \
                   ủy ban nhân dân tỉnh nghệ an ban hành kế hoạch sắp xếp tổ chức bộ máy";
        let legacy = to_tcvn3(src);
        assert!(legacy.contains('µ') || legacy.contains('¹'));
        assert_eq!(detect(&legacy), Some(Legacy::Tcvn3));
        assert_eq!(convert(&legacy, Legacy::Tcvn3), src);
    }

    #[test]
    fn every_tcvn3_letter_converts() {
        for &(b, u) in TCVN3 {
            assert_eq!(
                convert(&char::from(b).to_string(), Legacy::Tcvn3),
                u.to_string()
            );
        }
    }

    #[test]
    fn vni_sample_converts() {
        let legacy = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc. \
                      UÛy ban nhaân daân tænh; Sôû Noäi vuï; thöôøng xuyeân; ñaêng kyù";
        assert_eq!(detect(legacy), Some(Legacy::Vni));
        assert_eq!(
            convert(legacy, Legacy::Vni),
            "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. \
             Ủy ban nhân dân tỉnh; Sở Nội vụ; thường xuyên; đăng ký"
        );
    }

    #[test]
    fn vni_upper_case() {
        assert_eq!(
            convert("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", Legacy::Vni),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        );
    }

    #[test]
    fn unicode_and_latin_text_are_not_legacy() {
        assert_eq!(detect("Cộng hòa xã hội chủ nghĩa Việt Nam, Hà Nội"), None);
        assert_eq!(detect("Plain ASCII text only"), None);
        assert_eq!(detect("Café à la crème in Zürich"), None);
    }
}
