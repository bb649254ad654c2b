//! A minimal content-stream interpreter: text state, matrices and form XObjects, enough to
//! place every character on the page. Graphics other than text are ignored.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

use super::font::Font;
use super::stream;
use crate::IngestError;

/// Operations interpreted per document (a dense page has ~20 000); bounds the time a
/// hostile file can take.
const MAX_OPS: usize = 20_000_000;
/// Glyphs and ruling lines kept per page; a real page has a few thousand glyphs.
const MAX_GLYPHS: usize = 100_000;
const MAX_RULES: usize = 5_000;
/// Form XObjects nested deeper than this are skipped.
const MAX_FORM_DEPTH: usize = 4;

/// A straight ruling line (table border) in page space.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Vertical rule (x fixed) or horizontal (y fixed).
    pub vertical: bool,
    /// The fixed coordinate.
    pub at: f64,
    /// Start of the span along the other axis.
    pub from: f64,
    /// End of the span.
    pub to: f64,
}

/// Everything read from one page.
#[derive(Default)]
pub struct PageContent {
    /// Placed characters.
    pub glyphs: Vec<Glyph>,
    /// Ruling lines.
    pub rules: Vec<Rule>,
}

/// One placed character (or ligature) in page space, y growing upwards.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// Decoded text.
    pub text: String,
    /// Left edge.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Advance width in page units.
    pub w: f64,
    /// Font size in page units.
    pub size: f64,
    /// Drawn with a bold font.
    pub bold: bool,
}

#[derive(Debug, Clone, Copy)]
struct M([f64; 6]);

impl M {
    const ID: M = M([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// self × other (PDF row-vector convention).
    fn mul(self, o: M) -> M {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        M([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn translate(x: f64, y: f64) -> M {
        M([1.0, 0.0, 0.0, 1.0, x, y])
    }

    fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

fn num(o: &Object) -> f64 {
    match o {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => 0.0,
    }
}

fn matrix(ops: &[Object]) -> Option<M> {
    if ops.len() < 6 {
        return None;
    }
    let v: Vec<f64> = ops.iter().take(6).map(num).collect();
    v.iter()
        .all(|x| x.is_finite())
        .then(|| M([v[0], v[1], v[2], v[3], v[4], v[5]]))
}

#[derive(Clone)]
struct TextState {
    font: Option<usize>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

/// Fonts loaded once per document, keyed by their dictionary's address.
#[derive(Default)]
pub struct FontCache {
    fonts: Vec<Font>,
    by_addr: HashMap<usize, usize>,
}

impl FontCache {
    fn get(&mut self, doc: &Document, dict: &Dictionary) -> usize {
        let addr = dict as *const Dictionary as usize;
        if let Some(&i) = self.by_addr.get(&addr) {
            return i;
        }
        self.fonts.push(Font::load(doc, dict));
        let i = self.fonts.len() - 1;
        self.by_addr.insert(addr, i);
        i
    }
}

/// Interprets a page and returns its glyphs and ruling lines.
pub fn page_content(
    doc: &Document,
    page: lopdf::ObjectId,
    cache: &mut FontCache,
    ops: &mut usize,
) -> Result<PageContent, IngestError> {
    let mut data = Vec::new();
    for id in doc.get_page_contents(page).into_iter().take(1000) {
        if let Ok(s) = doc.get_object(id).and_then(Object::as_stream) {
            data.extend(stream::content(s)?);
            data.push(b'\n');
            if data.len() as u64 > stream::STREAM_CAP {
                return Err(IngestError::Oversized(stream::STREAM_CAP));
            }
        }
    }
    let resources = page_resources(doc, page);
    let mut out = PageContent::default();
    run(
        doc,
        &data,
        resources.as_ref(),
        M::ID,
        cache,
        &mut out,
        ops,
        0,
    );
    Ok(out)
}

/// The page's resource dictionary, inherited from the page tree when absent.
fn page_resources(doc: &Document, page: lopdf::ObjectId) -> Option<Dictionary> {
    let (own, inherited) = doc.get_page_resources(page).ok()?;
    if let Some(d) = own {
        return Some(d.clone());
    }
    inherited
        .into_iter()
        .find_map(|id| doc.get_dictionary(id).ok().cloned())
}

fn sub_dict<'a>(
    doc: &'a Document,
    res: Option<&'a Dictionary>,
    key: &[u8],
) -> Option<&'a Dictionary> {
    let o = res?.get(key).ok()?;
    doc.dereference(o).ok()?.1.as_dict().ok()
}

#[allow(clippy::too_many_arguments)]
fn run(
    doc: &Document,
    data: &[u8],
    res: Option<&Dictionary>,
    base: M,
    cache: &mut FontCache,
    out: &mut PageContent,
    ops_done: &mut usize,
    depth: usize,
) {
    let Ok(content) = Content::decode(data) else {
        return;
    };
    let fonts = sub_dict(doc, res, b"Font");
    let xobjects = sub_dict(doc, res, b"XObject");
    let mut ctm = base;
    let mut stack: Vec<(M, TextState)> = Vec::new();
    let mut ts = TextState {
        font: None,
        size: 0.0,
        char_space: 0.0,
        word_space: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    let mut tm = M::ID;
    let mut tlm = M::ID;
    let mut point = (0.0, 0.0);
    // Path segments wait for the painting operator: only stroked lines and thin filled
    // rectangles are rules (a filled outline — a seal, a glyph drawn as a path — is not).
    let mut stroked: Vec<((f64, f64), (f64, f64))> = Vec::new();
    let mut thin: Vec<((f64, f64), (f64, f64))> = Vec::new();
    for op in &content.operations {
        *ops_done += 1;
        if *ops_done > MAX_OPS {
            return;
        }
        let o = &op.operands;
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push((ctm, ts.clone())),
            "Q" => {
                if let Some((c, t)) = stack.pop() {
                    ctm = c;
                    ts = t;
                }
            }
            "m" if o.len() >= 2 => point = ctm.apply(num(&o[0]), num(&o[1])),
            "l" if o.len() >= 2 => {
                let to = ctm.apply(num(&o[0]), num(&o[1]));
                if stroked.len() < 10_000 {
                    stroked.push((point, to));
                }
                point = to;
            }
            "S" | "s" | "B" | "B*" | "b" | "b*" => {
                for (a, b) in stroked.drain(..).chain(thin.drain(..)) {
                    segment(a, b, &mut out.rules);
                }
            }
            "f" | "F" | "f*" => {
                for (a, b) in thin.drain(..) {
                    segment(a, b, &mut out.rules);
                }
                stroked.clear();
            }
            "n" => {
                stroked.clear();
                thin.clear();
            }
            "re" if o.len() >= 4 => {
                let (x, y, w, h) = (num(&o[0]), num(&o[1]), num(&o[2]), num(&o[3]));
                let c = [
                    ctm.apply(x, y),
                    ctm.apply(x + w, y),
                    ctm.apply(x + w, y + h),
                    ctm.apply(x, y + h),
                ];
                let (dx, dy) = ((c[1].0 - c[0].0).abs(), (c[3].1 - c[0].1).abs());
                let mid = |a: (f64, f64), b: (f64, f64)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                if thin.len() + stroked.len() > 10_000 {
                    continue;
                }
                if dx < 3.0 {
                    // A thin rectangle: one rule along its middle.
                    thin.push((mid(c[0], c[1]), mid(c[3], c[2])));
                } else if dy < 3.0 {
                    thin.push((mid(c[0], c[3]), mid(c[1], c[2])));
                } else {
                    for k in 0..4 {
                        stroked.push((c[k], c[(k + 1) % 4]));
                    }
                }
            }
            "cm" => {
                if let Some(m) = matrix(o) {
                    ctm = m.mul(ctm);
                }
            }
            "BT" => {
                tm = M::ID;
                tlm = M::ID;
            }
            "Tf" => {
                ts.size = o.get(1).map(num).unwrap_or(0.0);
                ts.font = o
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| fonts.and_then(|f| f.get(n).ok()))
                    .and_then(|f| doc.dereference(f).ok())
                    .and_then(|(_, f)| f.as_dict().ok())
                    .map(|d| cache.get(doc, d));
            }
            "Tc" => ts.char_space = o.first().map(num).unwrap_or(0.0),
            "Tw" => ts.word_space = o.first().map(num).unwrap_or(0.0),
            "Tz" => ts.scale = o.first().map(num).unwrap_or(100.0) / 100.0,
            "TL" => ts.leading = o.first().map(num).unwrap_or(0.0),
            "Ts" => ts.rise = o.first().map(num).unwrap_or(0.0),
            "Td" | "TD" => {
                let (x, y) = (
                    o.first().map(num).unwrap_or(0.0),
                    o.get(1).map(num).unwrap_or(0.0),
                );
                if op.operator == "TD" {
                    ts.leading = -y;
                }
                tlm = M::translate(x, y).mul(tlm);
                tm = tlm;
            }
            "Tm" => {
                if let Some(m) = matrix(o) {
                    tlm = m;
                    tm = m;
                }
            }
            "T*" => {
                tlm = M::translate(0.0, -ts.leading).mul(tlm);
                tm = tlm;
            }
            "Tj" => show(o.first(), &ts, &mut tm, ctm, cache, &mut out.glyphs),
            "'" | "\"" => {
                if op.operator == "\"" {
                    ts.word_space = o.first().map(num).unwrap_or(0.0);
                    ts.char_space = o.get(1).map(num).unwrap_or(0.0);
                }
                tlm = M::translate(0.0, -ts.leading).mul(tlm);
                tm = tlm;
                show(o.last(), &ts, &mut tm, ctm, cache, &mut out.glyphs);
            }
            "TJ" => {
                if let Some(Object::Array(items)) = o.first() {
                    for item in items {
                        match item {
                            Object::String(..) => {
                                show(Some(item), &ts, &mut tm, ctm, cache, &mut out.glyphs)
                            }
                            other => {
                                let tx = -num(other) / 1000.0 * ts.size * ts.scale;
                                tm = M::translate(tx, 0.0).mul(tm);
                            }
                        }
                    }
                }
            }
            "Do" if depth < MAX_FORM_DEPTH => {
                let form = o
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| xobjects.and_then(|x| x.get(n).ok()))
                    .and_then(|x| doc.dereference(x).ok())
                    .and_then(|(_, x)| x.as_stream().ok())
                    .filter(|s| {
                        s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                    });
                if let Some(form) = form {
                    let m = form
                        .dict
                        .get(b"Matrix")
                        .ok()
                        .and_then(|m| m.as_array().ok())
                        .and_then(|a| matrix(a))
                        .unwrap_or(M::ID);
                    let form_res = form
                        .dict
                        .get(b"Resources")
                        .ok()
                        .and_then(|r| doc.dereference(r).ok())
                        .and_then(|(_, r)| r.as_dict().ok())
                        .or(res);
                    if let Ok(bytes) = stream::content(form) {
                        run(
                            doc,
                            &bytes,
                            form_res,
                            m.mul(ctm),
                            cache,
                            out,
                            ops_done,
                            depth + 1,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// Records a segment when it is a horizontal or vertical rule.
fn segment(a: (f64, f64), b: (f64, f64), rules: &mut Vec<Rule>) {
    let finite = a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite();
    if rules.len() >= MAX_RULES || !finite {
        return;
    }
    let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
    if dx < 2.0 && dy > 4.0 {
        rules.push(Rule {
            vertical: true,
            at: (a.0 + b.0) / 2.0,
            from: a.1.min(b.1),
            to: a.1.max(b.1),
        });
    } else if dy < 2.0 && dx > 4.0 {
        rules.push(Rule {
            vertical: false,
            at: (a.1 + b.1) / 2.0,
            from: a.0.min(b.0),
            to: a.0.max(b.0),
        });
    }
}

fn show(
    s: Option<&Object>,
    ts: &TextState,
    tm: &mut M,
    ctm: M,
    cache: &FontCache,
    out: &mut Vec<Glyph>,
) {
    let (Some(Object::String(bytes, _)), Some(fi)) = (s, ts.font) else {
        return;
    };
    let Some(font) = cache.fonts.get(fi) else {
        return;
    };
    for g in font.decode(bytes) {
        if out.len() >= MAX_GLYPHS {
            return;
        }
        let trm = M([ts.size * ts.scale, 0.0, 0.0, ts.size, 0.0, ts.rise])
            .mul(*tm)
            .mul(ctm);
        let tx = (g.width / 1000.0 * ts.size
            + ts.char_space
            + if g.is_space { ts.word_space } else { 0.0 })
            * ts.scale;
        let full = tm.mul(ctm);
        let sx = (full.0[0] * full.0[0] + full.0[1] * full.0[1]).sqrt();
        let size = (trm.0[2] * trm.0[2] + trm.0[3] * trm.0[3]).sqrt();
        if !g.text.is_empty() && trm.0[4].is_finite() && trm.0[5].is_finite() {
            out.push(Glyph {
                bold: font.bold,
                text: g.text,
                x: trm.0[4],
                y: trm.0[5],
                w: tx * sx,
                size,
            });
        }
        *tm = M::translate(tx, 0.0).mul(*tm);
    }
}
