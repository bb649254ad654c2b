//! Word automatic numbering (`word/numbering.xml`): the "1.", "a)" or "II." that Word draws
//! in front of a paragraph but that is not in its text runs.
//!
//! Counters are kept per abstract list, as Word does: two `w:num` instances of the same
//! `w:abstractNum` continue one sequence unless an instance restarts a level with
//! `w:lvlOverride/w:startOverride`. Incrementing a level resets every deeper level.

use std::collections::{HashMap, HashSet};

use super::xml::Node;

const LEVELS: usize = 9;

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    format: String,
    text: String,
    legal: bool,
}

#[derive(Debug, Clone)]
struct Instance {
    abstract_id: String,
    overrides: HashMap<u32, i64>,
    levels: HashMap<u32, Level>,
}

/// Numbering definitions plus the running counters of one document walk.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    instances: HashMap<String, Instance>,
    counters: HashMap<String, [Option<i64>; LEVELS]>,
    /// Instances whose start overrides were already applied.
    started: HashSet<(String, u32)>,
}

fn level(l: &Node) -> Level {
    Level {
        start: l
            .child_val("start")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
        format: l.child_val("numFmt").unwrap_or("decimal").to_string(),
        text: l.child_val("lvlText").unwrap_or_default().to_string(),
        legal: l.child("isLgl").is_some(),
    }
}

fn ilvl(l: &Node) -> u32 {
    l.attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0)
}

impl Numbering {
    /// Parses `word/numbering.xml` (its root node).
    pub fn parse(root: &Node) -> Numbering {
        let mut n = Numbering::default();
        let Some(top) = root.child("numbering") else {
            return n;
        };
        for a in top.children_named("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut levels = vec![Level::default(); LEVELS];
            for l in a.children_named("lvl") {
                if let Some(slot) = levels.get_mut(ilvl(l) as usize) {
                    *slot = level(l);
                }
            }
            n.abstracts.insert(id.to_string(), levels);
        }
        for num in top.children_named("num") {
            let (Some(id), Some(abs)) = (num.attr("numId"), num.child_val("abstractNumId")) else {
                continue;
            };
            let mut inst = Instance {
                abstract_id: abs.to_string(),
                overrides: HashMap::new(),
                levels: HashMap::new(),
            };
            for o in num.children_named("lvlOverride") {
                let lvl = ilvl(o);
                if let Some(s) = o.child_val("startOverride").and_then(|v| v.parse().ok()) {
                    inst.overrides.insert(lvl, s);
                }
                if let Some(l) = o.child("lvl") {
                    inst.levels.insert(lvl, level(l));
                }
            }
            n.instances.insert(id.to_string(), inst);
        }
        n
    }

    fn level_def(&self, inst: &Instance, lvl: u32) -> Option<Level> {
        inst.levels.get(&lvl).cloned().or_else(|| {
            self.abstracts
                .get(&inst.abstract_id)
                .and_then(|ls| ls.get(lvl as usize).cloned())
        })
    }

    /// Advances the counter for a numbered paragraph and returns its rendered label
    /// (`None` for numId 0, unknown lists or an empty `lvlText`).
    pub fn next_label(&mut self, num_id: &str, lvl: u32) -> Option<String> {
        let lvl = lvl.min(LEVELS as u32 - 1);
        let inst = self.instances.get(num_id)?.clone();
        let def = self.level_def(&inst, lvl)?;
        let key = inst.abstract_id.clone();
        let first_use = self.started.insert((num_id.to_string(), lvl));
        let counters = self.counters.entry(key).or_insert([None; LEVELS]);
        let i = lvl as usize;
        counters[i] = match (first_use, inst.overrides.get(&lvl)) {
            (true, Some(&s)) => Some(s),
            _ => Some(counters[i].map_or(def.start, |c| c.saturating_add(1))),
        };
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        let counters = *counters;
        let mut label = String::new();
        let mut chars = def.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let k = (d as usize).saturating_sub(1).min(LEVELS - 1);
                    let kdef = self.level_def(&inst, k as u32).unwrap_or_default();
                    let value = counters[k].unwrap_or(kdef.start);
                    let fmt = if def.legal && k < i {
                        "decimal"
                    } else {
                        kdef.format.as_str()
                    };
                    label.push_str(&format_number(value, fmt));
                    continue;
                }
            }
            label.push(bullet_char(c));
        }
        let label = label.trim().to_string();
        (!label.is_empty()).then_some(label)
    }
}

/// Symbol-font bullets live in the private use area; show them as a plain bullet.
fn bullet_char(c: char) -> char {
    match u32::from(c) {
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

/// Renders one counter value in a Word number format.
pub fn format_number(n: i64, fmt: &str) -> String {
    match fmt {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "none" | "bullet" => String::new(),
        _ => n.to_string(),
    }
}

/// Word's letter numbering: a..z, then aa..zz, aaa...
fn letters(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    let n = (n - 1).min(10_000) as usize;
    let c = char::from(b'A' + (n % 26) as u8);
    std::iter::repeat_n(c, n / 26 + 1).collect()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const TABLE: &[(i64, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for &(v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::xml::parse;

    const XML: &str = r#"<w:numbering xmlns:w="x">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
    </w:numbering>"#;

    #[test]
    fn counters_nest_and_reset() {
        let mut n = Numbering::parse(&parse(XML.as_bytes(), "numbering.xml").unwrap());
        let got: Vec<_> = [
            ("1", 0),
            ("1", 1),
            ("1", 2),
            ("1", 2),
            ("1", 1),
            ("1", 2),
            ("1", 0),
            ("1", 1),
            ("2", 0),
            ("3", 0),
            ("9", 0),
        ]
        .iter()
        .map(|(id, l)| n.next_label(id, *l))
        .collect();
        let want = [
            Some("I."),
            Some("I.1."),
            Some("a)"),
            Some("b)"),
            Some("I.2."),
            Some("a)"),
            Some("II."),
            Some("II.1."),
            Some("V."),
            Some("•"),
            None,
        ];
        assert_eq!(got, want.map(|w| w.map(str::to_string)));
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(4, "lowerLetter"), "d");
        assert_eq!(format_number(27, "upperLetter"), "AA");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(3, "decimalZero"), "03");
        assert_eq!(format_number(-1, "lowerRoman"), "-1");
    }
}
