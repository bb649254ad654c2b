//! Amending documents (văn bản sửa đổi, bổ sung): a plan whose title or opening says it
//! amends another ("Sửa đổi, bổ sung một số nội dung của Kế hoạch số 615/KH-UBND …") names
//! that plan, and its clauses say what changes there: "Sửa đổi thời gian thực hiện của nhiệm
//! vụ tại mục 6 Phụ lục như sau: …", "Sửa đổi cơ quan chủ trì …", "Bổ sung nhiệm vụ số 17
//! vào Phụ lục …", "Bãi bỏ nhiệm vụ tại mục 8 Phụ lục". A citation of an amending document
//! among the legal bases ("Căn cứ Thông tư … sửa đổi, bổ sung …") does not make the document
//! an amendment.

use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::amendment::{Amendment, ChangeDraft, ChangeDraftKind};
use tinhgon_domain::LegalBasis;
use tinhgon_textkit::fold;

use crate::paragraphs::{fold_start, is_caps, Para};

/// "sửa đổi, bổ sung … Kế hoạch số 615/KH-UBND": the amended document's kind and number.
static AMENDS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r#"(?i)(?:sửa đổi|điều chỉnh)(?:\s*,\s*|\s+)(?:bổ sung\s+)?[^.;:“”"]{0,60}?\b(?P<kind>kế hoạch|chương trình hành động|chương trình|quyết định)\s+(?:số\s*)?(?P<num>\d+(?:/\d{4})?[-/][\p{L}\d]+(?:[-/][\p{L}\d]+)*)"#,
    )
    .expect("static regex")
});
/// A list marker at the start of a clause ("1.", "a)", "-").
static MARKER: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^\s*(?:[0-9]{1,2}[.)]|[a-zđ]\)|[-+•])\s*").expect("static regex"));
/// "mục 6 Phụ lục", "nhiệm vụ số 17 vào Phụ lục", "STT 3 tại Phụ lục" (folded text).
static APPENDIX_REF: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?:muc|nhiem vu|stt|so thu tu|dong)\s*(?:so\s*)?(\d{1,3})\b[^.;]{0,30}?phu luc")
        .expect("static regex")
});
/// "điểm b khoản 2 Mục III" (folded text).
static POINT_REF: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"diem\s+([a-z])\s*,?\s*khoan\s+(\d{1,2})\s*,?\s*(?:muc|phan)\s+([ivxl]+)\b")
        .expect("static regex")
});
/// "khoản 3 Mục II" (folded text).
static ITEM_REF: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"khoan\s+(\d{1,2})\s*,?\s*(?:muc|phan)\s+([ivxl]+)\b").expect("static regex")
});
/// "Cơ quan chủ trì tham mưu:", "Thời gian thực hiện:" … before a value.
static LABEL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(?P<label>nội dung(?: nhiệm vụ)?|cơ quan chủ trì(?: tham mưu| thực hiện)?|đơn vị chủ trì|cơ quan phối hợp|đơn vị phối hợp|thời gian thực hiện|thời gian hoàn thành|thời hạn(?: hoàn thành)?)\s*:\s*")
        .expect("static regex")
});

/// The amendment a document makes, when its title or opening says it amends a plan.
pub fn amendment(title: Option<&str>, paras: &[Para]) -> Option<Amendment> {
    let amends = title
        .and_then(amended)
        .or_else(|| opening(paras).find_map(|p| amended(&p.text)))?;
    Some(Amendment {
        amends,
        changes: changes(paras),
    })
}

/// The opening paragraphs where a document declares what it is, without its legal bases.
fn opening(paras: &[Para]) -> impl Iterator<Item = &Para> {
    paras.iter().take(40).filter(|p| {
        let f = fold_start(p.text.trim(), 12);
        !["can cu", "thuc hien", "theo ", "trien khai"]
            .iter()
            .any(|k| f.starts_with(k))
    })
}

/// The document an amending phrase names in `text`.
fn amended(text: &str) -> Option<LegalBasis> {
    let c = AMENDS.captures(text)?;
    let (kind, num) = (c.name("kind")?, c.name("num")?);
    let number = num
        .as_str()
        .trim_end_matches(['.', ',', '-', '/'])
        .to_string();
    let rest = text[num.end()..].to_lowercase();
    let (date, used) = crate::legal_basis::date_after(&rest);
    let end = if used > 0 {
        // The lowercase copy may differ in length; the date is ASCII after "ngày".
        let shown: String = text[num.end()..]
            .chars()
            .take(rest[..used].chars().count())
            .collect();
        num.end() + shown.len()
    } else {
        num.end()
    };
    Some(LegalBasis {
        text: text[kind.start()..end].trim().to_string(),
        number: Some(number),
        kind: crate::legal_basis::kind_of(&kind.as_str().to_lowercase()),
        date,
        issuer: None,
    })
}

/// A clause's text without its list marker.
fn unmarked(text: &str) -> &str {
    let t = text.trim();
    match MARKER.find(t) {
        Some(m) => &t[m.end()..],
        None => t,
    }
}

/// What a paragraph starting a clause does, if it starts one.
fn clause_kind(text: &str) -> Option<ChangeDraftKind> {
    let f = fold(unmarked(text));
    if f.starts_with("bai bo") || f.starts_with("bo nhiem vu") || f.starts_with("rut nhiem vu") {
        return Some(ChangeDraftKind::TaskWithdraw);
    }
    if f.starts_with("bo sung nhiem vu") || (f.starts_with("bo sung") && f.contains("vao phu luc"))
    {
        return Some(ChangeDraftKind::TaskAdd);
    }
    if f.starts_with("sua doi") || f.starts_with("dieu chinh") {
        let head = f.split("nhu sau").next().unwrap_or(&f);
        if head.contains("thoi gian") || head.contains("thoi han") {
            return Some(ChangeDraftKind::Due);
        }
        if head.contains("chu tri") {
            return Some(ChangeDraftKind::Lead);
        }
    }
    None
}

/// The task reference a clause names ("mục 6 Phụ lục" → "PL.6", "điểm b khoản 2 Mục III"
/// → "III.2.b"); empty when it names none.
pub fn task_ref(text: &str) -> String {
    let f = fold(text);
    if let Some(c) = POINT_REF.captures(&f) {
        return format!("{}.{}.{}", c[3].to_uppercase(), &c[2], &c[1]);
    }
    if let Some(c) = ITEM_REF.captures(&f) {
        return format!("{}.{}", c[2].to_uppercase(), &c[1]);
    }
    if let Some(c) = APPENDIX_REF.captures(&f) {
        return format!("PL.{}", &c[1]);
    }
    String::new()
}

/// A value as the clause quotes it: without quotes, label and final full stop.
fn value(text: &str) -> String {
    let t = text.trim();
    // A quoted value ends at its closing quote, whatever follows it in the paragraph.
    let t = match t.strip_prefix(['“', '"']) {
        Some(rest) => rest.split(['”', '"']).next().unwrap_or(rest),
        None => t,
    };
    let t = t
        .trim()
        .trim_matches(['“', '”', '"', '\''])
        .trim()
        .trim_end_matches(['.', ';'])
        .trim_end_matches(['“', '”', '"'])
        .trim_end_matches('.');
    let t = match LABEL.find(t) {
        Some(m) => &t[m.end()..],
        None => t,
    };
    t.trim().trim_end_matches(['.', ';']).trim().to_string()
}

/// "từ “A” thành “B”": B.
fn after_thanh(text: &str) -> Option<String> {
    let i = text.rfind(" thành ")?;
    Some(value(&text[i + " thành ".len()..]))
}

/// The clauses of an amending document, in order.
fn changes(paras: &[Para]) -> Vec<ChangeDraft> {
    let mut out: Vec<ChangeDraft> = Vec::new();
    let mut i = 0;
    while i < paras.len() {
        let p = &paras[i];
        let kind = match clause_kind(&p.text) {
            Some(k) if !is_caps(&p.text) => k,
            _ => {
                i += 1;
                continue;
            }
        };
        // The clause's body: the paragraphs up to the next clause, heading or list item of
        // the same level.
        let mut body: Vec<&Para> = Vec::new();
        let mut j = i + 1;
        while j < paras.len() {
            let n = &paras[j];
            let t = n.text.trim();
            let numbered = t
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c.is_uppercase() && is_caps(t));
            if clause_kind(t).is_some() || n.heading || numbered && !t.starts_with('“') {
                break;
            }
            body.push(n);
            j += 1;
        }
        let text = unmarked(&p.text).to_string();
        let mut c = ChangeDraft {
            kind,
            task_ref: task_ref(&text),
            text: text.clone(),
            deadline: None,
            lead: None,
            coordinating: Vec::new(),
            content: None,
            keep: true,
            lead_unit: None,
            line_start: p.line_start + 1,
            line_end: body.last().map_or(p.line_end, |b| b.line_end) + 1,
        };
        // The new value: after "như sau:" in the clause itself, else its first body line.
        let inline = text
            .split_once("như sau:")
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty());
        let first = inline
            .map(str::to_string)
            .or_else(|| body.first().map(|b| b.text.clone()));
        match kind {
            ChangeDraftKind::Due => {
                c.deadline = after_thanh(&text).or_else(|| first.as_deref().map(value));
            }
            ChangeDraftKind::Lead => {
                c.lead = after_thanh(&text).or_else(|| first.as_deref().map(value));
            }
            ChangeDraftKind::TaskAdd => {
                for b in &body {
                    let t = unmarked(&b.text);
                    let Some(l) = LABEL.captures(t) else { continue };
                    let label = fold(&l["label"]);
                    let v = value(t);
                    if label.starts_with("noi dung") {
                        c.content = Some(v);
                    } else if label.contains("chu tri") {
                        c.lead = Some(v);
                    } else if label.contains("phoi hop") {
                        c.coordinating = crate::agency::parse_list(&v)
                            .into_iter()
                            .map(|a| a.text)
                            .collect();
                    } else {
                        c.deadline = Some(v);
                    }
                }
            }
            ChangeDraftKind::TaskWithdraw => {}
        }
        out.push(c);
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str, line: usize) -> Para {
        Para {
            text: text.into(),
            line_start: line,
            line_end: line,
            ..Para::default()
        }
    }

    #[test]
    fn an_amending_title_names_the_plan_and_its_date() {
        let a = amended("SỬA ĐỔI, BỔ SUNG MỘT SỐ NỘI DUNG CỦA KẾ HOẠCH SỐ 615/KH-UBND NGÀY 25/7/2025 CỦA UBND TỈNH VỀ …").unwrap();
        assert_eq!(a.number.as_deref(), Some("615/KH-UBND"));
        assert_eq!(a.date, chrono::NaiveDate::from_ymd_opt(2025, 7, 25));
        assert_eq!(a.text, "KẾ HOẠCH SỐ 615/KH-UBND NGÀY 25/7/2025");
        let b = amended("Điều chỉnh, bổ sung một số nội dung của Kế hoạch số 12/KH-UBND ngày 03 tháng 02 năm 2026").unwrap();
        assert_eq!(b.number.as_deref(), Some("12/KH-UBND"));
        assert_eq!(b.date, chrono::NaiveDate::from_ymd_opt(2026, 2, 3));
        assert!(amended("Rà soát sửa đổi, bổ sung các quy chế, quy trình công tác").is_none());
    }

    #[test]
    fn a_cited_amending_document_does_not_make_an_amendment() {
        let paras = [
            para("Căn cứ Quyết định số 650/QĐ-LĐTBXH phê duyệt Điều chỉnh, bổ sung một số nội dung của Kế hoạch số 77/KH-UBND;", 0),
            para("UBND thành phố ban hành Kế hoạch truyền thông như sau:", 1),
        ];
        assert!(amendment(Some("KẾ HOẠCH TRUYỀN THÔNG"), &paras).is_none());
    }

    #[test]
    fn references_read_as_the_plan_writes_them() {
        assert_eq!(
            task_ref("Sửa đổi thời gian thực hiện của nhiệm vụ tại mục 6 Phụ lục như sau:"),
            "PL.6"
        );
        assert_eq!(
            task_ref("Bổ sung nhiệm vụ số 17 vào Phụ lục như sau:"),
            "PL.17"
        );
        assert_eq!(
            task_ref("Sửa đổi điểm b khoản 2 Mục III như sau:"),
            "III.2.b"
        );
        assert_eq!(task_ref("Bãi bỏ khoản 3 Mục II"), "II.3");
        assert_eq!(task_ref("Bãi bỏ nội dung này"), "");
    }

    #[test]
    fn a_changed_lead_may_be_written_from_to() {
        let paras = [para("2. Điều chỉnh cơ quan chủ trì nhiệm vụ tại mục 12 Phụ lục từ “Sở Tài chính” thành “Sở Xây dựng”.", 4)];
        let c = changes(&paras);
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].kind, c[0].task_ref.as_str()),
            (ChangeDraftKind::Lead, "PL.12")
        );
        assert_eq!(c[0].lead.as_deref(), Some("Sở Xây dựng"));
        assert_eq!((c[0].line_start, c[0].line_end), (5, 5));
    }
}
