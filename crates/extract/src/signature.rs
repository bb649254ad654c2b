//! The signature block: recipients ("Nơi nhận:" and its dashed lines) and the signer
//! (capacity lines "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", then the name).

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::Signer;
use tinhgon_textkit::fold;

use crate::metadata::HeaderLine;
use crate::paragraphs::is_caps;

static CAPACITY: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^(?:TM|KT|Q|TL|TUQ|T/M|K/T)\s*\.\s*\S").expect("static regex"));

/// Position words that can stand alone on a signature line.
const POSITIONS: &[&str] = &[
    "chu tich",
    "pho chu tich",
    "giam doc",
    "pho giam doc",
    "bo truong",
    "thu truong",
    "chanh van phong",
    "pho chanh van phong",
    "truong ban",
    "pho truong ban",
    "bi thu",
    "pho bi thu",
    "cuc truong",
    "pho cuc truong",
    "chanh thanh tra",
    "truong phong",
    "thu truong co quan",
    "vien truong",
    "hieu truong",
];

fn is_capacity(t: &str) -> bool {
    let f = fold(t);
    CAPACITY.is_match(t) || (is_caps(t) && POSITIONS.contains(&f.trim_end_matches(['.', ':'])))
}

/// Looks like a person's name: 2–6 words, each capitalised, no digits, not all capitals
/// unless short.
fn is_name(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    if !(2..=6).contains(&words.len()) || t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if t.contains([':', ';', ',', '(', '/']) {
        return false;
    }
    words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Where the recipient list starts ("Nơi nhận:"), if anywhere.
fn recipients_at(lines: &[HeaderLine]) -> Option<usize> {
    lines
        .iter()
        .position(|l| crate::paragraphs::fold_start(&l.text, 10).starts_with("noi nhan"))
}

/// Recipients, one per dashed line after "Nơi nhận:" (dash and trailing ";" removed).
pub(crate) fn recipients(lines: &[HeaderLine]) -> Vec<String> {
    let Some(at) = recipients_at(lines) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let first = &lines[at].text;
    let inline = first.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
    let mut candidates: Vec<&str> = Vec::new();
    if !inline.is_empty() {
        candidates.push(inline);
    }
    for l in &lines[at + 1..] {
        let t = l.text.trim();
        if !(t.starts_with(['-', '+', '–', '•'])) {
            if is_capacity(t) || is_caps(t) || !candidates.is_empty() {
                break;
            }
            continue;
        }
        candidates.push(t);
    }
    for c in candidates {
        let t = c.trim_start_matches(['-', '+', '–', '•']).trim();
        let t = t.trim_end_matches([';', ',']).trim();
        let t = t.strip_suffix('.').map(str::trim_end).unwrap_or(t);
        if !t.is_empty() {
            out.push(t.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    out
}

/// The signer: capacity lines, position and name, searched after the recipients (or the
/// whole document when there are none).
pub(crate) fn signer(lines: &[HeaderLine]) -> Option<Signer> {
    let from = recipients_at(lines).unwrap_or(0);
    let start = (from..lines.len()).find(|&i| {
        let t = lines[i].text.trim();
        CAPACITY.is_match(t) || (from > 0 && is_capacity(t))
    })?;
    let mut capacity: Vec<String> = Vec::new();
    let mut name = None;
    for l in lines[start..].iter().take(14) {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        let f = fold(t);
        if f.starts_with("(da ky") || f.starts_with("da ky") || f == "(ky)" || f.starts_with("(ky ")
        {
            continue;
        }
        if is_capacity(t) || (is_caps(t) && name.is_none() && capacity.len() < 4 && !is_name(t)) {
            if fold(t).starts_with("phu luc") {
                break;
            }
            capacity.push(t.to_string());
            continue;
        }
        if is_name(t) {
            name = Some(t.to_string());
        }
        break;
    }
    if capacity.is_empty() {
        return None;
    }
    let last = capacity.last().cloned().unwrap_or_default();
    let position = {
        let f = fold(&last);
        if f.starts_with("tm.") || f.starts_with("t/m") {
            None
        } else if f.starts_with("kt.") || f.starts_with("k/t") {
            last.split_once('.').map(|(_, p)| p.trim().to_string())
        } else {
            Some(last)
        }
    };
    Some(Signer {
        name,
        capacity,
        position,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::header_lines;

    fn hl(s: &str) -> Vec<HeaderLine> {
        header_lines(&s.lines().map(str::to_string).collect::<Vec<_>>())
    }

    #[test]
    fn seed000_block() {
        let l = hl("Nơi nhận:\n- Bộ Nội vụ;\n- TT. Tỉnh ủy;\n- Lưu: VT, TH  (Hùng) .\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nBùi Đình Long\nPHỤ LỤC");
        assert_eq!(
            recipients(&l),
            ["Bộ Nội vụ", "TT. Tỉnh ủy", "Lưu: VT, TH (Hùng)"]
        );
        let s = signer(&l).unwrap_or_default();
        assert_eq!(
            s.capacity,
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
        );
        assert_eq!(s.position.as_deref(), Some("PHÓ CHỦ TỊCH"));
        assert_eq!(s.name.as_deref(), Some("Bùi Đình Long"));
    }

    #[test]
    fn acting_director() {
        let s =
            signer(&hl("Nơi nhận:\n- Như trên;\nQ. GIÁM ĐỐC\n\nNguyễn Văn An")).unwrap_or_default();
        assert_eq!(s.position.as_deref(), Some("Q. GIÁM ĐỐC"));
        assert_eq!(s.name.as_deref(), Some("Nguyễn Văn An"));
    }
}
