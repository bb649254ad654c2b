//! The province a document belongs to, so that import can flag a plan of another province:
//! from the issuer ("Ủy ban nhân dân tỉnh Bắc Ninh", "UBND TP. Hồ Chí Minh"), else from
//! the header's place ("Nghệ An, ngày …") when the issuer is a provincial body. Central
//! bodies (ministries, the Government, Party central organs) belong to no province.

use tinhgon_domain::DocumentMeta;
use tinhgon_textkit::fold;

/// Issuers that speak for the whole country.
const CENTRAL: &[&str] = &[
    "bo ",
    "chinh phu",
    "thu tuong",
    "van phong chinh phu",
    "bo chinh tri",
    "ban bi thu",
    "ban chap hanh trung uong",
    "ban chi dao",
    "quoc hoi",
    "uy ban thuong vu quoc hoi",
    "trung uong",
    "ban to chuc trung uong",
    "toa an nhan dan toi cao",
    "vien kiem sat nhan dan toi cao",
    "kiem toan nha nuoc",
    "ngan hang nha nuoc viet nam",
];

/// The province named after "tỉnh" or "thành phố" in an issuer, as written.
fn after_level(issuer: &str) -> Option<String> {
    let lower = issuer.to_lowercase();
    for level in ["tỉnh ", "thành phố ", "tp. ", "tp "] {
        if let Some(at) = lower.rfind(level) {
            let name = issuer.get(at + level.len()..)?.trim();
            let name = name.trim_end_matches(['.', ',', ';']);
            if !name.is_empty() && name.chars().next().is_some_and(char::is_uppercase) {
                return Some(title_case(name));
            }
        }
    }
    None
}

/// "BẮC NINH" → "Bắc Ninh"; names already in title case stay.
fn title_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    name.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_string() + &c.as_str().to_lowercase())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The issuer's province, if the document has one.
pub fn issuer_province(meta: &DocumentMeta) -> Option<String> {
    if let Some(issuer) = &meta.issuer {
        let f = fold(issuer);
        if let Some(p) = after_level(issuer) {
            return Some(p);
        }
        if CENTRAL.iter().any(|c| f.starts_with(c)) {
            return None;
        }
    }
    // A provincial department's header names its place; Hà Nội is also where central
    // bodies sign, so it only counts with a provincial issuer.
    let place = meta.place.as_deref()?.trim();
    let local_issuer = meta.issuer.as_deref().is_some_and(|i| {
        let f = fold(i);
        [
            "so ",
            "uy ban nhan dan",
            "ubnd",
            "tinh uy",
            "thanh uy",
            "hoi dong nhan dan",
        ]
        .iter()
        .any(|p| f.starts_with(p))
    });
    (local_issuer && !place.is_empty()).then(|| place.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(issuer: Option<&str>, place: Option<&str>) -> DocumentMeta {
        DocumentMeta {
            issuer: issuer.map(str::to_string),
            place: place.map(str::to_string),
            ..DocumentMeta::default()
        }
    }

    #[test]
    fn province_from_issuer_or_place() {
        assert_eq!(
            issuer_province(&meta(Some("Ủy ban nhân dân tỉnh Bắc Ninh"), None)).as_deref(),
            Some("Bắc Ninh")
        );
        assert_eq!(
            issuer_province(&meta(Some("UBND THÀNH PHỐ CẦN THƠ"), Some("Cần Thơ"))).as_deref(),
            Some("Cần Thơ")
        );
        assert_eq!(
            issuer_province(&meta(Some("Sở Nội vụ"), Some("Hà Tĩnh"))).as_deref(),
            Some("Hà Tĩnh")
        );
        assert_eq!(
            issuer_province(&meta(Some("Bộ Xây dựng"), Some("Hà Nội"))),
            None
        );
        assert_eq!(
            issuer_province(&meta(Some("Văn phòng Chính phủ"), Some("Hà Nội"))),
            None
        );
        assert_eq!(issuer_province(&meta(None, Some("Hà Nội"))), None);
    }
}
