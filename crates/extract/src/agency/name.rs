//! Canonical names: abbreviations expanded, person titles dropped, trailing roles cut.

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::AgencyRef;

use super::list::{collapse_spaces, head_key, looks_like_agency, TITLES};
use super::{agency, first_verb};

/// Abbreviations expanded in canonical names (whole words only).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("UBMTTQVN", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    ("MTTQ", "Mặt trận Tổ quốc Việt Nam"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("ĐBQH", "đại biểu Quốc hội"),
    ("GD&ĐT", "Giáo dục và Đào tạo"),
    ("GDĐT", "Giáo dục và Đào tạo"),
    ("LĐ-TB&XH", "Lao động, Thương binh và Xã hội"),
    ("LĐTB&XH", "Lao động, Thương binh và Xã hội"),
    ("LĐTBXH", "Lao động, Thương binh và Xã hội"),
    ("TN&MT", "Tài nguyên và Môi trường"),
    ("TNMT", "Tài nguyên và Môi trường"),
    ("KH&ĐT", "Kế hoạch và Đầu tư"),
    ("KHĐT", "Kế hoạch và Đầu tư"),
    ("NN&PTNT", "Nông nghiệp và Phát triển nông thôn"),
    ("NNPTNT", "Nông nghiệp và Phát triển nông thôn"),
    ("NN&MT", "Nông nghiệp và Môi trường"),
    ("VH,TT&DL", "Văn hóa, Thể thao và Du lịch"),
    ("VHTT&DL", "Văn hóa, Thể thao và Du lịch"),
    ("VHTTDL", "Văn hóa, Thể thao và Du lịch"),
    ("VH-TT", "Văn hóa - Thông tin"),
    ("TT&TT", "Thông tin và Truyền thông"),
    ("TTTT", "Thông tin và Truyền thông"),
    ("KH&CN", "Khoa học và Công nghệ"),
    ("KHCN", "Khoa học và Công nghệ"),
    ("GTVT", "Giao thông vận tải"),
    ("ĐVSNCL", "đơn vị sự nghiệp công lập"),
    ("BHXH", "Bảo hiểm xã hội"),
    ("BQLDA", "Ban Quản lý dự án"),
    ("BQL", "Ban Quản lý"),
    ("KKT", "Khu kinh tế"),
    ("BCH", "Ban Chấp hành"),
    ("BTV", "Ban Thường vụ"),
    ("BTC", "Ban Tổ chức"),
    ("PCT", "Phó Chủ tịch"),
    ("CVP", "Chánh Văn phòng"),
    ("PCVP", "Phó Chánh Văn phòng"),
    ("VP", "Văn phòng"),
    ("TT.", "Thường trực"),
    ("CA", "Công an"),
];

/// All abbreviations in one alternation (longest first), and "TT." which ends in a dot.
static ABBR_RE: Lazy<Option<Regex>> = Lazy::new(|| {
    let mut abbrs: Vec<&str> = ABBREVIATIONS
        .iter()
        .map(|(a, _)| *a)
        .filter(|a| !a.ends_with('.'))
        .collect();
    abbrs.sort_by_key(|a| std::cmp::Reverse(a.len()));
    let alt: Vec<String> = abbrs.iter().map(|a| regex::escape(a)).collect();
    Regex::new(&format!(r"(^|[\s(;,\-])({})($|[\s);,.:])", alt.join("|"))).ok()
});
static TT_RE: Lazy<Option<Regex>> = Lazy::new(|| Regex::new(r"(^|[\s(;,])(TT\.)").ok());

/// An agency cell often says what the body does after its name ("Sở Khoa học và Công nghệ
/// thúc đẩy, theo dõi, báo cáo chỉ tiêu", "Sở Nội vụ (Cơ quan thường trực Ban …)"): the
/// mention is the name, up to its first verb and without a trailing role in brackets.
pub fn trim_to_name(a: AgencyRef) -> AgencyRef {
    let mut text = a.text.as_str();
    if let Some(at) = first_verb(text) {
        let head = text[..at].trim_end_matches([' ', ',']);
        // "Các đơn vị được giao thực hiện TTHC": the passive clause says which bodies.
        let which = text[at..].starts_with("được giao") && !text[at..].contains(" chủ trì");
        if !which && head.split_whitespace().count() >= 2 && looks_like_agency(head) {
            text = head;
        }
    }
    if text.ends_with(')') {
        if let Some(open) = text.rfind(" (") {
            if open > 0 && text[..open].split_whitespace().count() >= 2 {
                text = &text[..open];
            }
        }
    }
    if text.len() == a.text.len() {
        return a;
    }
    agency(text).unwrap_or(a)
}

/// Canonical name: abbreviations expanded, person titles dropped, first letter capitalised.
pub fn canonical_name(text: &str) -> String {
    let mut name = super::list::new_style_marks(&text.replace("Uỷ", "Ủy").replace("uỷ", "ủy"));
    let full_of = |abbr: &str| {
        ABBREVIATIONS
            .iter()
            .find(|(a, _)| *a == abbr)
            .map_or(abbr, |(_, f)| *f)
            .to_string()
    };
    // Only text with capitals or "&" can hold an abbreviation; two passes catch neighbours
    // that share a separator ("TT HĐND UBND").
    if name.contains('&') || name.chars().filter(char::is_ascii_uppercase).count() >= 2 {
        for re in [ABBR_RE.as_ref(), ABBR_RE.as_ref(), TT_RE.as_ref()]
            .into_iter()
            .flatten()
        {
            name = re
                .replace_all(&name, |c: &regex::Captures| {
                    let lead = c.get(1).map_or("", |m| m.as_str());
                    let abbr = c.get(2).map_or("", |m| m.as_str());
                    let tail = c.get(3).map_or("", |m| m.as_str());
                    format!("{lead}{}{tail}", full_of(abbr))
                })
                .into_owned();
        }
    }
    // "BTC Tỉnh ủy" was expanded to "Ban Tổ chức Tỉnh ủy"; "Thường trực. Tỉnh ủy" cannot occur
    // because "TT." keeps its following space.
    let mut name = collapse_spaces(&name);
    let f = head_key(&name);
    for t in TITLES {
        if f.starts_with(t) {
            let rest: String = name.chars().skip(t.chars().count()).collect();
            if looks_like_agency(&rest) {
                name = rest;
            }
            break;
        }
    }
    let name = name.trim_end_matches(['.', ';', ',', ':', ' ']).to_string();
    capitalise(&name)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_expand() {
        assert_eq!(canonical_name("UBND cấp xã"), "Ủy ban nhân dân cấp xã");
        assert_eq!(canonical_name("Sở GD&ĐT"), "Sở Giáo dục và Đào tạo");
        assert_eq!(canonical_name("BTC Tỉnh ủy"), "Ban Tổ chức Tỉnh ủy");
        assert_eq!(
            canonical_name("TT. HĐND tỉnh"),
            "Thường trực Hội đồng nhân dân tỉnh"
        );
        assert_eq!(
            canonical_name("Sở LĐ-TB&XH"),
            "Sở Lao động, Thương binh và Xã hội"
        );
        assert_eq!(
            canonical_name("Uỷ ban nhân dân tỉnh"),
            "Ủy ban nhân dân tỉnh"
        );
        assert_eq!(canonical_name("Giám đốc Sở Nội vụ"), "Sở Nội vụ");
        assert_eq!(canonical_name("Tỉnh đoàn"), "Tỉnh đoàn");
        assert_eq!(canonical_name("Hội đồng hoà giải"), "Hội đồng hòa giải");
    }
}
