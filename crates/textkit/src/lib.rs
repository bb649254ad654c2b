//! Vietnamese text helpers shared by every crate: normalisation, diacritic folding, the
//! search key under which names are stored and looked up, and Vietnamese alphabetical order.
//!
//! Search, agency matching and heading detection all compare *folded* text, so that
//! "so noi vu", "SỞ NỘI VỤ" and a decomposed "Sở Nội vụ" meet on one key.

mod collate;
mod fold;

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use collate::{compare, sort_key, SortKey};
pub use fold::{fold, search_key};

/// Returns the text in Unicode NFC (Vietnamese often arrives decomposed).
pub fn nfc(s: &str) -> String {
    nfc_cow(s).into_owned()
}

/// The text in NFC, borrowed when it already is. Normalising is the costly step of reading
/// a line, and Word and LibreOffice store NFC, so the usual case is a quick check and no copy.
pub fn nfc_cow(s: &str) -> Cow<'_, str> {
    // Blocks whose characters are all NFC-stable and never compose with a neighbour (Latin,
    // Latin Extended Additional, general punctuation, currency, shapes): the common case of
    // Vietnamese text needs no table look-up at all.
    let stable = |c: char| {
        let cp = u32::from(c);
        cp < 0x300
            || (0x1E00..=0x1EFF).contains(&cp)
            || (0x2010..=0x2027).contains(&cp)
            || (0x2030..=0x205E).contains(&cp)
            || (0x20A0..=0x20CF).contains(&cp)
            || (0x25A0..=0x25FF).contains(&cp)
            || cp == 0xFEFF
    };
    if s.is_ascii() || s.chars().all(stable) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_and_borrows_what_is_composed() {
        let decomposed: String = "Nghệ An".nfd().collect();
        assert_eq!(nfc(&decomposed), "Nghệ An");
        assert!(matches!(nfc_cow("Nghệ An"), Cow::Borrowed(_)));
        assert!(matches!(nfc_cow(&decomposed), Cow::Owned(_)));
        // Characters the quick path must not pass through unchanged: a combining acute, the
        // Ohm sign (NFC is Omega), circumflex and acute on e.
        for (input, composed) in [
            ("Quy\u{301} III", "Quý III"),
            ("Ω \u{2126} e\u{302}\u{301}", "Ω Ω ế"),
            ("“Quý” – …", "“Quý” – …"),
        ] {
            assert_eq!(nfc(input), composed, "{input:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn nfc_equals_the_normaliser(s in "\\PC{0,40}") {
            let full: String = s.nfc().collect();
            proptest::prop_assert_eq!(nfc(&s), full.clone());
            let decomposed: String = s.nfd().collect();
            proptest::prop_assert_eq!(nfc(&decomposed), full);
        }
    }
}
