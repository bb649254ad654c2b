//! Lead and coordinating agencies read from an assignment sentence.

use tinhgon_domain::AgencyRef;

use tinhgon_textkit::fold;

use super::{first_verb, looks_like_agency, parse_list};

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
        } else if let Some(colon) = long_subject_colon(s) {
            // A long list of addressees closed by a colon ("Đề nghị các cơ quan …; các
            // đơn vị …; UBND các xã, phường: tổ chức …") reaches past where verbs are
            // looked for: the colon ends it.
            out.lead = parse_list(&s[..colon]);
            out.subject_end = colon;
        } else if s.split_whitespace().count() <= 25 {
            out.lead = parse_list(s);
            out.subject_end = s.len();
        }
    }
    out.coordinating = coordinating_in(&s[out.subject_end..]);
    out
}

/// The colon that closes a subject too long for the verb search, when no verb comes
/// before it.
fn long_subject_colon(s: &str) -> Option<usize> {
    let colon = s.find(": ")?;
    ((300..=1500).contains(&colon) && first_verb(&s[..colon]).is_none()).then_some(colon)
}

/// Agencies after "phối hợp (với|cùng)" up to the next verb.
pub fn coordinating_in(text: &str) -> Vec<AgencyRef> {
    // The first mention, whatever its case: a later "phối hợp" in the same paragraph
    // belongs to another clause.
    let pos = [text.find("phối hợp"), text.find("Phối hợp")]
        .into_iter()
        .flatten()
        .min();
    let Some(pos) = pos else {
        return Vec::new();
    };
    // "Chỉ đạo Hội Cựu chiến binh phối hợp với chính quyền …": the partners work with the
    // body being directed, not with the lead; the lead's own units ("các đơn vị trực
    // thuộc") act for it.
    let clause = text[..pos].rsplit([';', '.']).next().unwrap_or("");
    let clause = fold(clause);
    if clause.contains("chi dao ") && !clause.contains("truc thuoc") {
        return Vec::new();
    }
    // "Tham mưu Ủy ban nhân dân tỉnh phối hợp các bộ, ngành": the partners work with the
    // body advised.
    if let Some(i) = text[..pos].rfind("ham mưu ") {
        let advised = text[i + "ham mưu ".len()..pos].trim_start_matches("cho ");
        if advised.starts_with(char::is_uppercase)
            && looks_like_agency(advised)
            && !advised.contains(',')
            && advised.split_whitespace().count() <= 8
        {
            return Vec::new();
        }
    }
    let mut rest = &text[pos + "phối hợp".len()..];
    rest = rest.trim_start_matches([',', ' ', ':']);
    // "phối hợp chặt chẽ với …": the manner is not a partner.
    for w in ["chặt chẽ ", "thường xuyên ", "đồng bộ ", "tốt "] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r.trim_start_matches([',', ' ']);
        }
    }
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
        "sở, ",
        "sở ",
        "cấp ủy",
        "cấp uỷ",
        "chủ đầu tư",
        "tổ chức chính trị",
    ];
    // A lowercase head word ("phối hợp phòng chống ma túy") is a task, not a body.
    let named = looks_like_agency(rest)
        && (rest.starts_with(char::is_uppercase) || rest.starts_with("các "));
    let lower = rest.to_lowercase();
    if !named && !generic.iter().any(|g| lower.starts_with(g)) {
        return Vec::new();
    }
    let mut end = first_verb(rest).unwrap_or(rest.len());
    // Words that start what the cooperation is about, not another body.
    for stop in [" trong ", " về ", " nhằm ", " để ", " đối với ", " tại "] {
        if let Some(i) = rest[..end].find(stop) {
            end = end.min(i);
        }
    }
    // "Ủy ban nhân dân 04 xã: Gia Thuận, Tân Điền …": a colon before the places named
    // does not end the list.
    let places = rest[..end].find(':').is_some_and(|c| {
        ["xã", "phường", "huyện", "tỉnh"]
            .iter()
            .any(|l| rest[..c].trim_end().ends_with(l))
    });
    let end = if places {
        rest[..end].find(['.', ';']).unwrap_or(end)
    } else {
        rest[..end].find(['.', ';', ':']).unwrap_or(end)
    };
    parse_list(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinhgon_domain::AgencyRef;

    fn texts(v: &[AgencyRef]) -> Vec<&str> {
        v.iter().map(|a| a.text.as_str()).collect()
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

    #[test]
    fn partners_of_the_lead_only() {
        assert_eq!(
            texts(&coordinating_in(
                "Phối hợp chặt chẽ với Công an thành phố nâng cao hiệu quả điều tra."
            )),
            ["Công an thành phố"]
        );
        assert_eq!(
            texts(&coordinating_in(
                "Phối hợp với UBND các phường, xã và lực lượng chức năng trong kiểm tra."
            )),
            ["UBND các phường, xã", "lực lượng chức năng"]
        );
        // The body directed or advised works with them, not the lead.
        assert!(coordinating_in(
            "Chỉ đạo Hội Cựu chiến binh Việt Nam tăng cường phối hợp với chính quyền địa phương."
        )
        .is_empty());
        assert!(coordinating_in(
            "Tham mưu Ủy ban nhân dân tỉnh phối hợp các bộ, ngành Trung ương triển khai."
        )
        .is_empty());
        // A lowercase task is not a partner.
        assert!(
            coordinating_in("Tổ chức các chương trình phối hợp phòng chống ma túy.").is_empty()
        );
    }
}
