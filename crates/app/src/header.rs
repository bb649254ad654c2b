//! The state-format header of the documents the monitoring agency issues about a plan:
//! issuing body from the plan's monitor, place from the plan or its province.

use chrono::NaiveDate;
use tinhgon_reports::{ReportHeader, SignatureBlock};
use tinhgon_store::periodic::data::PlanHead;

/// Name of the monitoring body when the plan does not record one.
const DEFAULT_MONITOR: &str = "Sở Nội vụ";

/// The monitoring body's name in running text ("Sở Nội vụ").
pub fn reporter(plan: &PlanHead) -> String {
    plan.monitor_name
        .clone()
        .unwrap_or_else(|| DEFAULT_MONITOR.to_string())
}

/// Initials of a body for document numbers ("Sở Nội vụ" → "SNV").
pub fn initials(name: &str) -> String {
    tinhgon_textkit::fold(name)
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The province name without its kind ("Tỉnh Nghệ An" → "Nghệ An").
fn province_short(name: &str) -> &str {
    for prefix in ["Tỉnh ", "Thành phố ", "tỉnh ", "thành phố "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest;
        }
    }
    name
}

/// Short issuer of the plan as cited in running text ("UBND tỉnh").
pub fn plan_issuer(plan: &PlanHead) -> String {
    let issuer = plan.issuer.as_deref().unwrap_or_default();
    let folded = tinhgon_textkit::fold(issuer);
    if folded.contains("uy ban nhan dan tinh") || folded.starts_with("ubnd tinh") {
        "UBND tỉnh".into()
    } else if folded.contains("uy ban nhan dan") || folded.starts_with("ubnd") {
        "UBND".into()
    } else if issuer.is_empty() {
        "UBND tỉnh".into()
    } else {
        issuer.to_string()
    }
}

/// Names that keep their capitals inside a sentence (Quy định 66-QĐ/TW and Nghị định
/// 30/2020/NĐ-CP on writing in documents of the Party and the State), in lower case → as
/// written. Longer names come first so that "Ban Thường vụ Tỉnh ủy" wins over "Tỉnh ủy".
const PROPER_NAMES: &[&str] = &[
    "Ban Chấp hành Trung ương Đảng",
    "Ban Chấp hành Trung ương",
    "Đảng Cộng sản Việt Nam",
    "Mặt trận Tổ quốc Việt Nam",
    "Thủ tướng Chính phủ",
    "Ban Thường vụ Tỉnh ủy",
    "Ban Thường vụ Tỉnh uỷ",
    "Ban Tổ chức Trung ương",
    "Ủy ban nhân dân",
    "Uỷ ban nhân dân",
    "Hội đồng nhân dân",
    "Ủy ban Thường vụ Quốc hội",
    "Bộ Chính trị",
    "Ban Bí thư",
    "Chính phủ",
    "Quốc hội",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Trung ương",
    "Nhà nước",
    "Việt Nam",
    "Đảng",
];

/// A title written in capitals, as it reads inside a sentence ("… thực hiện Kế hoạch về {title}"):
/// lower case but for the names of institutions and of the province ("BAN CHẤP HÀNH TRUNG ƯƠNG,
/// BỘ CHÍNH TRỊ" → "Ban Chấp hành Trung ương, Bộ Chính trị"). A title already in mixed case is
/// kept as written.
pub fn running_text_case(title: &str, province: Option<&str>) -> String {
    let title = title.trim();
    if title.chars().any(char::is_lowercase) {
        return title.to_string();
    }
    let mut out = title.to_lowercase();
    let mut names: Vec<String> = PROPER_NAMES.iter().map(|s| s.to_string()).collect();
    if let Some(p) = province {
        names.insert(0, province_short(p).to_string());
    }
    for name in &names {
        let lower = name.to_lowercase();
        if lower.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = out[from..].find(&lower).map(|i| i + from) {
            let end = at + lower.len();
            let before_ok = out[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = out[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                out.replace_range(at..end, name);
                from = at + name.len();
            } else {
                from = end;
            }
        }
    }
    out
}

/// The plan's title in sentence case when it was written in capitals.
pub fn plan_title(plan: &PlanHead) -> String {
    running_text_case(
        plan.title.as_deref().unwrap_or_default(),
        plan.province_name.as_deref(),
    )
}

/// The header of a document of `kind` ("BC" for a report, "" for a công văn) issued on `date`.
pub fn header(plan: &PlanHead, kind: &str, date: NaiveDate, subtitle: String) -> ReportHeader {
    province_header(
        plan.province_name.as_deref().unwrap_or("Tỉnh Nghệ An"),
        plan.place.as_deref(),
        &reporter(plan),
        kind,
        date,
        subtitle,
    )
}

/// The header of a document of `kind` that `issuer` (a body of `province`) issues on `date`,
/// at `place` (the province's name when none is given).
pub fn province_header(
    province: &str,
    place: Option<&str>,
    issuer: &str,
    kind: &str,
    date: NaiveDate,
    subtitle: String,
) -> ReportHeader {
    let place = place
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| province_short(province).to_string());
    let abbr = initials(issuer);
    let number = if kind.is_empty() {
        format!("        /{abbr}")
    } else {
        format!("        /{kind}-{abbr}")
    };
    ReportHeader {
        issuer_parent: format!("UBND {}", province.to_uppercase()),
        issuer: issuer.to_uppercase(),
        number,
        place,
        date,
        title: if kind.is_empty() {
            String::new()
        } else {
            "BÁO CÁO".into()
        },
        subtitle,
        recipients: Vec::new(),
        signer: SignatureBlock {
            capacity: vec!["GIÁM ĐỐC".into()],
            name: String::new(),
        },
    }
}

/// "tỉnh Nghệ An" as it reads inside a sentence.
pub fn province_in_text(province: &str) -> String {
    let mut chars = province.trim().chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> PlanHead {
        PlanHead {
            id: 1,
            number: Some("615/KH-UBND".into()),
            issuer: Some("Ủy ban nhân dân tỉnh Nghệ An".into()),
            place: None,
            issued_on: None,
            title: Some("TIẾP TỤC THỰC HIỆN CÁC NGHỊ QUYẾT".into()),
            state: "published".into(),
            province_id: Some(1),
            province_name: Some("Tỉnh Nghệ An".into()),
            monitor_unit_id: None,
            monitor_name: None,
        }
    }

    #[test]
    fn header_comes_from_the_plan_and_its_province() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 18).expect("date");
        let h = header(&head(), "BC", d, "x".into());
        assert_eq!(h.issuer_parent, "UBND TỈNH NGHỆ AN");
        assert_eq!(h.issuer, "SỞ NỘI VỤ");
        assert_eq!(h.number.trim(), "/BC-SNV");
        assert_eq!(h.place, "Nghệ An");
        assert_eq!(plan_issuer(&head()), "UBND tỉnh");
        assert_eq!(plan_title(&head()), "tiếp tục thực hiện các nghị quyết");
        assert_eq!(
            running_text_case(
                "TIẾP TỤC THỰC HIỆN CÁC NGHỊ QUYẾT, KẾT LUẬN CỦA BAN CHẤP HÀNH TRUNG ƯƠNG, BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ SẮP XẾP TỔ CHỨC BỘ MÁY CỦA HỆ THỐNG CHÍNH TRỊ TỈNH NGHỆ AN",
                Some("Tỉnh Nghệ An")
            ),
            "tiếp tục thực hiện các nghị quyết, kết luận của Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư về sắp xếp tổ chức bộ máy của hệ thống chính trị tỉnh Nghệ An"
        );
        // "đảng" inside a word or "trung ương" of another phrase keep to word boundaries.
        assert_eq!(
            running_text_case("CÁC CƠ QUAN ĐẢNG, NHÀ NƯỚC Ở TRUNG ƯƠNG", None),
            "các cơ quan Đảng, Nhà nước ở Trung ương"
        );
        assert_eq!(running_text_case("Đã viết thường", None), "Đã viết thường");
    }
}
