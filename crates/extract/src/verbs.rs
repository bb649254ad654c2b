//! Where the subject of an assignment sentence ends: the first verb of the genre after
//! it, matched lowercase as written (names are capitalised, verbs are not).

use once_cell::sync::Lazy;
use regex::Regex;

/// Verbs that end the subject (or a "phối hợp với …" list) of an assignment sentence.
/// Matched lowercase as written: names are capitalised, verbs are not.
const VERBS: &[&str] = &[
    "chủ trì",
    "phối hợp",
    "căn cứ",
    "theo chức năng",
    "tham mưu",
    "hướng dẫn",
    "theo dõi",
    "rà soát",
    "triển khai",
    "tổ chức",
    "thực hiện",
    "xây dựng",
    "tiến hành",
    "đôn đốc",
    "kiểm tra",
    "nghiên cứu",
    "đề xuất",
    "báo cáo",
    "trình",
    "đẩy mạnh",
    "chỉ đạo",
    "hoàn thiện",
    "hoàn thành",
    "tổng hợp",
    "cập nhật",
    "giải quyết",
    "bố trí",
    "tập trung",
    "có trách nhiệm",
    "chịu trách nhiệm",
    "quán triệt",
    "tuyên truyền",
    "phổ biến",
    "cụ thể hóa",
    "ban hành",
    "quản lý",
    "tăng cường",
    "thẩm định",
    "giám sát",
    "lãnh đạo",
    "khẩn trương",
    "tiếp tục",
    "chủ động",
    "kịp thời",
    "đề nghị",
    "cung cấp",
    "bảo đảm",
    "đảm bảo",
    "sắp xếp",
    "để ",
    "nhằm",
    "khi có",
    "sau khi",
    "trong quá trình",
    "theo ",
    "được giao",
    // Further verbs that follow a subject or a "phối hợp với …" list in the genre.
    "thường xuyên",
    "tham gia",
    "làm tốt",
    "tiếp nhận",
    "huy động",
    "phát huy",
    "phân công",
    "nắm bắt",
    "vận động",
    "thúc đẩy",
    "nhắc nhở",
    "xem xét",
    "xác định",
    "đăng tải",
    "khuyến cáo",
    "thành lập",
    "nâng cao",
    "đánh giá",
    "sử dụng",
    "hỗ trợ",
    "lồng ghép",
    "duy trì",
    "chú trọng",
    "ưu tiên",
    // "Văn phòng Quốc hội giúp Ủy ban Thường vụ Quốc hội theo dõi …" ("giúp việc" is a noun).
    "giúp",
    "gửi",
    // "… và các Đoàn thể tỉnh bằng nhiều hình thức …": the means, not the name.
    "bằng",
];

/// The verbs as one alternation: a space, the verb, then a separator or the end.
static VERB_RE: Lazy<Option<Regex>> = Lazy::new(|| {
    let alt: Vec<String> = VERBS.iter().map(|v| regex::escape(v.trim_end())).collect();
    Regex::new(&format!(r" (?:{})(?:[ ,;:.]|$)", alt.join("|"))).ok()
});

/// Byte offset of the first verb after the subject, if any (word-bounded, lowercase).
pub fn first_verb(text: &str) -> Option<usize> {
    // A subject or a "phối hợp với …" list is short: look in the first 400 bytes only.
    let text = match text.char_indices().find(|(b, _)| *b >= 400) {
        Some((b, _)) => &text[..b],
        None => text,
    };
    let re = VERB_RE.as_ref()?;
    let mut from = 0;
    while let Some(m) = re.find_at(text, from) {
        let at = m.start() + 1;
        // "các tổ chức chính trị - xã hội" is a body, not the verb "tổ chức".
        // "đơn vị … được phân công" is a participle inside the name, not its verb.
        let before = &text[..at];
        // "các cơ quan, tổ chức, đơn vị": "tổ chức" between commas is a noun of the list.
        let listed_noun = before.ends_with(", ")
            && (text[at..].starts_with("tổ chức,") || text[at..].starts_with("tổ chức đảng"));
        // "cơ quan tham mưu" is an advisory body, not a body that advises.
        let advisory = (before.ends_with("cơ quan ")
            || before.ends_with("Cơ quan ")
            || before.ends_with("quan quan "))
            && (text[at..].starts_with("tham mưu") || text[at..].starts_with("quản lý"));
        // "các viện nghiên cứu": a research institute, not an institute that studies.
        let institute = before.ends_with("viện ") && text[at..].starts_with("nghiên cứu");
        // "Ban soạn thảo do UBTVQH thành lập": the verb of a "do <body>" clause belongs to
        // the name it qualifies.
        let by_body = before.rfind(" do ").is_some_and(|d| {
            let between = before[d + 4..].trim_end();
            let words = between.split_whitespace().count();
            (1..=6).contains(&words)
                && between.starts_with(|c: char| c.is_uppercase())
                && !between.contains([',', ';', ':', '.'])
                // Only the clause's own verb: the next one ends the subject.
                && !re.is_match(&format!(" {between} "))
        });
        let helper_body = text[at..].starts_with("giúp việc") || before.ends_with(" trợ ");
        // "có liên quan tới việc thực hiện …": a verb after "việc" is a noun.
        let nominal = before.ends_with(" việc ");
        // "các tổ chức cung cấp dịch vụ chi trả", "các đơn vị quản lý đường bộ": providers and
        // managers named by what they do.
        let provider = ["tổ chức ", "đơn vị ", "doanh nghiệp "]
            .iter()
            .any(|n| before.ends_with(n))
            && (text[at..].starts_with("cung cấp dịch vụ") || text[at..].starts_with("quản lý"));
        // "các đoàn kiểm tra của Bộ Chính trị", "tổ công tác": teams named by their work.
        let team = (before.ends_with("đoàn ") || before.ends_with("tổ "))
            && (text[at..].starts_with("kiểm tra") || text[at..].starts_with("giám sát"));
        if !(before.ends_with("các ")
            || by_body
            || helper_body
            || nominal
            || provider
            || team
            || before.ends_with("Các ")
            || before.ends_with("được ")
            || listed_noun
            || advisory
            || institute)
        {
            return Some(at);
        }
        from = at;
    }
    None
}
