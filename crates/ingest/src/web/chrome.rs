//! The portal's own page around the document: copyright and login notices and the
//! "Số hiệu / Loại văn bản / Nơi ban hành …" table before it, its summary, related
//! documents and notices after it. Only the document between them is read; the metadata
//! table is kept as facts, since some pages carry the number and date nowhere else.

use tinhgon_textkit::fold;

use super::inline;

/// Where the document lies in the page, and what the portal says about it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Body {
    /// First line of the document.
    pub start: usize,
    /// One past its last line.
    pub end: usize,
    /// The metadata table's label/value pairs, labels without the colon.
    pub facts: Vec<(String, String)>,
}

const LOADING: &str = "dang tai van ban";
const METADATA_LABELS: &[&str] = &[
    "so hieu",
    "loai van ban",
    "noi ban hanh",
    "nguoi ky",
    "ngay ban hanh",
    "ngay hieu luc",
    "ngay cong bao",
    "so cong bao",
    "tinh trang",
    "linh vuc",
];
/// Lines after which only the portal speaks.
const TAIL: &[&str] = &[
    "van ban nay chua cap nhat noi dung tieng anh",
    "van ban lien quan",
    "ban dich nay thuoc quyen so huu",
    "luoc do",
    "noi dung sua doi, huong dan",
];

fn is_pipe(l: &str) -> bool {
    l.trim() == "|"
}

/// Finds the document in the page.
pub(crate) fn body(lines: &[String]) -> Body {
    let mut b = Body {
        start: 0,
        end: lines.len(),
        facts: Vec::new(),
    };
    let folded_start = |l: &str| fold(&inline::strip(l.trim_start_matches('#')));
    if let Some(loading) = lines
        .iter()
        .position(|l| folded_start(l).starts_with(LOADING))
    {
        let (facts, next) = metadata(lines, loading + 1);
        b.facts = facts;
        // The document's own header table follows the metadata table on the next run of
        // pipes: keep one pipe to open it. A single pipe only closes the last value.
        let pipes_before = (0..next).rev().take_while(|&k| is_pipe(&lines[k])).count();
        // A bare "Kính gửi:" is the first cell of the address table.
        let address_cell = lines
            .get(next)
            .is_some_and(|l| fold(&inline::strip(l)) == "kinh gui:")
            && next > 0
            && is_pipe(&lines[next - 1]);
        b.start = if pipes_before >= 2 || address_cell {
            next - 1
        } else {
            next
        };
    }
    if let Some(tail) = (b.start..lines.len()).find(|&k| {
        let f = folded_start(&lines[k]);
        TAIL.iter().any(|t| f.starts_with(t))
    }) {
        b.end = tail;
        // The portal's one-line summary ("Công văn 174/CV-BCĐ năm 2025 tập trung …") sits
        // right before its "not yet translated" notice.
        let summary = tail > b.start
            && folded_start(&lines[tail]).starts_with(TAIL[0])
            && !is_pipe(&lines[tail - 1])
            && fold(&lines[tail - 1]).contains(" nam 20");
        if summary {
            b.end = tail - 1;
        }
    }
    b.start = b.start.min(b.end);
    b
}

/// Reads the metadata table from `i`; returns the pairs and the first line after it.
fn metadata(lines: &[String], mut i: usize) -> (Vec<(String, String)>, usize) {
    let mut facts = Vec::new();
    while i < lines.len() {
        let raw = lines[i].trim();
        let text = inline::strip(raw.trim_start_matches('#'));
        if is_pipe(raw) || text.is_empty() {
            i += 1;
            continue;
        }
        let Some(label) = text.strip_suffix(':') else {
            break;
        };
        let f = fold(label);
        if !METADATA_LABELS.iter().any(|l| f == *l) {
            break;
        }
        i += 1;
        // The value runs to the next pipe (skipping the pipe after the label).
        while i < lines.len() && is_pipe(&lines[i]) {
            i += 1;
        }
        let mut value = Vec::new();
        while i < lines.len() && !is_pipe(&lines[i]) {
            let v = inline::strip(&lines[i]);
            if !v.is_empty() {
                value.push(v);
            }
            i += 1;
        }
        facts.push((label.trim().to_string(), value.join(" ")));
    }
    (facts, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_table_and_tail_are_cut_off() {
        let page = "Bản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**.\n|\n|\nĐang tải văn bản...\n#\n**Số hiệu:**\n|\n174/CV-BCĐ\n|\n|\n**\nNgày ban hành:**\n|\n02/12/2025\n|\n**Kính gửi:** Các Bộ\nNội dung.\nCông văn 174/CV-BCĐ năm 2025 tập trung\nVăn bản này chưa cập nhật nội dung Tiếng Anh\n## Văn bản liên quan";
        let lines: Vec<String> = page.lines().map(str::to_string).collect();
        let b = body(&lines);
        assert_eq!(lines[b.start], "**Kính gửi:** Các Bộ");
        assert_eq!(lines[b.end - 1], "Nội dung.");
        assert_eq!(
            b.facts,
            [
                ("Số hiệu".to_string(), "174/CV-BCĐ".to_string()),
                ("Ngày ban hành".to_string(), "02/12/2025".to_string())
            ]
        );
    }

    #[test]
    fn a_document_without_chrome_is_whole() {
        let lines: Vec<String> = ["|", "UBND", "|", "Nội dung"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            body(&lines),
            Body {
                start: 0,
                end: 4,
                facts: vec![]
            }
        );
    }
}
