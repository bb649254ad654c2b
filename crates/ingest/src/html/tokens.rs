//! The tolerant tokenizer of saved web pages: tags, text and character references,
//! whatever the input (unclosed tags, a lone "<", unknown entities).

/// One piece of the page.
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    /// An opening tag with its lowercase name and its raw attributes.
    Open(String, &'a str),
    /// A closing tag with its lowercase name.
    Close(String),
    /// Text between tags, entities still encoded.
    Text(&'a str),
}

/// Elements whose content is never text.
fn raw(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "title"
            | "iframe"
            | "object"
            | "select"
            | "button"
    )
}

/// Tokens of an HTML text; never fails, whatever the input.
pub(super) struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    /// Skips to after `needle` (ASCII, case-insensitive), or to the end.
    fn skip_past(&mut self, needle: &str) {
        let rest = &self.text.as_bytes()[self.at..];
        let n = needle.as_bytes();
        let found = rest
            .windows(n.len())
            .position(|w| w.eq_ignore_ascii_case(n));
        self.at = match found {
            Some(i) => self.at + i + n.len(),
            None => self.text.len(),
        };
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = self.text.get(self.at..)?;
            if rest.is_empty() {
                return None;
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                self.at += end;
                return Some(Token::Text(&rest[..end]));
            }
            if rest.starts_with("<!--") {
                self.skip_past("-->");
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                self.skip_past(">");
                continue;
            }
            let closing = rest.starts_with("</");
            let name_start = if closing { 2 } else { 1 };
            let name_len = rest[name_start..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 {
                // A lone "<" in text ("a < b").
                self.at += 1;
                return Some(Token::Text("<"));
            }
            let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
            let attrs_start = name_start + name_len;
            let end = tag_end(&rest[attrs_start..]).map_or(rest.len(), |e| attrs_start + e);
            let attrs = &rest[attrs_start..end.min(rest.len())];
            self.at += (end + 1).min(rest.len());
            if closing {
                return Some(Token::Close(name));
            }
            if raw(&name) && !attrs.trim_end().ends_with('/') {
                self.skip_past(&format!("</{name}"));
                self.skip_past(">");
                continue;
            }
            return Some(Token::Open(name, attrs));
        }
    }
}

/// Offset of the `>` that ends a tag, quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A numeric attribute (`colspan="2"`).
pub(super) fn number_attr(attrs: &str, name: &str) -> Option<u32> {
    let lower = attrs.to_ascii_lowercase();
    let at = lower.find(name)? + name.len();
    let rest = lower[at..].trim_start().strip_prefix('=')?.trim_start();
    let digits: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    digits.parse().ok()
}

/// Decodes character references; unknown ones stay as written.
pub(super) fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(j, _)| j + 1);
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "bull" => '•',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "igrave" => 'ì',
        "iacute" => 'í',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "yacute" => 'ý',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Yacute" => 'Ý',
        _ => return None,
    };
    Some(c)
}
