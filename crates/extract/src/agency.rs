//! Agency mentions: splitting lists, canonical names, collective groups, and telling the
//! lead agency from the coordinating ones in prose.

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{AgencyRef, GroupKind};
use tinhgon_textkit::fold;

/// Lowercase words (with their marks: "Bảo vệ" is not "Báo") that begin the name of a
/// body. A list is split at "," or "và" only when the next piece starts with one of these
/// (and is capitalised, or is a collective "các …"), so commas inside names
/// ("Sở Văn hóa, Thể thao và Du lịch") never split.
const HEADS: &[&str] = &[
    "sở ",
    "ban ",
    "ủy ban",
    "ubnd",
    "hđnd",
    "hội đồng",
    "văn phòng",
    "vp ",
    "thanh tra",
    "trung tâm",
    "phòng ",
    "công an",
    "bộ chỉ huy",
    "bộ ",
    "cục ",
    "chi cục",
    "kho bạc",
    "đài ",
    "báo ",
    "tỉnh ủy",
    "tỉnh đoàn",
    "huyện ủy",
    "thành ủy",
    "đảng ủy",
    "mặt trận",
    "ubmttq",
    "mttq",
    "liên đoàn",
    "liên minh",
    "hội ",
    "trường ",
    "bệnh viện",
    "viện ",
    "thường trực",
    "tt. ",
    "tt ",
    "chủ tịch",
    "giám đốc",
    "thủ trưởng",
    "người đứng đầu",
    "công ty",
    "doanh nghiệp",
    "ngân hàng",
    "bảo hiểm xã hội",
    "bhxh",
    "tòa án",
    "viện kiểm sát",
    "đoàn ",
    "btc ",
    "ban chỉ đạo",
    "quỹ ",
    "chính phủ",
    "thủ tướng",
    "thuế ",
    "hải quan",
    "điện lực",
    "bưu điện",
    "cảng vụ",
    "ủy ban kiểm tra",
];

/// Lowercase key for head matching: marks kept, old-style "uỷ"/"hoà" spelled the new way.
fn head_key(text: &str) -> String {
    let t = text.trim_start();
    // Heads are short: the first 40 characters decide.
    let t = match t.char_indices().nth(40) {
        Some((b, _)) => &t[..b],
        None => t,
    };
    let lower = t.to_lowercase().replace("uỷ", "ủy").replace("oà", "òa");
    format!("{} ", collapse_spaces(&lower))
}

/// Collective nouns that may follow a lowercase "các" to start a new body in a list.
const CAC_NOUNS: &[&str] = &[
    "các cơ quan",
    "các đơn vị",
    "các địa phương",
    "các sở",
    "các ban",
    "các phòng",
    "các chi cục",
    "các tổ chức",
    "các doanh nghiệp",
    "các xã",
    "các huyện",
    "các hội",
    "các trường",
    "các ngành",
    "các cấp",
    "các tập thể",
    "các cá nhân",
];

/// Person titles in front of a body ("Giám đốc các sở", "Chủ tịch UBND các xã"): the body
/// is what is assigned, so `name` drops the title.
const TITLES: &[&str] = &[
    "giám đốc ",
    "thủ trưởng ",
    "chủ tịch ",
    "trưởng ",
    "người đứng đầu ",
    "lãnh đạo ",
    "tổng thư ký ",
];

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

/// Parses a list of agencies as written in a table cell or a clause.
pub fn parse_list(text: &str) -> Vec<AgencyRef> {
    // Plans repeat the same cells ("Sở Nội vụ", "Các địa phương, cơ quan, đơn vị") row after
    // row; the result depends on the text alone, so it is remembered (bounded).
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Vec<AgencyRef>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(text).cloned()) {
        return hit;
    }
    let list: Vec<AgencyRef> = split_list(&crate::person_titles::bodies_for_titles(text))
        .into_iter()
        .filter_map(|t| agency(&t))
        .collect();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(text.to_string(), list.clone());
    });
    list
}

/// Splits an agency list at ";", line breaks, leading dashes, and at "," / "và" where they
/// join two separate bodies.
pub fn split_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in text.split(['\n', ';']) {
        let piece = clean(piece);
        if piece.is_empty() {
            continue;
        }
        for part in split_joined(&piece) {
            let part = clean(&part);
            if !part.is_empty() {
                out.push(part);
            }
        }
    }
    out
}

/// Splits at ", " and " và " where the following words start a new body.
fn split_joined(piece: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = piece.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let sep_len = if piece[i..].starts_with(", ") {
            2
        } else if piece[i..].starts_with(" và ") {
            4
        } else {
            0
        };
        if sep_len > 0 {
            let next = &piece[i + sep_len..];
            let before = &piece[start..i];
            if starts_body(next) && !joins_council(before, next) && !before.trim().is_empty() {
                parts.push(piece[start..i].to_string());
                start = i + sep_len;
                i += sep_len;
                continue;
            }
        }
        i += piece[i..].chars().next().map_or(1, char::len_utf8);
    }
    parts.push(piece[start..].to_string());
    parts
}

/// "Văn phòng HĐND và UBND tỉnh" is one office, not two bodies.
fn joins_council(before: &str, next: &str) -> bool {
    if before.len() > 160 {
        return false;
    }
    let b = fold(before);
    let n = crate::paragraphs::fold_start(next, 8);
    (b.starts_with("van phong") || b.starts_with("vp ") || b.starts_with("chanh"))
        && (b.ends_with("hdnd") || b.ends_with("hoi dong nhan dan"))
        && (n.starts_with("ubnd") || n.starts_with("uy ban"))
}

/// True when the text starts a new body: a capitalised head word, or "các" + a collective noun.
pub fn starts_body(text: &str) -> bool {
    let text = text.trim_start();
    let first = match text.chars().next() {
        Some(c) => c,
        None => return false,
    };
    let f = head_key(text);
    if first.is_uppercase() && HEADS.iter().any(|h| f.starts_with(h)) {
        // A capitalised "Ban", "Bộ", "Hội" must be followed by another capitalised word
        // ("Ban Tổ chức"), or it is an ordinary word opening a sentence.
        if f.starts_with("ban ") || f.starts_with("bộ ") || f.starts_with("hội ") {
            return text
                .split_whitespace()
                .nth(1)
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase);
        }
        return true;
    }
    if CAC_NOUNS.iter().any(|h| f.starts_with(h)) {
        return true;
    }
    if first.is_uppercase() && f.starts_with("các ") {
        return true;
    }
    false
}

/// True when the name starts with a person's title ("Người đứng đầu cơ quan …").
pub fn is_person_title(name: &str) -> bool {
    let f = head_key(name);
    TITLES.iter().any(|t| f.starts_with(t))
}

/// True when the text looks like it begins with an agency (for headings and subjects).
pub fn looks_like_agency(text: &str) -> bool {
    let t = text.trim_start();
    let f = head_key(t);
    // "Ban hành …", "Báo cáo …" open a duty; the head nouns "Ban", "Báo" need a name.
    if f.starts_with("ban hành") || f.starts_with("báo cáo") {
        return false;
    }
    starts_body(t)
        || HEADS.iter().any(|h| f.starts_with(h))
        || TITLES.iter().any(|h| f.starts_with(h))
        || f.starts_with("các ")
}

/// Removes list dashes, bullets, trailing punctuation and surrounding spaces.
pub fn clean(s: &str) -> String {
    let mut t = s.trim();
    loop {
        let before = t;
        t = t
            .trim_start_matches(['-', '–', '+', '•', '*', '·'])
            .trim_start();
        if t == before {
            break;
        }
    }
    let t = t.trim_end_matches(['.', ';', ',', ':', ' ', '\u{a0}']);
    collapse_spaces(t)
}

/// Collapses runs of whitespace to one space.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds an agency reference from one mention, or None when nothing is left.
pub fn agency(text: &str) -> Option<AgencyRef> {
    let text = clean(text);
    let folded = fold(&text);
    if text.is_empty() || !folded.chars().any(char::is_alphabetic) {
        return None;
    }
    let name = canonical_name(&text);
    let group = group_kind(&name);
    Some(AgencyRef { text, name, group })
}

/// An agency cell often says what the body does after its name ("Sở Khoa học và Công nghệ
/// thúc đẩy, theo dõi, báo cáo chỉ tiêu", "Sở Nội vụ (Cơ quan thường trực Ban …)"): the
/// mention is the name, up to its first verb and without a trailing role in brackets.
pub fn trim_to_name(a: AgencyRef) -> AgencyRef {
    let mut text = a.text.as_str();
    if let Some(at) = first_verb(text) {
        let head = text[..at].trim_end_matches([' ', ',']);
        if head.split_whitespace().count() >= 2 && looks_like_agency(head) {
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
    let mut name = text
        .replace("Uỷ", "Ủy")
        .replace("uỷ", "ủy")
        .replace("oà", "òa");
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

/// The group kind of a collective mention, if it is one.
pub fn group_kind(name: &str) -> Option<GroupKind> {
    let f = format!(" {} ", fold(name).replace([',', ';', '(', ')'], " "));
    let f = collapse_spaces(&f);
    let f = format!(" {f} ");
    let plural = f.contains(" cac ") || f.contains(" cap ");
    if f.contains(" don vi su nghiep") && plural {
        return Some(GroupKind::PublicServiceUnits);
    }
    if f.contains(" chi cuc ") && plural {
        return Some(GroupKind::SubDepartments);
    }
    if f.contains(" cac phong ")
        || f.contains(" cac co quan chuyen mon thuoc uy ban nhan dan huyen")
    {
        return Some(GroupKind::SpecializedOffices);
    }
    let commune = [
        " cac xa ",
        " cap xa ",
        " xa phuong ",
        " xa thi tran ",
        " cac phuong ",
        " cac dac khu ",
        " xa phuong dac khu ",
    ];
    if commune.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Communes);
    }
    let district = [
        " cac huyen ",
        " cap huyen ",
        " huyen thanh pho ",
        " huyen thi xa ",
    ];
    if district.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Districts);
    }
    let departments = [
        " cac so ",
        " so ban nganh ",
        " so nganh ",
        " cac ban nganh ",
        " cac nganh ",
        " cac co quan chuyen mon thuoc uy ban nhan dan tinh ",
        " cac co quan chuyen mon ",
    ];
    if departments.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Departments);
    }
    let unspecified = [
        " cac co quan ",
        " cac dia phuong ",
        " cac don vi ",
        " cac to chuc ",
        " co quan don vi ",
        " co quan lien quan ",
        " don vi lien quan ",
        " cac doanh nghiep ",
    ];
    if unspecified.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Unspecified);
    }
    None
}

pub use crate::verbs::first_verb;

/// Lead and coordinating agencies read from an assignment sentence
/// ("Sở Tư pháp chủ trì, phối hợp các cơ quan liên quan hướng dẫn …").
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Assignment {
    /// Agencies named as subject or "chủ trì".
    pub lead: Vec<AgencyRef>,
    /// Agencies after "phối hợp (với)".
    pub coordinating: Vec<AgencyRef>,
    /// Byte offset where the subject ends (0 when there is none).
    pub subject_end: usize,
}

/// Reads the subject and the "phối hợp với …" list of a sentence. `subject_required`: the
/// sentence must start with an agency for a subject to be taken.
pub fn read_assignment(sentence: &str) -> Assignment {
    let s = sentence.trim();
    let mut out = Assignment::default();
    if looks_like_agency(s) {
        if let Some(end) = first_verb(s) {
            // A modal or an adverbial between the subject and its verb ("UBND thành phố
            // cần tiếp tục …", "Các bộ, ngành trên cơ sở nhiệm vụ được giao …") is not
            // part of the name.
            let end = [" cần ", " phải ", " trên cơ sở ", " căn cứ "]
                .iter()
                .filter_map(|w| s[..end].find(w))
                .min()
                .unwrap_or(end);
            let subject = &s[..end];
            out.lead = parse_list(subject);
            out.subject_end = end;
        } else if s.split_whitespace().count() <= 25 {
            out.lead = parse_list(s);
            out.subject_end = s.len();
        }
    }
    out.coordinating = coordinating_in(&s[out.subject_end..]);
    out
}

/// Agencies after "phối hợp (với|cùng)" up to the next verb.
pub fn coordinating_in(text: &str) -> Vec<AgencyRef> {
    let Some(pos) = text.find("phối hợp").or_else(|| text.find("Phối hợp")) else {
        return Vec::new();
    };
    let mut rest = &text[pos + "phối hợp".len()..];
    rest = rest.trim_start_matches([',', ' ', ':']);
    for w in ["với ", "cùng "] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
        }
    }
    let generic = [
        "cơ quan",
        "đơn vị",
        "chính quyền",
        "lực lượng",
        "địa phương",
    ];
    if !looks_like_agency(rest) && !generic.iter().any(|g| rest.starts_with(g)) {
        return Vec::new();
    }
    let mut end = first_verb(rest).unwrap_or(rest.len());
    // Words that start what the cooperation is about, not another body.
    for stop in [" trong ", " về ", " nhằm ", " để ", " đối với ", " tại "] {
        if let Some(i) = rest[..end].find(stop) {
            end = end.min(i);
        }
    }
    let end = rest[..end].find(['.', ';', ':']).unwrap_or(end);
    parse_list(&rest[..end])
}

/// Adds agencies not already present (by folded name).
pub fn push_unique(into: &mut Vec<AgencyRef>, more: impl IntoIterator<Item = AgencyRef>) {
    for a in more {
        // Names are canonical already: letter case is the only difference left.
        let key = a.name.to_lowercase();
        if !into.iter().any(|b| b.name.to_lowercase() == key) {
            into.push(a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: &[AgencyRef]) -> Vec<&str> {
        v.iter().map(|a| a.text.as_str()).collect()
    }

    #[test]
    fn names_with_commas_do_not_split() {
        for name in [
            "Sở Văn hóa, Thể thao và Du lịch",
            "Các Sở, ban, ngành",
            "Sở Giáo dục và Đào tạo",
            "UBND xã, phường",
            "Sở Lao động, Thương binh và Xã hội",
            "Phòng Tài chính - Kế hoạch",
            "Các địa phương, cơ quan, đơn vị",
            "các Chi cục và tương đương thuộc Sở",
            "Sở Khoa học và Công nghệ",
            "Văn phòng HĐND và UBND tỉnh",
        ] {
            assert_eq!(split_list(name), vec![name.to_string()], "{name}");
        }
    }

    #[test]
    fn lists_split_between_bodies() {
        assert_eq!(
            texts(&parse_list(
                "Sở Nội vụ; các địa phương, cơ quan, đơn vị liên quan."
            )),
            ["Sở Nội vụ", "các địa phương, cơ quan, đơn vị liên quan"]
        );
        assert_eq!(
            texts(&parse_list(
                "Các sở, ban ngành, Ủy ban nhân dân các huyện, thành phố."
            )),
            ["Các sở, ban ngành", "Ủy ban nhân dân các huyện, thành phố"]
        );
        assert_eq!(
            texts(&parse_list("- Sở Nội vụ;\n- UBND cấp xã.")),
            ["Sở Nội vụ", "UBND cấp xã"]
        );
        assert_eq!(
            texts(&parse_list("Các Sở, ban, ngành và UBND các xã, phường")),
            ["Các Sở, ban, ngành", "UBND các xã, phường"]
        );
        assert_eq!(
            texts(&parse_list("Sở Nội vụ, các cơ quan đơn vị có liên quan")),
            ["Sở Nội vụ", "các cơ quan đơn vị có liên quan"]
        );
    }

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
    }

    #[test]
    fn groups_are_recognised() {
        let g = |s: &str| agency(s).and_then(|a| a.group);
        assert_eq!(g("Các Sở, ngành"), Some(GroupKind::Departments));
        assert_eq!(
            g("Giám đốc các sở, ban, ngành"),
            Some(GroupKind::Departments)
        );
        assert_eq!(g("UBND các xã, phường"), Some(GroupKind::Communes));
        assert_eq!(g("UBND cấp xã"), Some(GroupKind::Communes));
        assert_eq!(g("Chủ tịch UBND các xã, phường"), Some(GroupKind::Communes));
        assert_eq!(g("UBND các xã, thị trấn"), Some(GroupKind::Communes));
        assert_eq!(
            g("UBND các huyện, thành phố, thị xã"),
            Some(GroupKind::Districts)
        );
        assert_eq!(
            g("các đơn vị sự nghiệp công lập thuộc UBND tỉnh"),
            Some(GroupKind::PublicServiceUnits)
        );
        assert_eq!(
            g("các Chi cục và tương đương thuộc Sở"),
            Some(GroupKind::SubDepartments)
        );
        assert_eq!(
            g("các phòng chuyên môn"),
            Some(GroupKind::SpecializedOffices)
        );
        assert_eq!(
            g("các cơ quan, đơn vị liên quan"),
            Some(GroupKind::Unspecified)
        );
        assert_eq!(
            g("Các địa phương, cơ quan, đơn vị"),
            Some(GroupKind::Unspecified)
        );
        assert_eq!(g("Sở Nội vụ"), None);
        assert_eq!(g("Ban Tổ chức Tỉnh ủy"), None);
    }

    #[test]
    fn lead_and_coordinating_in_prose() {
        let a = read_assignment(
            "Sở Tư pháp chủ trì, phối hợp các cơ quan liên quan hướng dẫn các sở tiến hành rà soát.",
        );
        assert_eq!(texts(&a.lead), ["Sở Tư pháp"]);
        assert_eq!(texts(&a.coordinating), ["các cơ quan liên quan"]);
        let a = read_assignment(
            "Sở Khoa học và Công nghệ; Sở Nội vụ; Văn phòng Ủy ban nhân dân tỉnh căn cứ chức năng, nhiệm vụ giao chủ trì, phối hợp với các cơ quan, đơn vị, địa phương tham mưu Ủy ban nhân dân tỉnh.",
        );
        assert_eq!(
            texts(&a.lead),
            [
                "Sở Khoa học và Công nghệ",
                "Sở Nội vụ",
                "Văn phòng Ủy ban nhân dân tỉnh"
            ]
        );
        assert_eq!(texts(&a.coordinating), ["các cơ quan, đơn vị, địa phương"]);
        let a = read_assignment("Chủ trì, phối hợp với các cơ quan liên quan theo dõi.");
        assert!(a.lead.is_empty());
        assert_eq!(texts(&a.coordinating), ["các cơ quan liên quan"]);
    }
}
