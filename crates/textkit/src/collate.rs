//! Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
//! letters first, tones only to break ties ("Bạch Hà" < "Bích Hào" < "Bình Minh"), so that a
//! list of names reads as a Vietnamese reader expects (Đ after D, not after Y as code-point
//! order would put it).

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;

/// The letters in their Vietnamese order; f, j, w, z (foreign words) sit where Latin puts them.
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// Level separator: below every weight, so a shorter text sorts before its extensions.
const END: u32 = 0;
const SPACE: u32 = 1;
const DIGIT: u32 = 2;
const LETTER: u32 = DIGIT + 10;
const OTHER: u32 = LETTER + ALPHABET.len() as u32;

/// A key whose order is the Vietnamese order of the text it was made from; compare keys
/// instead of texts when one list is sorted many times.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortKey(Vec<u32>);

/// One character split into what the order looks at.
struct Parts {
    primary: Option<u32>,
    tone: u32,
    upper: bool,
}

/// The tone of a combining mark (none, huyền, hỏi, ngã, sắc, nặng — the dictionary order),
/// or `None` for a mark that changes the letter instead (breve, circumflex, horn).
fn tone_of(mark: char) -> Option<u32> {
    match mark {
        '\u{300}' => Some(1),
        '\u{309}' => Some(2),
        '\u{303}' => Some(3),
        '\u{301}' => Some(4),
        '\u{323}' => Some(5),
        _ => None,
    }
}

fn letter_weight(base: char, breve: bool, circumflex: bool, horn: bool) -> Option<u32> {
    let letter = match (base, breve, circumflex, horn) {
        ('a', true, _, _) => "ă",
        ('a', _, true, _) => "â",
        ('e', _, true, _) => "ê",
        ('o', _, true, _) => "ô",
        ('o', _, _, true) => "ơ",
        ('u', _, _, true) => "ư",
        ('đ', ..) => "đ",
        _ => {
            let mut buf = [0u8; 4];
            let s: &str = base.encode_utf8(&mut buf);
            return ALPHABET
                .iter()
                .position(|l| *l == s)
                .map(|i| LETTER + i as u32);
        }
    };
    ALPHABET
        .iter()
        .position(|l| *l == letter)
        .map(|i| LETTER + i as u32)
}

/// Splits the text into characters with their marks.
fn parts(text: &str) -> Vec<Parts> {
    let mut out: Vec<Parts> = Vec::with_capacity(text.len());
    let chars: Vec<char> = text.nfd().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let (mut breve, mut circumflex, mut horn, mut tone) = (false, false, false, 0);
        while let Some(&m) = chars.get(i) {
            if unicode_normalization::char::is_combining_mark(m) {
                match m {
                    '\u{306}' => breve = true,
                    '\u{302}' => circumflex = true,
                    '\u{31B}' => horn = true,
                    m => tone = tone_of(m).unwrap_or(tone),
                }
                i += 1;
            } else {
                break;
            }
        }
        let upper = c.is_uppercase();
        let base = c.to_lowercase().next().unwrap_or(c);
        let primary = if c.is_whitespace() {
            Some(SPACE)
        } else if let Some(d) = base.to_digit(10).filter(|_| base.is_ascii_digit()) {
            Some(DIGIT + d)
        } else if let Some(w) = letter_weight(base, breve, circumflex, horn) {
            Some(w)
        } else if base.is_alphanumeric() {
            Some(OTHER + u32::from(base))
        } else {
            // Punctuation does not order names ("Sở Lao động, Thương binh" among "Sở L…").
            None
        };
        out.push(Parts {
            primary,
            tone,
            upper,
        });
    }
    out
}

/// The sort key of a text: letters (in the Vietnamese alphabet), then tones, then case, then
/// the text itself so that different texts never compare equal.
pub fn sort_key(text: &str) -> SortKey {
    let parts = parts(text);
    let mut key: Vec<u32> = Vec::with_capacity(parts.len() * 3 + text.len() + 3);
    let mut space = true;
    for p in &parts {
        match p.primary {
            // Runs of spaces and leading spaces do not count.
            Some(SPACE) if space => {}
            Some(w) => {
                space = w == SPACE;
                key.push(w);
            }
            None => {}
        }
    }
    if key.last() == Some(&SPACE) {
        key.pop();
    }
    key.push(END);
    key.extend(
        parts
            .iter()
            .filter(|p| p.primary.is_some())
            .map(|p| p.tone + 1),
    );
    key.push(END);
    key.extend(
        parts
            .iter()
            .filter(|p| p.primary.is_some())
            .map(|p| u32::from(p.upper) + 1),
    );
    key.push(END);
    key.extend(text.chars().map(|c| u32::from(c) + 1));
    SortKey(key)
}

/// Compares two texts in Vietnamese alphabetical order.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut names: Vec<&str>) -> Vec<&str> {
        names.sort_by(|a, b| compare(a, b));
        names
    }

    #[test]
    fn letters_before_tones() {
        assert_eq!(
            sorted(vec!["Bình Minh", "Bích Hào", "Bạch Hà"]),
            vec!["Bạch Hà", "Bích Hào", "Bình Minh"]
        );
    }

    #[test]
    fn d_bar_after_d_before_e() {
        assert_eq!(
            sorted(vec!["Yên Thành", "Đô Lương", "Diễn Châu", "Em"]),
            vec!["Diễn Châu", "Đô Lương", "Em", "Yên Thành"]
        );
    }

    #[test]
    fn modified_vowels_follow_their_base() {
        assert_eq!(
            sorted(vec!["ư", "u", "ơ", "ô", "o", "â", "ă", "a", "ê", "e", "b"]),
            vec!["a", "ă", "â", "b", "e", "ê", "o", "ô", "ơ", "u", "ư"]
        );
        assert_eq!(sorted(vec!["An", "Ân", "Anh"]), vec!["An", "Anh", "Ân"]);
    }

    #[test]
    fn tones_in_dictionary_order_and_shorter_first() {
        assert_eq!(
            sorted(vec!["mạ", "má", "mã", "mả", "mà", "ma"]),
            vec!["ma", "mà", "mả", "mã", "má", "mạ"]
        );
        assert_eq!(
            sorted(vec!["Bạch Hào", "Bạch Hà"]),
            vec!["Bạch Hà", "Bạch Hào"]
        );
        assert_eq!(
            sorted(vec!["Sở Y tế", "Sở Xây dựng"]),
            vec!["Sở Xây dựng", "Sở Y tế"]
        );
    }

    #[test]
    fn composed_and_decomposed_sort_alike_and_distinct_texts_differ() {
        let decomposed: String = "Nghệ An".nfd().collect();
        assert_eq!(
            compare("Nghệ An", "Nghi Lộc"),
            compare(&decomposed, "Nghi Lộc")
        );
        assert_ne!(compare("Sở A", "sở a"), Ordering::Equal);
        assert_eq!(compare("Sở A", "Sở A"), Ordering::Equal);
    }

    proptest::proptest! {
        #[test]
        fn order_is_total_and_consistent(a in "\\PC{0,12}", b in "\\PC{0,12}") {
            let ab = compare(&a, &b);
            proptest::prop_assert_eq!(ab, compare(&b, &a).reverse());
            proptest::prop_assert_eq!(ab == Ordering::Equal, a == b);
        }
    }
}
