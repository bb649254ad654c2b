//! Document metadata from the state header: number ("Số: 615/KH-UBND"), kind, issuer,
//! place and date, and the title (trích yếu).

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use tinhgon_domain::DocumentKind;
use tinhgon_textkit::fold;

use crate::paragraphs::{is_caps, Para};

/// A header line: text (runs of padding spaces split into separate lines) and its index.
#[derive(Debug, Clone)]
pub(crate) struct HeaderLine {
    pub text: String,
    /// Source line (0-based).
    pub line: usize,
}

/// Document lines cleaned for header reading: Markdown removed, padded lines split.
pub(crate) fn header_lines(lines: &[String]) -> Vec<HeaderLine> {
    static PAD: Lazy<Regex> = Lazy::new(|| Regex::new(r"\s{3,}|\t+").expect("static regex"));
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = if l.contains("**") || l.contains('\u{a0}') {
            l.replace("**", "").replace('\u{a0}', " ")
        } else {
            l.clone()
        };
        let t = t.trim().trim_start_matches('#').trim();
        if !t.contains("   ") && !t.contains('\t') {
            if !t.is_empty() {
                out.push(HeaderLine {
                    text: t.to_string(),
                    line: i,
                });
            }
            continue;
        }
        for piece in PAD.split(t) {
            let piece = piece.trim();
            if !piece.is_empty() {
                out.push(HeaderLine {
                    text: piece.to_string(),
                    line: i,
                });
            }
        }
    }
    out
}

/// The pieces of each source line joined again (the number and date lines are padded with
/// spaces where the blanks are left for the clerk: "Số:      /KH-UBND").
fn whole_lines(lines: &[HeaderLine]) -> Vec<HeaderLine> {
    let mut out: Vec<HeaderLine> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(last) if last.line == l.line => {
                last.text.push(' ');
                last.text.push_str(&l.text);
            }
            _ => out.push(l.clone()),
        }
    }
    out
}

static NUMBER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^Số\s*[:.]?\s*(?P<seq>[0-9][0-9A-Za-z.]*)?\s*[/|]\s*(?P<code>[\p{L}\d]+(?:[-–/][\p{L}\d&]+)*)")
        .expect("static regex")
});

/// The document number and the kind/issuer code: ("615/KH-UBND", "KH-UBND"); a blank
/// sequence gives no number.
pub(crate) fn number(lines: &[HeaderLine]) -> Option<(Option<String>, String)> {
    whole_lines(&lines[..lines.len().min(120)])
        .iter()
        .take(60)
        .find_map(|l| {
            let c = NUMBER.captures(l.text.trim())?;
            let code = c.name("code")?.as_str().replace('–', "-");
            let seq = c
                .name("seq")
                .map(|m| m.as_str().trim_end_matches('.').to_string());
            Some((
                seq.filter(|s| !s.is_empty()).map(|s| format!("{s}/{code}")),
                code,
            ))
        })
}

/// Kind of the document from its code ("KH-UBND" → plan; "UBND-KT" → công văn).
pub(crate) fn kind_from_code(code: &str) -> Option<DocumentKind> {
    let first = code.split(['-', '/']).next().unwrap_or("");
    let f = fold(first);
    Some(match f.as_str() {
        "kh" => DocumentKind::Plan,
        "ctr" | "ct-tu" => DocumentKind::Program,
        "qd" => DocumentKind::Decision,
        "nq" => DocumentKind::Resolution,
        "kl" => DocumentKind::Conclusion,
        "ct" => DocumentKind::Directive,
        "tb" => DocumentKind::Notice,
        "hd" => DocumentKind::Guidance,
        "da" => DocumentKind::Scheme,
        "cv" => DocumentKind::OfficialLetter,
        "ubnd" | "vp" | "snv" | "sct" | "stc" | "hc" | "ub" => DocumentKind::OfficialLetter,
        _ if f.starts_with("ubnd") || f.starts_with('s') && f.len() <= 5 => {
            DocumentKind::OfficialLetter
        }
        _ => return None,
    })
}

/// Kind of the document from a title word line ("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG").
pub(crate) fn kind_from_title(text: &str) -> Option<DocumentKind> {
    let f = fold(text);
    let f = f.trim().trim_end_matches([':', '.']);
    Some(match f {
        "ke hoach" => DocumentKind::Plan,
        "chuong trinh" | "chuong trinh hanh dong" | "chuong trinh cong tac" => {
            DocumentKind::Program
        }
        "quyet dinh" => DocumentKind::Decision,
        "nghi quyet" => DocumentKind::Resolution,
        "ket luan" => DocumentKind::Conclusion,
        "chi thi" => DocumentKind::Directive,
        "thong bao" => DocumentKind::Notice,
        "cong van" => DocumentKind::OfficialLetter,
        "de an" => DocumentKind::Scheme,
        "huong dan" => DocumentKind::Guidance,
        "quy dinh" => DocumentKind::Regulation,
        "bao cao" | "to trinh" => DocumentKind::Other,
        _ => return None,
    })
}

/// Folded lines of the national name and motto, never part of the issuer.
fn is_motto(f: &str) -> bool {
    f.starts_with("cong hoa xa hoi")
        || f.starts_with("doc lap")
        || f.starts_with("dang cong san")
        || f.starts_with("so:")
        || f.starts_with("so :")
        || (f.starts_with("so ") && f[3..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Issuer from the header lines: "ỦY BAN NHÂN DÂN / TỈNH NGHỆ AN" joined; a parent and a
/// child body ("UBND TỈNH LÀO CAI / SỞ CÔNG THƯƠNG") give the child.
pub(crate) fn issuer(lines: &[HeaderLine]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    // The header table is read row by row, so issuer lines and motto lines interleave
    // ("UBND TỈNH LÀO CAI | CỘNG HOÀ …" then "SỞ CÔNG THƯƠNG | Độc lập …").
    for l in lines.iter().take(14) {
        let t = l.text.trim();
        let f = fold(t);
        // The body has begun: the issuer block comes before all of these.
        if kind_from_title(t).is_some()
            || crate::paragraphs::starts_with_marker(t)
            || f.starts_with("thuc hien ")
            || f.starts_with("can cu ")
            || f.starts_with("v/v")
            || DATE_LINE.is_match(t)
        {
            break;
        }
        if is_motto(&f) || !t.chars().any(char::is_alphabetic) {
            continue;
        }
        if !is_caps(t) || t.chars().count() > 70 {
            if parts.is_empty() {
                continue;
            }
            break;
        }
        parts.push(t.to_string());
        if parts.len() == 3 {
            break;
        }
    }
    if parts.is_empty() {
        return None;
    }
    // Parent then child: keep the child.
    let body_head = |s: &str| {
        let f = fold(s);
        [
            "so ",
            "phong ",
            "ban ",
            "chi cuc",
            "trung tam",
            "cuc ",
            "van phong",
            "thanh tra",
            "vu ",
        ]
        .iter()
        .any(|h| f.starts_with(h))
    };
    let complete = |s: &str| {
        let f = fold(s);
        f.contains(" tinh ")
            || f.contains(" huyen ")
            || f.starts_with("ubnd")
            || f.starts_with("bo ")
            || f.ends_with(" tinh")
            || f.contains("tinh uy")
    };
    let chosen = if parts.len() >= 2 && complete(&parts[0]) && body_head(&parts[1]) {
        parts[1..].join(" ")
    } else {
        parts.join(" ")
    };
    // Proper names that keep both capitals.
    let name = title_case_body(&chosen).replace("Công thương", "Công Thương");
    crate::agency::looks_like_agency(&name).then_some(name)
}

/// "V/v …" trích yếu of a công văn, which often sits in the header table.
pub(crate) fn vv_title(lines: &[HeaderLine]) -> Option<String> {
    let whole = whole_lines(&lines[..lines.len().min(120)]);
    let at = whole.iter().take(30).position(|l| {
        let f = fold(&l.text);
        f.starts_with("v/v") || f.starts_with("ve viec:")
    })?;
    let first = &whole[at].text;
    let rest = match first.find(['/', ':']) {
        Some(i) if fold(first).starts_with("v/v") => first[i + 2..].trim_start_matches([' ', ':']),
        Some(i) => first[i + 1..].trim(),
        None => first.as_str(),
    };
    let mut title = rest.trim().to_string();
    // The trích yếu may wrap onto the next line of the header cell.
    if let Some(next) = whole.get(at + 1) {
        let f = fold(&next.text);
        let continues = next.line <= whole[at].line + 1
            && !f.starts_with("kinh gui")
            && !DATE_LINE.is_match(&next.text)
            && !is_caps(&next.text)
            && next.text.starts_with(|c: char| c.is_lowercase());
        if continues {
            title.push(' ');
            title.push_str(next.text.trim());
        }
    }
    (!title.is_empty()).then_some(title)
}

/// Issuer named in the opening sentence when there is no header ("…; Ủy ban nhân dân tỉnh
/// ban hành kế hoạch triển khai thực hiện như sau:").
pub(crate) fn issuer_in_text(paras: &[Para]) -> Option<String> {
    static ISSUES: Lazy<Regex> = Lazy::new(|| {
        Regex::new(
            r"(?:^|[;.]\s*)(?P<body>(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Ban Thường vụ|Ban Chỉ đạo|Sở|Tỉnh ủy|Huyện ủy)(?:\s+[\p{L}\-]+){0,6}?)\s+(?i:ban hành|xây dựng)\s+(?i:kế hoạch|chương trình|quyết định|hướng dẫn)",
        )
        .expect("static regex")
    });
    paras.iter().take(12).find_map(|p| {
        let c = ISSUES.captures(&p.text)?;
        Some(crate::agency::canonical_name(c.name("body")?.as_str()))
    })
}

/// "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" → "Ủy ban nhân dân tỉnh Nghệ An";
/// "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo".
pub(crate) fn title_case_body(caps: &str) -> String {
    let s = caps.replace("UỶ", "ỦY").replace("HOÀ", "HÒA");
    let s = s
        .replace("UBND", "ỦY BAN NHÂN DÂN")
        .replace("HĐND", "HỘI ĐỒNG NHÂN DÂN");
    let words: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
    let places = ["tỉnh", "huyện", "xã", "phường", "thị", "thành", "quận"];
    let mut out: Vec<String> = Vec::new();
    let mut proper = false;
    let mut cap_next = true;
    for (k, w) in words.iter().enumerate() {
        let folded = fold(w);
        let is_place = places.contains(&w.as_str()) && k > 0;
        if is_place && !(w == "thị" || w == "thành") {
            out.push(w.clone());
            proper = true;
            continue;
        }
        if (w == "thị" && words.get(k + 1).is_some_and(|n| n == "xã" || n == "trấn"))
            || (w == "thành" && words.get(k + 1).is_some_and(|n| n == "phố"))
        {
            out.push(w.clone());
            continue;
        }
        if (w == "xã" || w == "trấn" || w == "phố") && k > 0 {
            out.push(w.clone());
            proper = true;
            continue;
        }
        let special = ["ủy", "tỉnh", "đảng", "ban"];
        let cap = proper
            || cap_next
            || (folded == "uy"
                && out
                    .last()
                    .is_some_and(|p| fold(p) == "tinh" || fold(p) == "huyen"))
            || (special.contains(&w.as_str()) && k > 0 && out.last().is_some_and(|p| p == "ban"));
        out.push(if cap { capitalise(w) } else { w.clone() });
        cap_next = w.ends_with(',') || w == "và";
        // "Sở", "Bộ", "Cục": the next word starts the proper name.
        if k == 0
            && ["sở", "bộ", "cục", "phòng", "chi", "trung", "văn", "thanh"].contains(&w.as_str())
        {
            cap_next = ["sở", "bộ", "cục", "phòng"].contains(&w.as_str());
        }
    }
    out.join(" ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

static DATE_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*năm\s*(?P<y>\d{4})",
    )
    .expect("static regex")
});

/// Place and date line; `Err(place)` when the day or month is left blank.
pub(crate) fn place_date(
    lines: &[HeaderLine],
) -> Option<(String, Option<NaiveDate>, Option<String>)> {
    whole_lines(&lines[..lines.len().min(160)])
        .iter()
        .take(80)
        .find_map(|l| {
            let c = DATE_LINE.captures(l.text.trim())?;
            let place = c.name("place")?.as_str().trim().to_string();
            let y: i32 = c.name("y")?.as_str().parse().ok()?;
            let d: Option<u32> = c.name("d").and_then(|m| m.as_str().parse().ok());
            let m: Option<u32> = c.name("m").and_then(|m| m.as_str().parse().ok());
            let (date, warning) = match (d, m) {
                (Some(d), Some(m)) => match NaiveDate::from_ymd_opt(y, m, d) {
                    Some(date) => (Some(date), None),
                    None => (
                        None,
                        Some(format!("Ngày ban hành không tồn tại: {d}/{m}/{y}")),
                    ),
                },
                _ => (
                    None,
                    Some(format!(
                        "Ngày ban hành để trống (\"{}\"): văn bản chưa ghi ngày, cần bổ sung",
                        l.text.trim()
                    )),
                ),
            };
            Some((place, date, warning))
        })
}

/// The title: the paragraph(s) after the kind line ("KẾ HOẠCH") up to the first
/// "Thực hiện"/"Căn cứ" paragraph; "V/v …" for a công văn. Returns (kind, title).
pub(crate) fn title(paras: &[Para]) -> (Option<DocumentKind>, Option<String>) {
    for (i, p) in paras.iter().enumerate().take(40) {
        let t = p.text.trim();
        let f = crate::paragraphs::fold_start(t, 40);
        if f.starts_with("v/v") || f.starts_with("ve viec:") {
            let rest = t
                .get(3..)
                .unwrap_or("")
                .trim_start_matches([':', ' '])
                .to_string();
            let rest = t.char_indices().nth(3).map_or(rest, |(b, _)| {
                t[b..].trim_start_matches([':', ' ']).to_string()
            });
            return (Some(DocumentKind::OfficialLetter), Some(rest));
        }
        let Some(kind) = kind_from_title(t) else {
            continue;
        };
        if !(is_caps(t) || p.heading || p.bold || p.centered) {
            continue;
        }
        let mut parts: Vec<String> = Vec::new();
        for q in paras.iter().skip(i + 1).take(4) {
            let qt = q.text.trim();
            let qf = crate::paragraphs::fold_start(qt, 20);
            if qf.starts_with("thuc hien ")
                || qf.starts_with("can cu ")
                || qf.starts_with("kinh gui")
                || qf.starts_with("theo de nghi")
                || crate::paragraphs::starts_with_marker(qt)
                || qf.starts_with("so:")
            {
                break;
            }
            if !parts.is_empty()
                && is_caps(qt)
                && [
                    "chu tich",
                    "uy ban",
                    "giam doc",
                    "bo truong",
                    "ban thuong vu",
                ]
                .iter()
                .any(|w| qf.starts_with(w))
            {
                break;
            }
            if qf.starts_with("(ban hanh kem theo") {
                break;
            }
            parts.push(qt.to_string());
            if qt.ends_with(['.', ':']) {
                break;
            }
        }
        let title = parts.join(" ");
        return (Some(kind), (!title.is_empty()).then_some(title));
    }
    (None, None)
}

/// What a news page says of the document it reproduces ("Toàn văn Chương trình hành động số
/// 17-Ctr/TU ngày 26/2/2026 Ban Thường vụ Tỉnh ủy Nghệ An tại đây!"): kind, number, date and
/// issuer, used only where the document has no state header of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SelfReference {
    pub kind: Option<DocumentKind>,
    pub number: String,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
}

/// The "Toàn văn …" line of a reproduced document, if any.
pub(crate) fn self_reference(lines: &[String]) -> Option<SelfReference> {
    static FULL_TEXT: Lazy<Regex> = Lazy::new(|| {
        Regex::new(
            r"^(?:Toàn văn|Xem toàn văn|Toàn văn nội dung)\s+(?P<kind>[\p{L} ]+?)\s+số\s*:?\s*(?P<number>[0-9][\p{L}\d./&-]*)(?:\s+ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}))?(?:\s+(?:của\s+)?(?P<issuer>[^.!:]+?))?(?:\s+tại đây)?\s*[.!:]?\s*$",
        )
        .expect("static regex")
    });
    lines.iter().rev().take(40).find_map(|l| {
        let c = FULL_TEXT.captures(l.trim())?;
        let kind = kind_from_title(c.name("kind")?.as_str());
        let date = match (c.name("d"), c.name("m"), c.name("y")) {
            (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(
                y.as_str().parse().ok()?,
                m.as_str().parse().ok()?,
                d.as_str().parse().ok()?,
            ),
            _ => None,
        };
        let issuer = c
            .name("issuer")
            .map(|m| m.as_str().trim().to_string())
            .filter(|s| crate::agency::looks_like_agency(s));
        Some(SelfReference {
            kind,
            number: c.name("number")?.as_str().trim_end_matches('.').to_string(),
            date,
            issuer,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(s: &[&str]) -> Vec<HeaderLine> {
        header_lines(&s.iter().map(|x| x.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn numbers() {
        assert_eq!(
            number(&hl(&["Số: 615/KH-UBND"])),
            Some((Some("615/KH-UBND".into()), "KH-UBND".into()))
        );
        assert_eq!(
            number(&hl(&["Số:           /KH-UBND"])),
            Some((None, "KH-UBND".into()))
        );
        assert_eq!(
            number(&hl(&["Số: 193 /UBND-KT"])),
            Some((Some("193/UBND-KT".into()), "UBND-KT".into()))
        );
        assert_eq!(
            kind_from_code("UBND-KT"),
            Some(DocumentKind::OfficialLetter)
        );
        assert_eq!(kind_from_code("KH-UBND"), Some(DocumentKind::Plan));
        assert_eq!(kind_from_code("QĐ-BXD"), Some(DocumentKind::Decision));
    }

    #[test]
    fn issuers() {
        assert_eq!(
            issuer(&hl(&[
                " ỦY BAN NHÂN DÂN",
                "TỈNH NGHỆ AN",
                "-------",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            ]))
            .as_deref(),
            Some("Ủy ban nhân dân tỉnh Nghệ An")
        );
        assert_eq!(
            issuer(&hl(&[
                "UBND TỈNH LÀO CAI",
                "SỞ CÔNG THƯƠNG",
                "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            ]))
            .as_deref(),
            Some("Sở Công Thương")
        );
        assert_eq!(
            issuer(&hl(&[
                "UỶ BAN NHÂN DÂN                                  TỈNH LÀO CAI"
            ]))
            .as_deref(),
            Some("Ủy ban nhân dân tỉnh Lào Cai")
        );
        assert_eq!(
            title_case_body("SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
            "Sở Giáo dục và Đào tạo"
        );
        assert_eq!(
            title_case_body("ỦY BAN NHÂN DÂN HUYỆN HƯƠNG KHÊ"),
            "Ủy ban nhân dân huyện Hương Khê"
        );
        assert_eq!(title_case_body("BỘ XÂY DỰNG"), "Bộ Xây dựng");
    }

    #[test]
    fn dates() {
        let (place, date, w) =
            place_date(&hl(&["Nghệ An, ngày 25 tháng 7 năm 2025"])).unwrap_or_default();
        assert_eq!(place, "Nghệ An");
        assert_eq!(date, NaiveDate::from_ymd_opt(2025, 7, 25));
        assert!(w.is_none());
        let (_, date, w) =
            place_date(&hl(&["Lào Cai, ngày       tháng      năm 2026"])).unwrap_or_default();
        assert_eq!(date, None);
        assert!(w.is_some());
        let (_, date, _) =
            place_date(&hl(&["Lào Cai, ngày 10 tháng 01năm 2026"])).unwrap_or_default();
        assert_eq!(date, NaiveDate::from_ymd_opt(2026, 1, 10));
    }

    #[test]
    fn full_text_line_names_the_document() {
        let lines = |s: &str| vec!["Nội dung.".to_string(), s.to_string(), String::new()];
        let r = self_reference(&lines(
            "Toàn văn Chương trình hành động số 17-Ctr/TU ngày 26/2/2026 Ban Thường vụ Tỉnh ủy Nghệ An tại đây!",
        ));
        assert_eq!(
            r,
            Some(SelfReference {
                kind: Some(DocumentKind::Program),
                number: "17-Ctr/TU".into(),
                date: NaiveDate::from_ymd_opt(2026, 2, 26),
                issuer: Some("Ban Thường vụ Tỉnh ủy Nghệ An".into()),
            })
        );
        // A legal basis names another document: never taken for this one.
        assert_eq!(
            self_reference(&lines(
                "Thực hiện Kế hoạch số 615/KH-UBND ngày 25/7/2025 của UBND tỉnh."
            )),
            None
        );
    }
}
