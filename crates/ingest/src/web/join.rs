//! Rejoins hard-wrapped portal lines into paragraphs. Converters wrap at about 80 columns
//! in mid-sentence, mid-name ("Sở Nông nghiệp và Môi⏎trường") and mid-label ("Thời⏎gian
//! hoàn thành:"), so a line break means nothing by itself; paragraphs are found from the
//! genre's own markers instead: blank lines where the page has them, otherwise numbering,
//! dashes, emphasised starts, field labels and finished sentences.

use tinhgon_textkit::fold;

use super::inline;

/// One source line handed to the joiner.
pub(crate) struct Line<'a> {
    /// Index in the document's lines.
    pub index: usize,
    /// The raw line (emphasis still in it).
    pub raw: &'a str,
}

/// A joined paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Joined {
    /// First source line.
    pub line: usize,
    /// Clean text.
    pub text: String,
    /// Wrapped in `**` as a whole.
    pub bold: bool,
    /// A `#` heading.
    pub heading: Option<u8>,
}

/// How paragraphs are separated in the text being joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The page separates paragraphs with blank lines: only they (and headings) break.
    Blank,
    /// No blank lines: markers, labels and sentence ends break.
    Dense,
    /// Inside a table cell: as dense, and a line that starts a new agency name after a
    /// short complete one is a new paragraph (one agency per line in the cell).
    Cell,
}

/// Labels of the fields a task carries; a line starting with one starts a paragraph.
const LABELS: &[&str] = &[
    "nhiem vu",
    "noi dung",
    "co quan chu tri",
    "co quan thuc hien",
    "co quan phoi hop",
    "don vi chu tri",
    "don vi thuc hien",
    "don vi phoi hop",
    "chu tri",
    "phoi hop",
    "thoi gian",
    "thoi han",
    "tien do",
    "ket qua",
    "san pham",
    "kinh phi",
    "nguon kinh phi",
    "trach nhiem",
    "nguoi dung dau",
    "kinh gui",
    "noi nhan",
];

/// Words an agency name starts with, for the one-agency-per-line cells.
const AGENCY_HEADS: &[&str] = &[
    "so ",
    "bo ",
    "ubnd",
    "uy ban",
    "cong an",
    "ban ",
    "van phong",
    "dai ",
    "bao ",
    "hoi ",
    "lien doan",
    "mat tran",
    "doan ",
    "tinh doan",
    "truong ",
    "trung tam",
    "cuc ",
    "tong cuc",
    "kho bac",
    "ngan hang",
    "thue ",
    "bo chi huy",
    "cac ",
    "thanh tra",
    "vien ",
    "chi cuc",
];

/// True for a numbering or bullet marker at the start: "1.", "1.2.", "a)", "II.", "-", "+",
/// "•", "Điều 3", "Chương II". Years and dates ("2030.", "15/12") are not markers.
fn starts_with_marker(s: &str) -> bool {
    let s = s.trim_start();
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '-' | '+' | '•' | '–' | '—' | '*') {
        return chars.next().is_none_or(char::is_whitespace);
    }
    let token: String = s.chars().take_while(|c| !c.is_whitespace()).collect();
    if let Some(body) = token.strip_suffix(['.', ')']) {
        let body = body.trim_start_matches('(');
        let numeric = !body.is_empty()
            && body
                .split('.')
                .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
        let roman = !body.is_empty()
            && body.len() <= 6
            && body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'));
        let letter = body.chars().count() == 1 && body.chars().all(char::is_lowercase);
        if numeric || roman || (letter && token.ends_with(')')) {
            return true;
        }
    }
    let f = fold(&s.chars().take(12).collect::<String>());
    ["dieu ", "chuong ", "phan ", "muc "].iter().any(|w| {
        f.strip_prefix(w)
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || "ivxl".contains(c)))
    })
}

fn starts_with_label(text: &str) -> bool {
    let head: String = text.chars().take(48).collect();
    let Some(colon) = head.find(':') else {
        return false;
    };
    let f = fold(head[..colon].trim_start_matches(['-', '+', '*', ' ']));
    LABELS.iter().any(|l| f.starts_with(l))
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ';', ':', '!', '?'])
}

fn starts_upper(s: &str) -> bool {
    s.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '(' | '"' | '“'))
}

fn is_agency_start(text: &str) -> bool {
    let f = fold(&text.chars().take(12).collect::<String>());
    starts_upper(text) && AGENCY_HEADS.iter().any(|h| f.starts_with(h))
}

fn heading_level(raw: &str) -> Option<u8> {
    let t = raw.trim_start();
    let hashes = t.chars().take_while(|&c| c == '#').count();
    ((1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with(' ')))
        .then_some(hashes as u8)
}

/// True when `next` (raw and clean) starts a new paragraph after `cur` (clean).
fn breaks(
    mode: Mode,
    cur: &Joined,
    (cur_first_raw, cur_last_raw): (&str, &str),
    raw: &str,
    next: &str,
) -> bool {
    if cur.heading.is_some() || heading_level(raw).is_some() {
        return true;
    }
    if mode == Mode::Blank {
        return false;
    }
    let c = cur.text.as_str();
    if starts_with_marker(next) || starts_with_label(next) {
        return true;
    }
    // The converter closes emphasis at the end of a heading or label line and opens it on
    // the next one.
    if inline::starts_emphasised(raw)
        && (ends_sentence(c) || cur_last_raw.trim_end().ends_with('*'))
    {
        return true;
    }
    // A semicolon ends list items that carry their own markers; without one, the list
    // goes on ("các Bộ: Nông nghiệp và Môi trường; Xây dựng;⏎Khoa học và Công nghệ").
    if ends_sentence(c) && !c.ends_with(';') && starts_upper(next) {
        return true;
    }
    // An emphasised heading closed at the end of its line ("**1. Về phân cấp,⏎phân
    // quyền**") ends there.
    if cur_first_raw.trim_start().starts_with("**")
        && cur_last_raw.trim_end().ends_with("**")
        && starts_upper(next)
    {
        return true;
    }
    // The addressee line ends where the body's first sentence starts.
    if fold(&c.chars().take(9).collect::<String>()).starts_with("kinh gui")
        && ["Thực hiện ", "Căn cứ ", "Theo ", "Để ", "Ngày "]
            .iter()
            .any(|w| next.starts_with(w))
    {
        return true;
    }
    if mode == Mode::Cell
        && is_agency_start(next)
        && is_agency_start(c)
        && c.chars().count() <= 60
        && !fold(c).ends_with(" va")
        && !c.ends_with(',')
    {
        return true;
    }
    false
}

/// Joins `lines` (blank lines included, as empty raws) into paragraphs.
pub(crate) fn join(lines: &[Line<'_>], mode: Mode) -> Vec<Joined> {
    let mut out: Vec<Joined> = Vec::new();
    let mut cur: Option<Joined> = None;
    let mut cur_last_raw = "";
    let mut cur_first_raw = "";
    let mut blank_before = false;
    for l in lines {
        let text = inline::strip(l.raw.trim_start_matches('#'));
        if text.is_empty() {
            blank_before |= l.raw.trim().is_empty() || l.raw.trim().chars().all(|c| c == '*');
            continue;
        }
        let heading = heading_level(l.raw);
        let bold = inline::wholly_bold(l.raw.trim_start_matches('#').trim());
        let new_para = match cur.as_ref() {
            None => true,
            Some(c) if blank_before => {
                // A blank line in mid-sentence ("người dân -⏎⏎doanh nghiệp"): the page broke
                // a paragraph that was not finished.
                !(next_is_continuation(&c.text, &text) && heading.is_none())
            }
            Some(c) => breaks(mode, c, (cur_first_raw, cur_last_raw), l.raw, &text),
        };
        blank_before = false;
        if new_para {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            cur_first_raw = l.raw;
            cur = Some(Joined {
                line: l.index,
                text,
                bold,
                heading,
            });
        } else if let Some(c) = cur.as_mut() {
            if !c.text.is_empty() {
                c.text.push(' ');
            }
            c.text.push_str(&text);
            c.bold &= bold || l.raw.trim_end().ends_with("**");
        }
        cur_last_raw = l.raw;
    }
    out.extend(cur);
    out
}

fn next_is_continuation(cur: &str, next: &str) -> bool {
    !ends_sentence(cur) && !starts_with_marker(next) && next.starts_with(|c: char| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, mode: Mode) -> Vec<String> {
        let lines: Vec<Line<'_>> = text
            .lines()
            .enumerate()
            .map(|(index, raw)| Line { index, raw })
            .collect();
        join(&lines, mode).into_iter().map(|j| j.text).collect()
    }

    #[test]
    fn blank_separated_pages_join_inside_paragraphs() {
        let t = "**8. Công dân\nsố và văn hoá số**\n\na) Ứng dụng khung kỹ năng số quốc\ngia.\n\n- Ưu tiên dịch vụ, phục vụ người dân -\n\ndoanh nghiệp nhanh hơn.\n\nThời\nhạn thực hiện: Từ tháng 10/2025.";
        assert_eq!(
            run(t, Mode::Blank),
            [
                "8. Công dân số và văn hoá số",
                "a) Ứng dụng khung kỹ năng số quốc gia.",
                "- Ưu tiên dịch vụ, phục vụ người dân - doanh nghiệp nhanh hơn.",
                "Thời hạn thực hiện: Từ tháng 10/2025."
            ]
        );
    }

    #[test]
    fn dense_pages_break_at_markers_labels_and_sentences() {
        let t = "**1. Về phân cấp,\nphân quyền**\n*1.1. Đối với nhiệm vụ* các Bộ rà soát đến năm\n2030. Xong việc.\n- Đơn vị chủ trì: Sở Nội\nvụ\nĐơn vị phối hợp: Sở Tài chính.\nTrên đây là nội dung.";
        assert_eq!(
            run(t, Mode::Dense),
            [
                "1. Về phân cấp, phân quyền",
                "1.1. Đối với nhiệm vụ các Bộ rà soát đến năm 2030. Xong việc.",
                "- Đơn vị chủ trì: Sở Nội vụ",
                "Đơn vị phối hợp: Sở Tài chính.",
                "Trên đây là nội dung."
            ]
        );
    }

    #[test]
    fn cells_keep_one_agency_per_line() {
        assert_eq!(
            run(
                "Sở Nội vụ\nSở Tài chính\nBộ Văn hóa, Thể thao\nvà Du lịch",
                Mode::Cell
            ),
            [
                "Sở Nội vụ",
                "Sở Tài chính",
                "Bộ Văn hóa, Thể thao và Du lịch"
            ]
        );
        assert_eq!(
            run("Sở Khoa học và\nCông nghệ", Mode::Cell),
            ["Sở Khoa học và Công nghệ"]
        );
    }
}
