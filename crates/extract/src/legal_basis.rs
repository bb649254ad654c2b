//! Legal bases: every document referenced in the opening "Thực hiện …" / "Căn cứ …"
//! paragraphs, with its number, kind, date and issuer. Nested references ("Kết luận số
//! 121-KL/TW … về tổng kết Nghị quyết số 18-NQ/TW …") are listed too, once per number.

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::{DocumentKind, LegalBasis};
use tinhgon_textkit::fold;

use crate::paragraphs::Para;

static REF: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?P<kind>Nghị quyết|Kết luận|Kế hoạch|Quyết định|Nghị định|Thông tư liên tịch|Thông tư|Chỉ thị|Thông báo|Công văn|Chương trình hành động|Chương trình|Quy định|Hướng dẫn|Đề án|Văn bản|Luật|Pháp lệnh|Hiến pháp)(?:\s+liên tịch)?\s+(?:số\s*)?(?P<num>\d+(?:/\d{4})?[-/][\p{L}\d]+(?:[-/][\p{L}\d]+)*)",
    )
    .expect("static regex")
});
static LAW: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?P<kind>Luật|Bộ luật|Hiến pháp)\s+(?P<name>[\p{Lu}][^;,]{2,120}?)\s+(?:ngày|năm)\s+",
    )
    .expect("static regex")
});
static DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^\s*,?\s*(?:ban hành\s+)?ngày\s+(?:(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    )
    .expect("static regex")
});
static ISSUER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r#"^\s*,?\s*(?:của|do)\s+(?P<issuer>[^;“”"(]+)"#).expect("static regex")
});

/// Kind of a referenced document from its words.
pub fn kind_of(words: &str) -> Option<DocumentKind> {
    let f = fold(words);
    Some(match f.as_str() {
        "nghi quyet" => DocumentKind::Resolution,
        "ket luan" => DocumentKind::Conclusion,
        "ke hoach" => DocumentKind::Plan,
        "quyet dinh" => DocumentKind::Decision,
        "nghi dinh" => DocumentKind::Decree,
        "thong tu" | "thong tu lien tich" => DocumentKind::Circular,
        "chi thi" => DocumentKind::Directive,
        "thong bao" => DocumentKind::Notice,
        "cong van" | "van ban" => DocumentKind::OfficialLetter,
        "chuong trinh" | "chuong trinh hanh dong" => DocumentKind::Program,
        "quy dinh" => DocumentKind::Regulation,
        "huong dan" => DocumentKind::Guidance,
        "de an" => DocumentKind::Scheme,
        "luat" | "bo luat" | "hien phap" | "phap lenh" => DocumentKind::Law,
        _ => return None,
    })
}

/// Cuts an issuer phrase at the words that start what the document is about.
fn trim_issuer(s: &str) -> String {
    let mut end = s.len();
    for stop in [
        " về ",
        " thực hiện ",
        " triển khai ",
        " quy định ",
        " ban hành ",
        " hướng dẫn ",
        " tại ",
        " đối với ",
        " phê duyệt ",
        " sửa đổi ",
        " (",
        ", ",
        " và các ",
        ". ",
        " xin ",
        " thì ",
        " Một số ",
        " một số ",
    ] {
        if let Some(i) = s.find(stop) {
            end = end.min(i);
        }
    }
    s[..end]
        .trim()
        .trim_end_matches(['.', ',', ':'])
        .trim()
        .to_string()
}

pub(crate) fn date_after(rest: &str) -> (Option<NaiveDate>, usize) {
    let Some(c) = DATE.captures(rest) else {
        return (None, 0);
    };
    let get = |a: &str, b: &str| {
        c.name(a)
            .or_else(|| c.name(b))
            .and_then(|m| m.as_str().parse::<u32>().ok())
    };
    let y = c
        .name("y")
        .or_else(|| c.name("y2"))
        .and_then(|m| m.as_str().parse::<i32>().ok());
    let date = match (get("d", "d2"), get("m", "m2"), y) {
        (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    (date, c.get(0).map_or(0, |m| m.end()))
}

/// References in one paragraph.
pub fn parse(text: &str) -> Vec<LegalBasis> {
    let mut out: Vec<LegalBasis> = Vec::new();
    let mut found: Vec<(usize, LegalBasis)> = Vec::new();
    for c in REF.captures_iter(text) {
        let (Some(whole), Some(kind), Some(num)) = (c.get(0), c.name("kind"), c.name("num")) else {
            continue;
        };
        let number = num
            .as_str()
            .trim_end_matches(['.', ',', '-', '/'])
            .to_string();
        let mut end = whole.end();
        let (date, used) = date_after(&text[end..]);
        end += used;
        let mut issuer = None;
        if let Some(ic) = ISSUER.captures(&text[end..]) {
            if let Some(m) = ic.name("issuer") {
                let t = trim_issuer(m.as_str());
                if !t.is_empty() {
                    end += m.start() + t.len();
                    issuer = Some(t);
                }
            }
        }
        found.push((
            whole.start(),
            LegalBasis {
                text: text[whole.start()..end.min(text.len())].trim().to_string(),
                number: Some(number),
                kind: kind_of(kind.as_str()),
                date,
                issuer,
            },
        ));
    }
    for c in LAW.captures_iter(text) {
        let (Some(whole), Some(kind), Some(name)) = (c.get(0), c.name("kind"), c.name("name"))
        else {
            continue;
        };
        if found.iter().any(|(at, _)| *at == whole.start()) {
            continue;
        }
        let start = whole.start();
        let mut end = kind.end() + 1 + name.as_str().len();
        let (date, used) = date_after(&text[end..]);
        end += used;
        found.push((
            start,
            LegalBasis {
                text: text[start..end.min(text.len())].trim().to_string(),
                number: None,
                kind: kind_of(kind.as_str()),
                date,
                issuer: None,
            },
        ));
    }
    found.sort_by_key(|(at, _)| *at);
    for (_, b) in found {
        let dup = out
            .iter_mut()
            .find(|o| o.number.is_some() && o.number == b.number);
        match dup {
            Some(o) => {
                // A later mention may carry the date or issuer the first one lacked.
                if o.date.is_none() {
                    o.date = b.date;
                }
                if o.issuer.is_none() {
                    o.issuer = b.issuer;
                }
            }
            None => out.push(b),
        }
    }
    out
}

/// Legal bases of a document: its opening "Thực hiện/Căn cứ" paragraphs, before the body.
pub fn legal_bases(paras: &[Para]) -> Vec<LegalBasis> {
    let mut out: Vec<LegalBasis> = Vec::new();
    let mut seen_basis = false;
    for p in paras.iter().take(60) {
        let t = p.text.trim();
        let f = crate::paragraphs::fold_start(t, 20);
        let is_basis = ["thuc hien ", "can cu ", "trien khai ", "theo "]
            .iter()
            .any(|k| f.starts_with(k))
            && (REF.is_match(t) || LAW.is_match(t));
        if is_basis {
            seen_basis = true;
            for b in parse(t) {
                if !out
                    .iter()
                    .any(|o| o.number.is_some() && o.number == b.number)
                {
                    out.push(b);
                }
            }
        } else if seen_basis || crate::paragraphs::starts_with_marker(t) {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed000_bases() {
        let t = "Thực hiện Nghị quyết số 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương Đảng khóa XIII; Kết luận số 121-KL/TW ngày 24/01/2025 của Ban Chấp hành Trung ương Đảng khóa XIII về tổng kết Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII “Một số vấn đề” (viết tắt là Kết luận số 121-KL/TW); Kế hoạch số 307-KH/TU ngày 27/02/2025 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 121-KL/TW; UBND tỉnh ban hành kế hoạch thực hiện như sau:";
        let b = parse(t);
        let nums: Vec<_> = b.iter().filter_map(|x| x.number.as_deref()).collect();
        assert_eq!(nums, ["60-NQ/TW", "121-KL/TW", "18-NQ/TW", "307-KH/TU"]);
        assert_eq!(b[0].kind, Some(DocumentKind::Resolution));
        assert_eq!(b[0].date, NaiveDate::from_ymd_opt(2025, 4, 12));
        assert_eq!(
            b[0].issuer.as_deref(),
            Some("Ban Chấp hành Trung ương Đảng khóa XIII")
        );
        assert_eq!(b[3].issuer.as_deref(), Some("Ban Thường vụ Tỉnh ủy"));
        assert_eq!(b[3].kind, Some(DocumentKind::Plan));
    }

    #[test]
    fn long_dates_and_decrees() {
        let b = parse("Căn cứ Nghị định số 120/2020/NĐ-CP ngày 07/10/2020 của Chính phủ quy định về thành lập; Kế hoạch số 191-KH/TU ngày 17 tháng 02 năm 2025 của Ban Thường vụ Tỉnh ủy");
        assert_eq!(b[0].number.as_deref(), Some("120/2020/NĐ-CP"));
        assert_eq!(b[0].kind, Some(DocumentKind::Decree));
        assert_eq!(b[0].issuer.as_deref(), Some("Chính phủ"));
        assert_eq!(b[1].date, NaiveDate::from_ymd_opt(2025, 2, 17));
        let b = parse("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;");
        assert_eq!(b[0].kind, Some(DocumentKind::Law));
        assert_eq!(b[0].date, NaiveDate::from_ymd_opt(2025, 2, 19));
    }
}
