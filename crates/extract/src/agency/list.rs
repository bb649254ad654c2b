//! Where one body's mention ends and the next begins in a list, and what looks like a body.

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
    "vụ ",
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
    "trung ương ",
];

/// Lowercase key for head matching: marks kept, old-style "uỷ"/"hoà" spelled the new way.
pub(super) fn head_key(text: &str) -> String {
    let t = text.trim_start();
    // Heads are short: the first 40 characters decide.
    let t = match t.char_indices().nth(40) {
        Some((b, _)) => &t[..b],
        None => t,
    };
    let lower = new_style_marks(&t.to_lowercase().replace("uỷ", "ủy"));
    format!("{} ", collapse_spaces(&lower))
}

/// Old-style "hoà", "toà" spelled the new way; "đoàn", "toàn" are the same in both styles
/// and stay as they are.
pub(crate) fn new_style_marks(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'o' && chars.peek() == Some(&'à') {
            chars.next();
            if chars.peek().is_some_and(|n| n.is_alphabetic()) {
                out.push_str("oà");
            } else {
                out.push_str("òa");
            }
        } else {
            out.push(c);
        }
    }
    out
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
    "các bộ",
    "các đoàn thể",
    "các ủy ban",
    "các lực lượng",
    "các tỉnh ủy",
    "các thành ủy",
    "các viện",
    "các cơ sở",
];

/// Person titles in front of a body ("Giám đốc các sở", "Chủ tịch UBND các xã"): the body
/// is what is assigned, so `name` drops the title.
pub(super) const TITLES: &[&str] = &[
    "giám đốc ",
    "thủ trưởng ",
    "chủ tịch ",
    "trưởng ",
    "người đứng đầu ",
    "lãnh đạo ",
    "tổng thư ký ",
];

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
        } else if piece[i..].starts_with(" hoặc ") {
            " hoặc ".len()
        } else {
            0
        };
        if sep_len > 0 {
            let next = &piece[i + sep_len..];
            let before = &piece[start..i];
            if (starts_body(next)
                || starts_listed_body(next)
                || listed_unit(before, next, sep_len == 4))
                && !joins_council(before, next)
                && !party_committee_of_front(before, next)
                && !all_levels(before, next)
                && !bare_title(before)
                && !before.trim().is_empty()
            {
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

/// Inside a list, lowercase forces and authorities ("UBND các phường, xã và lực lượng chức
/// năng", "các cơ quan chức năng, chính quyền địa phương") are bodies of their own.
fn starts_listed_body(next: &str) -> bool {
    let f = head_key(next);
    // "Đảng uỷ Chính phủ, đảng uỷ các bộ": party committees are written lowercase in lists.
    ["lực lượng ", "chính quyền ", "đảng ủy "]
        .iter()
        .any(|h| f.starts_with(h))
}

/// Lowercase units and schools named beside bodies ("các sở, ngành, trường đại học, cao
/// đẳng", "phường, xã, đặc khu, báo, đài"; "Sở X, đơn vị được lựa chọn …", "các sở, ban,
/// ngành và đơn vị có liên quan") are bodies of their own; "các cơ quan, đơn vị" stays one
/// collective.
fn listed_unit(before: &str, next: &str, after_and: bool) -> bool {
    let f = head_key(next);
    if ["trường đại học", "trường cao đẳng", "báo, đài", "đài, báo"]
        .iter()
        .any(|h| f.starts_with(h))
    {
        return true;
    }
    if !f.starts_with("đơn vị ") {
        return false;
    }
    let b = before.trim_start();
    let key = head_key(b);
    let named = b.starts_with(char::is_uppercase)
        && !key.starts_with("các ")
        && !key.contains(" các ")
        && !key.trim_end().ends_with("cơ quan");
    after_and || named
}

/// "các ngành, các cấp" is one collective: every sector at every level.
fn all_levels(before: &str, next: &str) -> bool {
    fold(before.trim()).ends_with("cac nganh") && head_key(next).starts_with("các cấp")
}

/// "Đảng uỷ Mặt trận Tổ quốc, các đoàn thể Trung ương" is one party committee.
fn party_committee_of_front(before: &str, next: &str) -> bool {
    let b = fold(before.trim());
    b.starts_with("dang uy")
        && b.ends_with("mat tran to quoc")
        && head_key(next).starts_with("các đoàn thể")
}

/// "Văn phòng HĐND và UBND tỉnh" is one office, not two bodies; in "HĐND, UBND các xã"
/// the councils share the committees' place, so the pair is one mention.
fn joins_council(before: &str, next: &str) -> bool {
    if before.len() > 160 {
        return false;
    }
    let b = fold(before);
    let n = crate::paragraphs::fold_start(next, 8);
    let council = b.ends_with("hdnd") || b.ends_with("hoi dong nhan dan");
    let office = b.starts_with("van phong") || b.starts_with("vp ") || b.starts_with("chanh");
    let bare = matches!(b.trim(), "hdnd" | "hoi dong nhan dan");
    council && (office || bare) && (n.starts_with("ubnd") || n.starts_with("uy ban"))
}

/// "Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ": a title with no body after it
/// shares the body named next, so the pair is one mention.
fn bare_title(before: &str) -> bool {
    let f = fold(before.trim());
    ["bo truong", "chu tich", "giam doc", "thu truong"]
        .iter()
        .any(|t| f == *t || f.ends_with(&format!(" {t}")))
        && f.split_whitespace().count() <= 6
}

/// True when the text starts a new body: a capitalised head word, or "các" + a collective noun.
pub fn starts_body(text: &str) -> bool {
    let text = text.trim_start();
    let first = match text.chars().next() {
        Some(c) => c,
        None => return false,
    };
    let f = head_key(text);
    if f.starts_with("trường hợp") {
        return false;
    }
    if first.is_uppercase() && HEADS.iter().any(|h| f.starts_with(h)) {
        // A capitalised "Ban", "Bộ", "Hội" must be followed by another capitalised word
        // ("Ban Tổ chức"), or it is an ordinary word opening a sentence.
        // "Trung ương Mặt trận Tổ quốc", "Trung ương Đoàn" likewise.
        if f.starts_with("ban ")
            || f.starts_with("vụ ")
            || f.starts_with("bộ ")
            || f.starts_with("hội ")
            || f.starts_with("trung ương ")
        {
            let head_words = if f.starts_with("trung ương ") { 2 } else { 1 };
            return text
                .split_whitespace()
                .nth(head_words)
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase);
        }
        return true;
    }
    if CAC_NOUNS.iter().any(|h| f.starts_with(h)) {
        return true;
    }
    if first.is_uppercase() && f.starts_with("các ") && !names_things(&f) {
        return true;
    }
    false
}

/// Plural nouns of work, not of bodies ("Các nội dung chung", "Các nhiệm vụ trọng tâm"):
/// a heading that starts with one of them heads no agency's duties.
const THINGS: &[&str] = &[
    "các nội dung",
    "các nhiệm vụ",
    "các giải pháp",
    "các hoạt động",
    "các văn bản",
    "các chỉ tiêu",
    "các mục tiêu",
    "các chương trình",
    "các kế hoạch",
    "các dự án",
    "các đề án",
    "các vấn đề",
    "các chính sách",
    "các biện pháp",
    "các bước",
    "các yêu cầu",
    "các công việc",
    "các tiêu chí",
    "các sản phẩm",
    "các nghị định",
    "các nghị quyết",
    "các quy định",
    "các thông tư",
    "các luật",
    "các vị trí",
    "các tuyến",
    "các điểm",
    "các khu vực",
    "các công trình",
    "các báo cáo",
    "các hồ sơ",
    "các số liệu",
    "các thủ tục",
];

fn names_things(key: &str) -> bool {
    THINGS.iter().any(|t| key.starts_with(t))
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
    // "Trường hợp …" (in case …) is a condition, not a school.
    if f.starts_with("ban hành") || f.starts_with("báo cáo") || f.starts_with("trường hợp")
    {
        return false;
    }
    // "Trung ương tập trung quản lý vĩ mô": the centre as a level, not a body's name.
    if f.starts_with("trung ương ") {
        return starts_body(t);
    }
    starts_body(t)
        || HEADS.iter().any(|h| f.starts_with(h))
        || TITLES.iter().any(|h| f.starts_with(h))
        || (f.starts_with("các ") && !names_things(&f))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agency::parse_list;
    use tinhgon_domain::AgencyRef;

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
            "Hội đồng nhân dân, Ủy ban nhân dân các xã, phường và đặc khu",
        ] {
            assert_eq!(split_list(name), vec![name.to_string()], "{name}");
        }
    }

    #[test]
    fn units_schools_and_the_press_beside_bodies_are_bodies() {
        assert_eq!(
            texts(&parse_list(
                "các sở, ban, ngành, đoàn thể Thành phố và đơn vị có liên quan"
            )),
            [
                "các sở, ban, ngành, đoàn thể Thành phố",
                "đơn vị có liên quan"
            ]
        );
        assert_eq!(
            texts(&parse_list("các sở, ngành, trường đại học, cao đẳng")),
            ["các sở, ngành", "trường đại học, cao đẳng"]
        );
        assert_eq!(
            texts(&parse_list("Ủy ban nhân dân phường, xã, đặc khu, báo, đài")),
            ["Ủy ban nhân dân phường, xã, đặc khu", "báo, đài"]
        );
        for one in [
            "Các cơ quan, đơn vị liên quan",
            "Thủ trưởng các cơ quan, đơn vị được giao nhiệm vụ",
        ] {
            assert_eq!(parse_list(one).len(), 1, "{one}");
        }
    }

    #[test]
    fn names_keep_their_clauses() {
        for (text, name) in [
            (
                "Ban soạn thảo do UBTVQH thành lập chủ trì soạn thảo",
                "Ban soạn thảo do UBTVQH thành lập",
            ),
            (
                "Các sở, ban, ngành tỉnh có liên quan tới việc thực hiện Kế hoạch này phối hợp",
                "Các sở, ban, ngành tỉnh có liên quan tới việc thực hiện Kế hoạch này",
            ),
            (
                "Các tổ chức cung cấp dịch vụ chi trả bố trí nguồn lực",
                "Các tổ chức cung cấp dịch vụ chi trả",
            ),
        ] {
            let at = crate::agency::first_verb(text).expect("a verb");
            assert_eq!(text[..at].trim_end(), name);
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
}
