//! WordprocessingML building blocks: page geometry, paragraphs and runs.
//!
//! Written by hand rather than with docx-rs because the state layout needs exact control of
//! things docx-rs 0.4 does not expose or expresses awkwardly (short rules under the header lines
//! as paragraph borders with indents, repeated table header rows with merged cells, a first page
//! without page number, a landscape appendix section); one small writer also gives us a single
//! place where every text is NFC-normalized and XML-escaped.

use unicode_normalization::UnicodeNormalization;

/// A4 width in twips.
pub const PAGE_W: u32 = 11906;
/// A4 height in twips.
pub const PAGE_H: u32 = 16838;
/// Top margin, 20 mm.
pub const MARGIN_TOP: u32 = 1134;
/// Bottom margin, 20 mm.
pub const MARGIN_BOTTOM: u32 = 1134;
/// Left margin, 30 mm.
pub const MARGIN_LEFT: u32 = 1701;
/// Right margin, 15 mm.
pub const MARGIN_RIGHT: u32 = 851;
/// Text width of a portrait page.
pub const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// Text width of a landscape page.
pub const TEXT_W_LANDSCAPE: u32 = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT;

/// Body text, 14 pt (half-points).
pub const SZ_BODY: u32 = 28;
/// Header lines and small tables, 13 pt.
pub const SZ_13: u32 = 26;
/// Wide tables and "Nơi nhận:", 12 pt.
pub const SZ_12: u32 = 24;
/// Recipient lines, 11 pt.
pub const SZ_11: u32 = 22;

/// First-line indent of body paragraphs, 1 cm.
pub const FIRST_LINE: u32 = 567;

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Justified.
    Both,
}

impl Align {
    fn val(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Both => "both",
        }
    }
}

/// Character formatting of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Font {
    /// Size in half-points.
    pub size: u32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

impl Font {
    /// Regular text of a size.
    pub const fn plain(size: u32) -> Font {
        Font {
            size,
            bold: false,
            italic: false,
        }
    }
    /// Bold text of a size.
    pub const fn bold(size: u32) -> Font {
        Font {
            size,
            bold: true,
            italic: false,
        }
    }
    /// Italic text of a size.
    pub const fn italic(size: u32) -> Font {
        Font {
            size,
            bold: false,
            italic: true,
        }
    }
    /// Bold italic text of a size.
    pub const fn bold_italic(size: u32) -> Font {
        Font {
            size,
            bold: true,
            italic: true,
        }
    }
}

/// Paragraph formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParaFmt {
    /// Alignment.
    pub align: Align,
    /// First-line indent (twips).
    pub first_line: u32,
    /// Left indent (twips).
    pub left: u32,
    /// Right indent (twips).
    pub right: u32,
    /// Space before (twips).
    pub before: u32,
    /// Space after (twips).
    pub after: u32,
    /// Line spacing in 240ths of a line.
    pub line: u32,
    /// Keep with the next paragraph (headings, signature lines).
    pub keep_next: bool,
}

impl ParaFmt {
    /// Justified body paragraph with first-line indent, 6 pt after, 1.15 lines.
    pub const BODY: ParaFmt = ParaFmt {
        align: Align::Both,
        first_line: FIRST_LINE,
        left: 0,
        right: 0,
        before: 0,
        after: 120,
        line: 276,
        keep_next: false,
    };
    /// Tight centred paragraph (header and signature lines).
    pub const CENTER: ParaFmt = ParaFmt {
        align: Align::Center,
        first_line: 0,
        left: 0,
        right: 0,
        before: 0,
        after: 0,
        line: 240,
        keep_next: false,
    };
    /// Tight left paragraph (table cells, recipients).
    pub const LEFT: ParaFmt = ParaFmt::CENTER.aligned(Align::Left);

    /// Same format with another alignment.
    pub const fn aligned(mut self, align: Align) -> ParaFmt {
        self.align = align;
        self
    }
    /// Same format with space before.
    pub const fn before(mut self, before: u32) -> ParaFmt {
        self.before = before;
        self
    }
    /// Same format with space after.
    pub const fn after(mut self, after: u32) -> ParaFmt {
        self.after = after;
        self
    }
    /// Same format kept with the next paragraph.
    pub const fn keep_next(mut self) -> ParaFmt {
        self.keep_next = true;
        self
    }
}

/// A run of text with its font.
#[derive(Debug, Clone)]
pub struct Run {
    /// Text (normalized when written).
    pub text: String,
    /// Font.
    pub font: Font,
}

impl Run {
    /// A run.
    pub fn new(text: impl Into<String>, font: Font) -> Run {
        Run {
            text: text.into(),
            font,
        }
    }
}

/// NFC-normalizes and XML-escapes a text; drops characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.nfc() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The XML being built for one part (document body, header cell …).
#[derive(Debug, Default)]
pub struct Xml {
    buf: String,
}

impl Xml {
    /// Empty buffer.
    pub fn new() -> Xml {
        Xml::default()
    }

    /// Appends trusted markup.
    pub fn raw(&mut self, s: &str) {
        self.buf.push_str(s);
    }

    /// The markup built so far.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// Paragraph properties; `extra` goes before spacing (borders), `mark` is the paragraph
    /// mark's run properties.
    fn ppr(&mut self, fmt: &ParaFmt, extra: &str, mark: &str) {
        self.buf.push_str("<w:pPr>");
        if fmt.keep_next {
            self.buf.push_str("<w:keepNext/>");
        }
        self.buf.push_str(extra);
        self.buf.push_str(&format!(
            "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" w:lineRule=\"auto\"/>",
            fmt.before, fmt.after, fmt.line
        ));
        if fmt.first_line > 0 || fmt.left > 0 || fmt.right > 0 {
            self.buf.push_str(&format!(
                "<w:ind w:left=\"{}\" w:right=\"{}\" w:firstLine=\"{}\"/>",
                fmt.left, fmt.right, fmt.first_line
            ));
        }
        self.buf.push_str(&format!(
            "<w:jc w:val=\"{}\"/>{mark}</w:pPr>",
            fmt.align.val()
        ));
    }

    /// Writes one run; line breaks in the text become `<w:br/>`.
    pub fn run(&mut self, run: &Run) {
        self.buf.push_str("<w:r><w:rPr>");
        if run.font.bold {
            self.buf.push_str("<w:b/><w:bCs/>");
        }
        if run.font.italic {
            self.buf.push_str("<w:i/><w:iCs/>");
        }
        self.buf.push_str(&format!(
            "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr>",
            run.font.size
        ));
        for (i, line) in run.text.split('\n').enumerate() {
            if i > 0 {
                self.buf.push_str("<w:br/>");
            }
            self.buf.push_str("<w:t xml:space=\"preserve\">");
            self.buf.push_str(&escape(line.trim_end_matches('\r')));
            self.buf.push_str("</w:t>");
        }
        self.buf.push_str("</w:r>");
    }

    /// A paragraph of runs.
    pub fn para(&mut self, fmt: &ParaFmt, runs: &[Run]) {
        self.buf.push_str("<w:p>");
        self.ppr(fmt, "", "");
        for run in runs {
            self.run(run);
        }
        self.buf.push_str("</w:p>");
    }

    /// A paragraph of one run.
    pub fn text(&mut self, fmt: &ParaFmt, text: &str, font: Font) {
        self.para(fmt, &[Run::new(text, font)]);
    }

    /// A short centred horizontal rule of `width` twips inside a space `avail` twips wide,
    /// drawn as the bottom border of an empty, tiny paragraph (how Word users draw it too).
    pub fn rule(&mut self, avail: u32, width: u32) {
        let side = avail.saturating_sub(width) / 2;
        let fmt = ParaFmt {
            left: side,
            right: side,
            ..ParaFmt::CENTER
        };
        self.buf.push_str("<w:p>");
        // The paragraph mark's size sets the empty paragraph's height; keep it small so the rule
        // hugs the line above it.
        self.ppr(
            &fmt,
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>",
            "<w:rPr><w:sz w:val=\"6\"/><w:szCs w:val=\"6\"/></w:rPr>",
        );
        self.buf.push_str("</w:p>");
    }

    /// A page break.
    pub fn page_break(&mut self) {
        self.buf
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }
}

/// Section properties of an A4 section in the state margins.
///
/// `title_page` suppresses the page number on the first page (Nghị định 30: numbering starts
/// on page 2); `headers` are (type, relationship id) pairs: "default", "first".
pub fn section_properties(landscape: bool, title_page: bool, headers: &[(&str, &str)]) -> String {
    let (w, h, orient) = if landscape {
        (PAGE_H, PAGE_W, " w:orient=\"landscape\"")
    } else {
        (PAGE_W, PAGE_H, "")
    };
    let header: String = headers
        .iter()
        .map(|(kind, id)| format!("<w:headerReference w:type=\"{kind}\" r:id=\"{id}\"/>"))
        .collect();
    let title_pg = if title_page { "<w:titlePg/>" } else { "" };
    format!(
        "<w:sectPr>{header}<w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" \
         w:left=\"{MARGIN_LEFT}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         {title_pg}</w:sectPr>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_normalizes_to_nfc_and_escapes_markup() {
        // "Hòa" with a combining grave accent (NFD) must come out precomposed.
        let nfd = "Ho\u{0300}a <b> & \u{0007}";
        assert_eq!(escape(nfd), "Hòa &lt;b&gt; &amp; ");
    }

    #[test]
    fn margins_are_within_the_decree_ranges() {
        let mm = |tw: u32| f64::from(tw) * 25.4 / 1440.0;
        assert!((20.0..=25.0).contains(&mm(MARGIN_TOP).round()));
        assert!((20.0..=25.0).contains(&mm(MARGIN_BOTTOM).round()));
        assert!((30.0..=35.0).contains(&mm(MARGIN_LEFT).round()));
        assert!((15.0..=20.0).contains(&mm(MARGIN_RIGHT).round()));
    }

    #[test]
    fn rule_paragraph_is_indented_and_bordered() {
        let mut x = Xml::new();
        x.rule(3000, 1000);
        let s = x.into_string();
        assert!(s.contains("w:left=\"1000\" w:right=\"1000\""), "{s}");
        assert!(s.contains("<w:bottom w:val=\"single\""), "{s}");
        assert!(s.contains("<w:sz w:val=\"6\"/>"), "{s}");
    }
}
