//! One idea, kept in one file: the register's CSV rows checked and built into the register.
//!
//! Building the register from the rows of its CSV files (units, mergers, aliases), with
//! every problem reported by file and line. The store reads the files; this checks them.
//!
//! Names are the keys between files (a unit's `parent`, a merger's `successor`), so names in
//! `units.csv` must be unique. Predecessors that `units.csv` does not list (the old communes,
//! the merged departments) become historical units that end on the merger's date; an old
//! commune written "Xã Bắc Sơn (huyện Đô Lương)" also yields its old district.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::csvtext;
use crate::event::{EventKind, RestructuringEvent};
use crate::model::Id;
use crate::register::validate_event;
use crate::unit::{Level, Unit, UnitAlias, UnitKind};

/// A row of `units.csv`: `code,name,level,kind,parent,effective_from`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    /// Line in the file (1-based, the header is line 1).
    pub line: usize,
    /// Official code (may be empty).
    pub code: String,
    /// Canonical name.
    pub name: String,
    /// Level (`province`, `department`, `party`, `commune` …).
    pub level: String,
    /// Kind (`so`, `xa`, `tinh-uy` …).
    pub kind: String,
    /// Parent's name (empty for the root).
    pub parent: String,
    /// First day (YYYY-MM-DD or dd/mm/yyyy; empty: since before the register starts).
    pub effective_from: String,
}

/// A row of `mergers.csv`: `successor,predecessor,effective_from,source`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergerRow {
    /// Line in the file.
    pub line: usize,
    /// Successor's name (must be in `units.csv`).
    pub successor: String,
    /// Predecessor's name.
    pub predecessor: String,
    /// Effective date (empty: unknown).
    pub effective_from: String,
    /// Source ids.
    pub source: String,
    /// The deciding document as cited ("Nghị quyết 202/2025/QH15 ngày 12/6/2025"); empty
    /// when the file has no `decision` column or the cell is empty.
    #[serde(default)]
    pub decision: String,
}

/// A row of `aliases.csv`: `alias,canonical_name`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasRow {
    /// Line in the file.
    pub line: usize,
    /// The alias.
    pub alias: String,
    /// The unit's canonical name.
    pub canonical_name: String,
}

/// Which register file a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterFile {
    /// units.csv
    Units,
    /// mergers.csv
    Mergers,
    /// aliases.csv
    Aliases,
}

impl RegisterFile {
    /// The file name.
    pub fn file_name(self) -> &'static str {
        match self {
            RegisterFile::Units => "units.csv",
            RegisterFile::Mergers => "mergers.csv",
            RegisterFile::Aliases => "aliases.csv",
        }
    }
}

/// A problem in the register files, naming the file and line (Vietnamese message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterError {
    /// File.
    pub file: RegisterFile,
    /// Line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, dòng {}: {}",
            self.file.file_name(),
            self.line,
            self.message
        )
    }
}

/// The register built from its files; ids are assigned from 1 in file order, historical
/// units after the listed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// Units, listed then historical.
    pub units: Vec<Unit>,
    /// Events, one per successor and date.
    pub events: Vec<RestructuringEvent>,
    /// Aliases.
    pub aliases: Vec<UnitAlias>,
    /// Rows that were skipped, with why (not errors: the rest is sound).
    pub warnings: Vec<RegisterError>,
}

/// Checks the register files; every problem is returned, each naming its line.
pub fn validate_register(
    units: &[UnitRow],
    mergers: &[MergerRow],
    aliases: &[AliasRow],
) -> Result<(), Vec<RegisterError>> {
    build_register(units, mergers, aliases).map(|_| ())
}

/// Builds the register from the text of its three CSV files (the caller reads them).
/// Columns are found by their header names, so their order does not matter.
pub fn register_from_csv(
    units_csv: &str,
    mergers_csv: &str,
    aliases_csv: &str,
) -> Result<Register, Vec<RegisterError>> {
    let mut errors = Vec::new();
    let units = unit_rows_from_csv(units_csv).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let mergers = merger_rows_from_csv(mergers_csv).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let aliases = alias_rows_from_csv(aliases_csv).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    build_register(&units, &mergers, &aliases)
}

/// The data records of a CSV text and, for each wanted column, its index (None: optional
/// column absent). A required column missing is an error on line 1.
fn columns(
    text: &str,
    file: RegisterFile,
    wanted: &[(&str, bool)],
) -> Result<(Vec<csvtext::Record>, Vec<Option<usize>>), RegisterError> {
    let mut records = csvtext::parse(text).into_iter();
    let header = records.next().map(|r| r.fields).unwrap_or_default();
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut idx = Vec::new();
    for (name, required) in wanted {
        let found = header.iter().position(|h| h == name);
        if found.is_none() && *required {
            let message = format!("thiếu cột \"{name}\" trong dòng tiêu đề");
            return Err(RegisterError {
                file,
                line: 1,
                message,
            });
        }
        idx.push(found);
    }
    Ok((records.collect(), idx))
}

fn cell(r: &csvtext::Record, i: Option<usize>) -> String {
    i.map_or(String::new(), |i| r.get(i).to_string())
}

/// Rows of a units.csv text.
pub fn unit_rows_from_csv(text: &str) -> Result<Vec<UnitRow>, RegisterError> {
    let wanted = [
        ("code", false),
        ("name", true),
        ("level", true),
        ("kind", true),
        ("parent", true),
        ("effective_from", false),
    ];
    let (records, c) = columns(text, RegisterFile::Units, &wanted)?;
    Ok(records
        .iter()
        .map(|r| UnitRow {
            line: r.line,
            code: cell(r, c[0]),
            name: cell(r, c[1]),
            level: cell(r, c[2]),
            kind: cell(r, c[3]),
            parent: cell(r, c[4]),
            effective_from: cell(r, c[5]),
        })
        .collect())
}

/// Rows of a mergers.csv text.
pub fn merger_rows_from_csv(text: &str) -> Result<Vec<MergerRow>, RegisterError> {
    let wanted = [
        ("successor", true),
        ("predecessor", true),
        ("effective_from", true),
        ("source", false),
        ("decision", false),
    ];
    let (records, c) = columns(text, RegisterFile::Mergers, &wanted)?;
    Ok(records
        .iter()
        .map(|r| MergerRow {
            line: r.line,
            successor: cell(r, c[0]),
            predecessor: cell(r, c[1]),
            effective_from: cell(r, c[2]),
            source: cell(r, c[3]),
            decision: cell(r, c[4]),
        })
        .collect())
}

/// Rows of an aliases.csv text.
pub fn alias_rows_from_csv(text: &str) -> Result<Vec<AliasRow>, RegisterError> {
    let (records, c) = columns(
        text,
        RegisterFile::Aliases,
        &[("alias", true), ("canonical_name", true)],
    )?;
    Ok(records
        .iter()
        .map(|r| AliasRow {
            line: r.line,
            alias: cell(r, c[0]),
            canonical_name: cell(r, c[1]),
        })
        .collect())
}

/// Parses a register date: `YYYY-MM-DD` or `dd/mm/yyyy`; empty is `Ok(None)`.
pub fn parse_register_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| format!("ngày \"{s}\" không hợp lệ (cần dạng 2025-07-01 hoặc 01/07/2025)"))
}

/// Builds the register, or returns every problem found.
pub fn build_register(
    unit_rows: &[UnitRow],
    merger_rows: &[MergerRow],
    alias_rows: &[AliasRow],
) -> Result<Register, Vec<RegisterError>> {
    let mut b = Builder::default();
    b.units(unit_rows);
    b.mergers(merger_rows);
    b.aliases(alias_rows);
    if b.errors.is_empty() {
        b.check_events();
    }
    if b.errors.is_empty() {
        Ok(b.reg)
    } else {
        b.errors.sort_by_key(|e| (e.file.file_name(), e.line));
        Err(b.errors)
    }
}

#[derive(Default)]
struct Builder {
    reg: Register,
    errors: Vec<RegisterError>,
    /// Listed units by name.
    listed: HashMap<String, Id>,
    /// Historical units by the name the mergers file uses.
    historical: HashMap<String, Id>,
    /// First line of each event, for error messages.
    event_lines: Vec<usize>,
}

impl Builder {
    fn err(&mut self, file: RegisterFile, line: usize, message: String) {
        self.errors.push(RegisterError {
            file,
            line,
            message,
        });
    }

    fn unit_mut(&mut self, id: Id) -> Option<&mut Unit> {
        self.reg.units.iter_mut().find(|u| u.id == id)
    }

    fn unit(&self, id: Id) -> Option<&Unit> {
        self.reg.units.iter().find(|u| u.id == id)
    }

    fn units(&mut self, rows: &[UnitRow]) {
        use RegisterFile::Units as F;
        let mut codes: HashMap<&str, usize> = HashMap::new();
        let mut lines: HashMap<Id, usize> = HashMap::new();
        for row in rows {
            let name = row.name.trim();
            if name.is_empty() {
                self.err(F, row.line, "thiếu tên đơn vị".into());
                continue;
            }
            if let Some(first) = self.listed.get(name).and_then(|id| lines.get(id)) {
                let msg = format!("tên đơn vị \"{name}\" trùng với dòng {first}");
                self.err(F, row.line, msg);
                continue;
            }
            let code = row.code.trim();
            if !code.is_empty() {
                if let Some(first) = codes.get(code) {
                    let msg = format!("mã \"{code}\" của \"{name}\" trùng với dòng {first}");
                    self.err(F, row.line, msg);
                    continue;
                }
                codes.insert(code, row.line);
            }
            let level = Level::from_register(&row.level);
            // The register's level `department` marks the specialised agencies of the People's
            // Committee, whatever their kind column says (Văn phòng UBND tỉnh is `van-phong`).
            let kind = match row.level.trim() {
                "department" => Some(UnitKind::Department),
                _ => UnitKind::from_register(&row.kind),
            };
            if level.is_none() {
                self.err(
                    F,
                    row.line,
                    format!("cấp \"{}\" không được hỗ trợ", row.level.trim()),
                );
            }
            if kind.is_none() {
                self.err(
                    F,
                    row.line,
                    format!("loại \"{}\" không được hỗ trợ", row.kind.trim()),
                );
            }
            let valid_from = match parse_register_date(&row.effective_from) {
                Ok(d) => d,
                Err(m) => {
                    self.err(F, row.line, m);
                    None
                }
            };
            let id = self.reg.units.len() as Id + 1;
            self.listed.insert(name.to_string(), id);
            lines.insert(id, row.line);
            self.reg.units.push(Unit {
                id,
                code: (!code.is_empty()).then(|| code.to_string()),
                name: name.to_string(),
                kind: kind.unwrap_or(UnitKind::Other),
                level: level.unwrap_or(Level::Province),
                parent_id: None,
                valid_from,
                valid_to: None,
            });
        }
        // Parents second, so a parent may be listed after its children.
        for row in rows {
            let (name, parent) = (row.name.trim(), row.parent.trim());
            let Some(&id) = self.listed.get(name) else {
                continue;
            };
            // Only the row that defined the name sets its parent (duplicates were reported).
            if parent.is_empty() || lines.get(&id) != Some(&row.line) {
                continue;
            }
            match self.listed.get(parent).copied() {
                Some(pid) => {
                    if let Some(u) = self.unit_mut(id) {
                        u.parent_id = Some(pid);
                    }
                }
                None => {
                    let msg = format!("không tìm thấy đơn vị cha \"{parent}\" của \"{name}\"");
                    self.err(F, row.line, msg);
                }
            }
        }
        self.check_cycles(&lines);
    }

    fn check_cycles(&mut self, lines: &HashMap<Id, usize>) {
        let parent: BTreeMap<Id, Id> = self
            .reg
            .units
            .iter()
            .filter_map(|u| u.parent_id.map(|p| (u.id, p)))
            .collect();
        let mut reported = Vec::new();
        for u in &self.reg.units {
            let mut path = vec![u.id];
            let mut cur = u.id;
            while let Some(&p) = parent.get(&cur) {
                if p == u.id {
                    if !path.iter().any(|x| reported.contains(x)) {
                        reported.extend(path.iter().copied());
                        let names: Vec<&str> = path
                            .iter()
                            .chain([&u.id])
                            .filter_map(|id| self.unit(*id).map(|x| x.name.as_str()))
                            .collect();
                        let msg = format!("vòng lặp đơn vị cha: {}", names.join(" → "));
                        let line = lines.get(&u.id).copied().unwrap_or(0);
                        self.errors.push(RegisterError {
                            file: RegisterFile::Units,
                            line,
                            message: msg,
                        });
                    }
                    break;
                }
                if path.contains(&p) {
                    break; // a cycle above this unit, reported from one of its members
                }
                path.push(p);
                cur = p;
            }
        }
    }

    /// Finds or creates the unit a predecessor name stands for in an event of `successor` on
    /// `date`.
    fn predecessor(&mut self, name: &str, successor: Id, date: NaiveDate) -> Result<Id, String> {
        if let Some(&id) = self.listed.get(name) {
            let u = self.unit(id).ok_or_else(|| "lỗi nội bộ".to_string())?;
            let refounded = id == successor && u.valid_from == Some(date);
            if !refounded {
                let before = date.pred_opt().unwrap_or(date);
                if !u.is_valid_on(before) {
                    return Err(format!(
                        "đơn vị trước sắp xếp \"{name}\" không tồn tại vào ngày {}",
                        before.format("%d/%m/%Y")
                    ));
                }
                return Ok(id);
            }
            // "Sở Nội vụ ← Sở Nội vụ + …": the listed unit is the new one founded that day;
            // the predecessor is its homonym that ended the day before.
        }
        if let Some(&id) = self.historical.get(name) {
            return Ok(id);
        }
        let parent = self.unit(successor).and_then(|s| s.parent_id);
        let (base, district) = split_old_district(name);
        let (kind, level, parent) = match historical_kind(base) {
            k if k.is_commune_level() => {
                let d = district.map(|d| self.district(d, parent, date));
                (k, Level::Commune, d.or(parent))
            }
            k => (k, Level::Province, parent),
        };
        let id = self.reg.units.len() as Id + 1;
        self.reg.units.push(Unit {
            id,
            code: None,
            name: name.to_string(),
            kind,
            level,
            parent_id: parent,
            valid_from: None,
            valid_to: Some(date),
        });
        self.historical.insert(name.to_string(), id);
        Ok(id)
    }

    /// The old district named in a commune's parentheses, created on first use.
    fn district(&mut self, written: &str, province: Option<Id>, until: NaiveDate) -> Id {
        let name = capitalize_first(written);
        if let Some(&id) = self.historical.get(&name) {
            return id;
        }
        let id = self.reg.units.len() as Id + 1;
        self.reg.units.push(Unit {
            id,
            code: None,
            name: name.clone(),
            kind: UnitKind::District,
            level: Level::District,
            parent_id: province,
            valid_from: None,
            valid_to: Some(until),
        });
        self.historical.insert(name, id);
        id
    }

    fn mergers(&mut self, rows: &[MergerRow]) {
        use RegisterFile::Mergers as F;
        // (successor, date) → event index, in order of first appearance.
        let mut index: BTreeMap<(Id, NaiveDate), usize> = BTreeMap::new();
        let mut undated = Vec::new();
        for row in rows {
            let (succ_name, pred_name) = (row.successor.trim(), row.predecessor.trim());
            if succ_name.is_empty() || pred_name.is_empty() {
                self.err(F, row.line, "thiếu đơn vị sau hoặc trước sắp xếp".into());
                continue;
            }
            let Some(&succ) = self.listed.get(succ_name) else {
                let msg = format!("đơn vị sau sắp xếp \"{succ_name}\" không có trong units.csv");
                self.err(F, row.line, msg);
                continue;
            };
            let date = match parse_register_date(&row.effective_from) {
                Ok(Some(d)) => d,
                Ok(None) => {
                    undated.push(row);
                    continue;
                }
                Err(m) => {
                    self.err(F, row.line, m);
                    continue;
                }
            };
            let pred = match self.predecessor(pred_name, succ, date) {
                Ok(p) => p,
                Err(m) => {
                    self.err(F, row.line, m);
                    continue;
                }
            };
            let i = *index.entry((succ, date)).or_insert_with(|| {
                self.reg.events.push(RestructuringEvent {
                    allocation: Vec::new(),
                    id: self.reg.events.len() as Id + 1,
                    kind: EventKind::Merge,
                    predecessors: Vec::new(),
                    successors: vec![succ],
                    decision: None,
                    effective: date,
                });
                self.event_lines.push(row.line);
                self.reg.events.len() - 1
            });
            if !self.reg.events[i].predecessors.contains(&pred) {
                self.reg.events[i].predecessors.push(pred);
            }
            let decision = row.decision.trim();
            if !decision.is_empty() && self.reg.events[i].decision.is_none() {
                self.reg.events[i].decision = Some(decision.to_string());
            }
        }
        for i in 0..self.reg.events.len() {
            let (succ, date) = (
                self.reg.events[i].successors[0],
                self.reg.events[i].effective,
            );
            let founded = self.unit(succ).is_some_and(|u| u.valid_from == Some(date));
            let e = &mut self.reg.events[i];
            e.kind = match (founded, e.predecessors.len()) {
                (true, 1) => EventKind::Rename,
                (true, _) => EventKind::Consolidate,
                (false, _) => EventKind::Merge,
            };
            let ends: Vec<Id> = crate::register::ceasing(e);
            for p in ends {
                if let Some(u) = self.unit_mut(p) {
                    u.valid_to = Some(u.valid_to.map_or(date, |t| t.min(date)));
                }
            }
        }
        for row in undated {
            self.undated(row);
        }
    }

    /// An undated row moves part of a unit's functions ("Sở LĐ-TB&XH (chức năng …)"): it is
    /// a transfer on the day the unit itself ended, when that is known; else it is skipped.
    fn undated(&mut self, row: &MergerRow) {
        let pred = row.predecessor.trim();
        let base = pred.split(" (").next().unwrap_or(pred).trim();
        let succ = self.listed.get(row.successor.trim()).copied();
        let unit = self
            .historical
            .get(base)
            .or_else(|| self.listed.get(base))
            .copied();
        let end = unit.and_then(|id| self.unit(id)).and_then(|u| u.valid_to);
        match (succ, unit, end) {
            (Some(s), Some(p), Some(date)) => {
                self.reg.events.push(RestructuringEvent {
                    allocation: Vec::new(),
                    id: self.reg.events.len() as Id + 1,
                    kind: EventKind::Transfer,
                    predecessors: vec![p],
                    successors: vec![s],
                    decision: None,
                    effective: date,
                });
                self.event_lines.push(row.line);
            }
            _ => self.reg.warnings.push(RegisterError {
                file: RegisterFile::Mergers,
                line: row.line,
                message: format!(
                    "bỏ qua \"{pred}\" → \"{}\": không có ngày hiệu lực",
                    row.successor.trim()
                ),
            }),
        }
    }

    fn aliases(&mut self, rows: &[AliasRow]) {
        use RegisterFile::Aliases as F;
        let mut seen: HashMap<String, (Id, usize)> = HashMap::new();
        for row in rows {
            let (alias, canonical) = (row.alias.trim(), row.canonical_name.trim());
            if alias.is_empty() || canonical.is_empty() {
                self.err(F, row.line, "thiếu tên viết tắt hoặc tên chính thức".into());
                continue;
            }
            let Some(&id) = self
                .listed
                .get(canonical)
                .or_else(|| self.historical.get(canonical))
            else {
                let msg = format!("tên chính thức \"{canonical}\" không có trong danh sách đơn vị");
                self.err(F, row.line, msg);
                continue;
            };
            match seen.get(alias) {
                Some((other, first)) if *other != id => {
                    let msg = format!("tên viết tắt \"{alias}\" đã chỉ đơn vị khác ở dòng {first}");
                    self.err(F, row.line, msg);
                }
                Some(_) => {}
                None => {
                    seen.insert(alias.to_string(), (id, row.line));
                    self.reg.aliases.push(UnitAlias {
                        alias: alias.to_string(),
                        unit_id: id,
                    });
                }
            }
        }
    }

    fn check_events(&mut self) {
        for (e, line) in self.reg.events.iter().zip(&self.event_lines) {
            if let Err(err) = validate_event(e, &self.reg.units) {
                self.errors.push(RegisterError {
                    file: RegisterFile::Mergers,
                    line: *line,
                    message: err.to_string(),
                });
            }
        }
    }
}

/// "Xã Bắc Sơn (huyện Đô Lương)" → ("Xã Bắc Sơn", Some("huyện Đô Lương")).
fn split_old_district(name: &str) -> (&str, Option<&str>) {
    if let Some((base, rest)) = name.split_once(" (") {
        let inner = rest.trim_end_matches(')').trim();
        let lower = inner.to_lowercase();
        if ["huyện ", "thị xã ", "thành phố "]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            return (base.trim(), Some(inner));
        }
    }
    (name, None)
}

/// Kind of a historical unit from its name's head word.
fn historical_kind(name: &str) -> UnitKind {
    let lower = name.to_lowercase();
    let starts = |p: &str| lower.starts_with(p);
    if starts("xã ") || starts("thị trấn ") {
        UnitKind::Commune
    } else if starts("phường ") {
        UnitKind::Ward
    } else if starts("đặc khu ") {
        UnitKind::SpecialZone
    } else if lower.contains("tỉnh ủy") || lower.contains("tỉnh uỷ") {
        UnitKind::Party
    } else if lower.contains("(thuộc sở") || starts("chi cục ") {
        UnitKind::SubDepartment
    } else if starts("sở ") || starts("ban ") {
        UnitKind::Department
    } else {
        UnitKind::Other
    }
}

/// "huyện Đô Lương" → "Huyện Đô Lương".
fn capitalize_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
