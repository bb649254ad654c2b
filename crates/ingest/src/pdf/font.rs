//! Fonts: from character codes to Unicode text and glyph widths.
//!
//! ToUnicode CMaps win over everything (Word and LibreOffice embed Vietnamese as Identity-H
//! fonts with a ToUnicode map); simple fonts without one fall back to their `/Differences`
//! glyph names and then to WinAnsi.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::stream;

/// A font ready for decoding.
#[derive(Debug, Default)]
pub struct Font {
    /// Bold face, from the font name ("TimesNewRomanPS-BoldMT", "…,Bold") or descriptor.
    pub bold: bool,
    two_byte: bool,
    to_unicode: HashMap<u32, String>,
    differences: HashMap<u8, char>,
    widths: HashMap<u32, f64>,
    default_width: f64,
}

/// One decoded character code.
pub struct Glyph {
    /// Unicode text of the code (may be empty or several characters).
    pub text: String,
    /// Advance width in text space units (1/1000 of the font size).
    pub width: f64,
    /// Single-byte code 32, to which word spacing applies.
    pub is_space: bool,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

impl Font {
    /// Builds a font from its dictionary.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let mut font = Font {
            two_byte: subtype == b"Type0",
            default_width: 500.0,
            ..Font::default()
        };
        if let Ok(o) = dict.get(b"ToUnicode") {
            if let Ok(s) = deref(doc, o).as_stream() {
                if let Ok(bytes) = stream::content(s) {
                    font.to_unicode = parse_cmap(&bytes);
                }
            }
        }
        font.bold = is_bold(doc, dict);
        if font.two_byte {
            font.load_cid_widths(doc, dict);
        } else {
            font.load_simple(doc, dict);
        }
        font
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary) {
        let first = dict.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
        if let Ok(w) = dict.get(b"Widths") {
            if let Ok(arr) = deref(doc, w).as_array() {
                for (i, o) in arr.iter().take(256).enumerate() {
                    if let Some(v) = number(deref(doc, o)) {
                        self.widths.insert(first + i as u32, v);
                    }
                }
            }
        }
        if let Ok(fd) = dict.get(b"FontDescriptor") {
            if let Ok(fd) = deref(doc, fd).as_dict() {
                if let Some(mw) = fd.get(b"MissingWidth").ok().and_then(number) {
                    self.default_width = mw;
                }
            }
        }
        if let Ok(enc) = dict.get(b"Encoding") {
            if let Ok(enc) = deref(doc, enc).as_dict() {
                if let Ok(diffs) = enc.get(b"Differences").map(|d| deref(doc, d)) {
                    if let Ok(arr) = diffs.as_array() {
                        let mut code = 0u32;
                        for o in arr.iter().take(4096) {
                            match o {
                                Object::Integer(i) => code = (*i).clamp(0, 255) as u32,
                                Object::Name(n) => {
                                    if let (Some(c), Ok(b)) = (glyph_name(n), u8::try_from(code)) {
                                        self.differences.insert(b, c);
                                    }
                                    code += 1;
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
    }

    fn load_cid_widths(&mut self, doc: &Document, dict: &Dictionary) {
        self.default_width = 1000.0;
        let Some(desc) = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| deref(doc, o).as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| deref(doc, o).as_dict().ok())
        else {
            return;
        };
        if let Some(dw) = desc.get(b"DW").ok().and_then(number) {
            self.default_width = dw;
        }
        let Some(w) = desc
            .get(b"W")
            .ok()
            .and_then(|o| deref(doc, o).as_array().ok())
        else {
            return;
        };
        let mut i = 0;
        let mut budget = 200_000usize;
        while i < w.len() {
            let Some(start) = number(deref(doc, &w[i])) else {
                break;
            };
            let start = start.max(0.0) as u32;
            match w.get(i + 1).map(|o| deref(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, o) in list.iter().enumerate() {
                        if let Some(v) = number(deref(doc, o)) {
                            self.widths.insert(start.saturating_add(k as u32), v);
                        }
                    }
                    i += 2;
                }
                Some(end) => {
                    let (Some(end), Some(v)) = (
                        number(end),
                        w.get(i + 2).map(|o| deref(doc, o)).and_then(number),
                    ) else {
                        break;
                    };
                    let end = (end.max(0.0) as u32).min(start.saturating_add(65_536));
                    for c in start..=end {
                        if budget == 0 {
                            return;
                        }
                        budget -= 1;
                        self.widths.insert(c, v);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    /// Splits a string operand into character codes and decodes them.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Glyph> {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|c| {
                let code = c.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b));
                let text = self.to_unicode.get(&code).cloned().unwrap_or_else(|| {
                    if self.two_byte {
                        // Identity-H without a usable map: the code is a glyph id, not a
                        // letter. Keep it visible as a private-use character so the
                        // plausibility check can see the text layer is broken.
                        char::from_u32(0xF0000 + code)
                            .map(String::from)
                            .unwrap_or_default()
                    } else {
                        self.simple_char(code as u8)
                            .map(String::from)
                            .unwrap_or_default()
                    }
                });
                Glyph {
                    width: self
                        .widths
                        .get(&code)
                        .copied()
                        .unwrap_or(self.default_width),
                    is_space: !self.two_byte && code == 32,
                    text,
                }
            })
            .collect()
    }

    fn simple_char(&self, b: u8) -> Option<char> {
        if let Some(&c) = self.differences.get(&b) {
            return Some(c);
        }
        let (s, _, _) = encoding_rs::WINDOWS_1252.decode(std::slice::from_ref(&b));
        s.chars().next()
    }
}

fn is_bold(doc: &Document, dict: &Dictionary) -> bool {
    let name = dict
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).to_lowercase())
        .unwrap_or_default();
    if name.contains("bold") || name.contains("black") || name.contains("heavy") {
        return true;
    }
    let desc = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| deref(doc, o).as_dict().ok());
    desc.is_some_and(|d| {
        let weight = d.get(b"FontWeight").ok().and_then(number).unwrap_or(400.0);
        let flags = d.get(b"Flags").ok().and_then(number).unwrap_or(0.0) as i64;
        weight >= 600.0 || flags & (1 << 18) != 0
    })
}

/// Glyph names in `/Differences`: "uni1EA1", "u1EA1", "a", and a few common names.
fn glyph_name(name: &[u8]) -> Option<char> {
    let n = std::str::from_utf8(name).ok()?;
    let hex = n
        .strip_prefix("uni")
        .or_else(|| n.strip_prefix('u'))
        .filter(|h| (4..=6).contains(&h.len()));
    if let Some(h) = hex {
        if let Some(c) = u32::from_str_radix(&h[..4.min(h.len())], 16)
            .ok()
            .and_then(char::from_u32)
        {
            return Some(c);
        }
    }
    let mut chars = n.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(c);
    }
    Some(match n {
        "space" | "nbspace" => ' ',
        "hyphen" | "minus" => '-',
        "period" => '.',
        "comma" => ',',
        "colon" => ':',
        "semicolon" => ';',
        "slash" => '/',
        "parenleft" => '(',
        "parenright" => ')',
        "quotedblleft" => '“',
        "quotedblright" => '”',
        "quoteright" => '’',
        "endash" => '–',
        "emdash" => '—',
        "zero" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        "dcroat" => 'đ',
        "Dcroat" => 'Đ',
        _ => return None,
    })
}

/// Parses the `bfchar` and `bfrange` sections of a ToUnicode CMap.
pub fn parse_cmap(data: &[u8]) -> HashMap<u32, String> {
    let tokens = tokenize(data);
    let mut map = HashMap::new();
    let mut i = 0;
    let mut mode = "";
    let mut budget = 300_000usize;
    while i < tokens.len() {
        match &tokens[i] {
            Tok::Word(w) if w == "beginbfchar" || w == "beginbfrange" => {
                mode = if w == "beginbfchar" { "char" } else { "range" };
                i += 1;
            }
            Tok::Word(w) if w == "endbfchar" || w == "endbfrange" => {
                mode = "";
                i += 1;
            }
            Tok::Hex(src) if mode == "char" => {
                if let Some(Tok::Hex(dst)) = tokens.get(i + 1) {
                    map.insert(code(src), utf16(dst));
                }
                i += 2;
            }
            Tok::Hex(lo) if mode == "range" => {
                let (Some(Tok::Hex(hi)), Some(dst)) = (tokens.get(i + 1), tokens.get(i + 2)) else {
                    break;
                };
                let (lo, hi) = (code(lo), code(hi));
                let hi = hi.min(lo.saturating_add(65_535));
                match dst {
                    Tok::Hex(d) => {
                        let base = utf16_units(d);
                        for (k, c) in (lo..=hi).enumerate() {
                            if budget == 0 {
                                return map;
                            }
                            budget -= 1;
                            let mut units = base.clone();
                            if let Some(last) = units.last_mut() {
                                *last = last.wrapping_add(k as u16);
                            }
                            map.insert(c, String::from_utf16_lossy(&units));
                        }
                        i += 3;
                    }
                    Tok::Open => {
                        let mut j = i + 3;
                        let mut c = lo;
                        while let Some(Tok::Hex(d)) = tokens.get(j) {
                            if c <= hi {
                                map.insert(c, utf16(d));
                            }
                            c = c.saturating_add(1);
                            j += 1;
                        }
                        i = j + 1;
                    }
                    _ => i += 3,
                }
            }
            _ => i += 1,
        }
    }
    map
}

enum Tok {
    Hex(Vec<u8>),
    Word(String),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        match b {
            b'<' if data.get(i + 1) != Some(&b'<') => {
                let end = data[i + 1..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(data.len(), |p| i + 1 + p);
                let digits: Vec<u8> = data[i + 1..end]
                    .iter()
                    .filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8))
                    .collect();
                let bytes = digits
                    .chunks(2)
                    .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
                    .collect();
                out.push(Tok::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < data.len() && data[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                out.push(Tok::Word(
                    String::from_utf8_lossy(&data[start..i]).into_owned(),
                ));
            }
            _ => i += 1,
        }
    }
    out
}

fn code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |a, &b| (a << 8) | u32::from(b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| (u16::from(p[0]) << 8) | u16::from(p.get(1).copied().unwrap_or(0)))
        .collect()
}

fn utf16(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_char_and_range() {
        let cmap = b"/CIDInit /ProcSet findresource begin\n2 beginbfchar\n<0003> <0020>\n<0102> <1EC7>\nendbfchar\n1 beginbfrange\n<0010> <0012> <0041>\nendbfrange\n1 beginbfrange\n<0020> <0021> [<0110> <00F4>]\nendbfrange";
        let m = parse_cmap(cmap);
        assert_eq!(m[&3], " ");
        assert_eq!(m[&0x102], "ệ");
        assert_eq!(m[&0x12], "C");
        assert_eq!(m[&0x21], "ô");
    }
}
