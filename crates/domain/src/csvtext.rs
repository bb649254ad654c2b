//! A small CSV reader over text already in memory (RFC 4180: quoted fields, doubled quotes,
//! line breaks inside quotes, CRLF, a leading BOM). The register files are small; the caller
//! reads the file, this only parses, so the crate stays free of I/O.

/// One record: the line it starts on (1-based) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Line where the record starts.
    pub line: usize,
    /// Fields, unquoted.
    pub fields: Vec<String>,
}

impl Record {
    /// Field `i`, trimmed, or "" when the record is shorter.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.trim())
    }
}

/// Parses CSV text into records, header included; blank lines are skipped.
pub fn parse(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let finish = |fields: &mut Vec<String>, cur: &mut String, records: &mut Vec<Record>, at| {
        fields.push(std::mem::take(cur));
        let done = std::mem::take(fields);
        if !(done.len() == 1 && done[0].trim().is_empty()) {
            records.push(Record {
                line: at,
                fields: done,
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                finish(&mut fields, &mut cur, &mut records, start);
                line += 1;
                start = line;
            }
            '\n' => {
                cur.push('\n');
                line += 1;
            }
            c => cur.push(c),
        }
    }
    finish(&mut fields, &mut cur, &mut records, start);
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_line_breaks() {
        let t =
            "\u{feff}a,b\r\n\"Sở Văn hóa, Thể thao\",\"x \"\"y\"\"\"\n\n\"two\nlines\",z\nlast,";
        let r = parse(t);
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].fields, ["a", "b"]);
        assert_eq!(
            (r[1].line, r[1].get(0), r[1].get(1)),
            (2, "Sở Văn hóa, Thể thao", "x \"y\"")
        );
        assert_eq!((r[2].line, r[2].get(0)), (4, "two\nlines"));
        assert_eq!(
            (r[3].line, r[3].get(0), r[3].get(1), r[3].get(5)),
            (6, "last", "", "")
        );
    }
}
