//! The register of units with history: CSV import, as-of queries, lineage, and applying a
//! restructuring event (open assignments move to the successor; history stays put).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use tinhgon_domain::event::{EventKind, RestructuringEvent};
use tinhgon_domain::import::{
    build_register, AliasRow, MergerRow, RegisterError, RegisterFile, UnitRow,
};
use tinhgon_domain::model::Id;
use tinhgon_domain::register::{ceasing, validate_event, SuccessorChoices};
use tinhgon_domain::unit::{Unit, UnitAlias, UnitKind};
use tinhgon_domain::{Assignment, Resolver, Status};

use crate::audit::AuditEntry;
use crate::error::{Result, StoreError};
use crate::tx::query;
use crate::util::parse_enum;
use crate::Db;
use tinhgon_textkit::search_key;

/// What a register import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// The province (root unit).
    pub province_id: Id,
    /// Units written (listed and historical).
    pub units: usize,
    /// Events written.
    pub events: usize,
    /// Aliases written.
    pub aliases: usize,
    /// Rows skipped with a reason (not errors).
    pub warnings: Vec<String>,
}

/// The whole register of one province, as the domain rules want it.
#[derive(Debug, Clone, Default)]
pub struct RegisterSnapshot {
    /// Every unit, past and present.
    pub units: Vec<Unit>,
    /// Every restructuring event.
    pub events: Vec<RestructuringEvent>,
    /// Every alias.
    pub aliases: Vec<UnitAlias>,
}

impl RegisterSnapshot {
    /// An agency resolver over this register (lineage included).
    pub fn resolver(&self) -> Resolver {
        Resolver::new(&self.units, &self.aliases).with_events(&self.events)
    }
}

/// A unit's history: the unit, the events that created and ended it, and its lineage.
#[derive(Debug, Clone)]
pub struct UnitHistory {
    /// The unit.
    pub unit: Unit,
    /// Events in which it is a successor (it was formed or grew).
    pub formed_by: Vec<RestructuringEvent>,
    /// Events in which it is a predecessor (it ceased or gave up functions).
    pub ended_by: Vec<RestructuringEvent>,
    /// Units that flowed into it, through chains.
    pub predecessors: Vec<Unit>,
    /// Units that carry it on today, through chains.
    pub successors: Vec<Unit>,
    /// Assignments that moved away from it (assignment id, to unit id, when).
    pub moved_out: Vec<(Id, Id, DateTime<Utc>)>,
}

#[derive(sqlx::FromRow)]
struct UnitDbRow {
    id: i64,
    code: Option<String>,
    name: String,
    kind: String,
    level: String,
    parent_id: Option<i64>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
}

impl UnitDbRow {
    fn into_unit(self) -> Result<Unit> {
        Ok(Unit {
            id: self.id,
            code: self.code,
            name: self.name,
            kind: parse_enum(&self.kind)?,
            level: parse_enum(&self.level)?,
            parent_id: self.parent_id,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
        })
    }
}

/// An event's own columns: id, kind, decision, effective.
type EventHead = (i64, String, Option<String>, NaiveDate);

/// An open assignment: id, task, unit, due, status, created.
type OpenRow = (i64, i64, i64, Option<NaiveDate>, String, DateTime<Utc>);

const UNIT_COLUMNS: &str = "id, code, name, kind, level, parent_id, valid_from, valid_to";

/// Reads `units.csv`, `mergers.csv` and `aliases.csv` from `dir` and writes the register in
/// one transaction. Any problem → one error naming the file and line, nothing written.
pub async fn import_register(db: &Db, dir: &Path) -> Result<ImportSummary> {
    import_register_in(db, dir, None).await
}

/// [`import_register`] with one summary audit row in the same transaction (`object_id` the
/// province, `after.units`/`events`/`aliases` the counts added): for the command-line import,
/// a system write (see `AuditEntry::system`).
pub async fn import_register_audited(
    db: &Db,
    dir: &Path,
    audit: &AuditEntry,
) -> Result<ImportSummary> {
    import_register_in(db, dir, Some(audit)).await
}

async fn import_register_in(
    db: &Db,
    dir: &Path,
    audit: Option<&AuditEntry>,
) -> Result<ImportSummary> {
    let units = read_csv(
        dir,
        RegisterFile::Units,
        &["code", "name", "level", "kind", "parent", "effective_from"],
    )?
    .into_iter()
    .map(|(line, f)| UnitRow {
        line,
        code: f[0].clone(),
        name: f[1].clone(),
        level: f[2].clone(),
        kind: f[3].clone(),
        parent: f[4].clone(),
        effective_from: f[5].clone(),
    })
    .collect::<Vec<_>>();
    let mergers = read_csv_optional(
        dir,
        RegisterFile::Mergers,
        &["successor", "predecessor", "effective_from", "source"],
    )?
    .into_iter()
    .map(|(line, f)| MergerRow {
        line,
        successor: f[0].clone(),
        predecessor: f[1].clone(),
        effective_from: f[2].clone(),
        source: f[3].clone(),
    })
    .collect::<Vec<_>>();
    let aliases = read_csv_optional(dir, RegisterFile::Aliases, &["alias", "canonical_name"])?
        .into_iter()
        .map(|(line, f)| AliasRow {
            line,
            alias: f[0].clone(),
            canonical_name: f[1].clone(),
        })
        .collect::<Vec<_>>();
    import_rows_in(db, &units, &mergers, &aliases, Utc::now(), audit).await
}

/// Writes a register given as parsed rows (see [`import_register`]).
pub async fn import_rows(
    db: &Db,
    units: &[UnitRow],
    mergers: &[MergerRow],
    aliases: &[AliasRow],
    now: DateTime<Utc>,
) -> Result<ImportSummary> {
    import_rows_in(db, units, mergers, aliases, now, None).await
}

async fn import_rows_in(
    db: &Db,
    units: &[UnitRow],
    mergers: &[MergerRow],
    aliases: &[AliasRow],
    now: DateTime<Utc>,
    audit: Option<&AuditEntry>,
) -> Result<ImportSummary> {
    let register = build_register(units, mergers, aliases).map_err(first_error)?;
    let roots: Vec<&Unit> = register
        .units
        .iter()
        .filter(|u| u.parent_id.is_none() && u.kind == UnitKind::Province)
        .collect();
    let root = match roots.as_slice() {
        [one] => *one,
        _ => {
            return Err(StoreError::Input {
                file: "units.csv".into(),
                line: 2,
                message: format!(
                "danh mục phải có đúng một tỉnh gốc (kind = tinh, không có parent); tìm thấy {}",
                roots.len()
            ),
            })
        }
    };
    let root_name = root.name.clone();
    let kinds: HashMap<&str, &str> = units
        .iter()
        .map(|r| (r.name.trim(), r.kind.trim()))
        .collect();
    crate::audit::audited(db, now, async |tx| {
        let existing: Option<i64> = query(
            "SELECT id FROM units WHERE kind = 'province' AND parent_id IS NULL AND folded_name = $1",
        )
        .bind(search_key(&root_name))
        .scalar_optional(&mut *tx)
        .await?;
        if existing.is_some() {
            return Err(StoreError::Rejected(format!(
                "danh mục của {root_name} đã có trong cơ sở dữ liệu; không nhập lại"
            )));
        }
        // Domain ids are positions in the files; the database assigns its own.
        let mut ids: HashMap<Id, i64> = HashMap::new();
        for u in &register.units {
            let id: i64 = query(
                "INSERT INTO units (code, name, folded_name, kind, register_kind, level, valid_from, valid_to, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&u.code)
            .bind(&u.name)
            .bind(search_key(&u.name))
            .bind(u.kind.as_str())
            .bind(kinds.get(u.name.as_str()).copied())
            .bind(u.level.as_str())
            .bind(u.valid_from)
            .bind(u.valid_to)
            .bind(now)
            .scalar(&mut *tx)
            .await?;
            ids.insert(u.id, id);
        }
        let province = ids[&root.id];
        for u in &register.units {
            let parent = u.parent_id.and_then(|p| ids.get(&p).copied());
            query("UPDATE units SET parent_id = $1, province_id = $2 WHERE id = $3")
                .bind(parent)
                .bind(province)
                .bind(ids[&u.id])
                .execute(&mut *tx)
                .await?;
        }
        for e in &register.events {
            let event_id: i64 = query(
                "INSERT INTO restructuring_events (province_id, kind, decision, effective, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(province)
            .bind(e.kind.as_str())
            .bind(&e.decision)
            .bind(e.effective)
            .bind(now)
            .scalar(&mut *tx)
            .await?;
            for p in &e.predecessors {
                query("INSERT INTO event_predecessors (event_id, unit_id) VALUES ($1, $2)")
                    .bind(event_id)
                    .bind(ids[p])
                    .execute(&mut *tx)
                    .await?;
            }
            for s in &e.successors {
                query("INSERT INTO event_successors (event_id, unit_id) VALUES ($1, $2)")
                    .bind(event_id)
                    .bind(ids[s])
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for a in &register.aliases {
            query(
                "INSERT INTO unit_aliases (unit_id, alias, folded_alias) VALUES ($1, $2, $3) \
                 ON CONFLICT (unit_id, folded_alias) DO NOTHING",
            )
            .bind(ids[&a.unit_id])
            .bind(&a.alias)
            .bind(search_key(&a.alias))
            .execute(&mut *tx)
            .await?;
        }
        let summary = ImportSummary {
            province_id: province,
            units: register.units.len(),
            events: register.events.len(),
            aliases: register.aliases.len(),
            warnings: register.warnings.iter().map(ToString::to_string).collect(),
        };
        let entry = audit.map(|e| {
            AuditEntry { object_id: Some(province), ..e.clone() }
                .with_after("units", summary.units)
                .with_after("events", summary.events)
                .with_after("aliases", summary.aliases)
        });
        Ok((summary, entry.into_iter().collect()))
    })
    .await
}

fn first_error(mut errors: Vec<RegisterError>) -> StoreError {
    // Problems in units.csv come first: the other files' problems often follow from them.
    let rank = |f: RegisterFile| match f {
        RegisterFile::Units => 0,
        RegisterFile::Mergers => 1,
        RegisterFile::Aliases => 2,
    };
    errors.sort_by_key(|e| (rank(e.file), e.line));
    let more = errors.len().saturating_sub(1);
    if errors.is_empty() {
        return StoreError::Rejected("danh mục không hợp lệ".into());
    }
    let first = errors.remove(0);
    let message = if more > 0 {
        format!(
            "{} (và {more} lỗi khác; không có gì được ghi)",
            first.message
        )
    } else {
        format!("{} (không có gì được ghi)", first.message)
    };
    StoreError::Input {
        file: first.file.file_name().to_string(),
        line: first.line,
        message,
    }
}

type CsvRows = Vec<(usize, Vec<String>)>;

fn read_csv_optional(dir: &Path, file: RegisterFile, columns: &[&str]) -> Result<CsvRows> {
    if dir.join(file.file_name()).exists() {
        read_csv(dir, file, columns)
    } else {
        Ok(Vec::new())
    }
}

/// Reads the named columns of a CSV file (any order, extra columns ignored), with the line
/// each record starts on.
fn read_csv(dir: &Path, file: RegisterFile, columns: &[&str]) -> Result<CsvRows> {
    let name = file.file_name();
    let path = dir.join(name);
    let bytes = std::fs::read(&path).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    // Files saved by spreadsheet programs often start with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let input = |line: usize, message: String| StoreError::Input {
        file: name.to_string(),
        line,
        message,
    };
    // Records are split here (a newline inside quotes does not end one) so that each keeps
    // the exact line it starts on; the csv crate then parses each record's fields.
    let mut records = split_records(bytes).into_iter();
    let parse = |line: usize, raw: &[u8]| -> Result<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(raw);
        match reader.records().next() {
            Some(Ok(r)) => Ok(r.iter().map(|f| f.trim().to_string()).collect()),
            Some(Err(e)) => Err(input(line, format!("dòng CSV không hợp lệ: {e}"))),
            None => Ok(Vec::new()),
        }
    };
    let headers = match records.next() {
        Some((line, raw)) => parse(line, raw)?,
        None => return Err(input(1, "tệp rỗng, thiếu dòng tiêu đề".into())),
    };
    let mut index = Vec::with_capacity(columns.len());
    for c in columns {
        match headers.iter().position(|h| h == c) {
            Some(i) => index.push(i),
            None => {
                return Err(input(
                    1,
                    format!("thiếu cột \"{c}\" (cần các cột: {})", columns.join(", ")),
                ))
            }
        }
    }
    let mut out = Vec::new();
    for (line, raw) in records {
        let fields = parse(line, raw)?;
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        out.push((
            line,
            index
                .iter()
                .map(|i| fields.get(*i).cloned().unwrap_or_default())
                .collect(),
        ));
    }
    Ok(out)
}

/// Splits CSV text into records with the 1-based line each starts on.
fn split_records(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let (mut start, mut start_line, mut line, mut quoted) = (0usize, 1usize, 1usize, false);
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' => {
                line += 1;
                if !quoted {
                    out.push((start_line, &bytes[start..i]));
                    start = i + 1;
                    start_line = line;
                }
            }
            _ => {}
        }
    }
    if start < bytes.len() {
        out.push((start_line, &bytes[start..]));
    }
    out
}

/// The root units (provinces) in the database: (id, name).
pub async fn provinces(db: &Db) -> Result<Vec<(Id, String)>> {
    let rows: Vec<(i64, String)> = query(
        "SELECT id, name FROM units WHERE kind = 'province' AND parent_id IS NULL ORDER BY name",
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// The province whose name or code matches (diacritics and case ignored).
pub async fn find_province(db: &Db, name_or_code: &str) -> Result<Option<Id>> {
    let id: Option<i64> = query(
            "SELECT id FROM units WHERE kind = 'province' AND parent_id IS NULL AND (folded_name = $1 OR folded_name = $2 OR code = $3) ORDER BY id LIMIT 1",
        )
        .bind(search_key(name_or_code))
        .bind(search_key(&format!("Tỉnh {name_or_code}")))
        .bind(name_or_code.trim())
        .scalar_optional(db)
        .await?;
    Ok(id)
}

/// One unit.
pub async fn unit(db: &Db, id: Id) -> Result<Unit> {
    let row: Option<UnitDbRow> = query(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.ok_or(StoreError::NotFound {
        what: "đơn vị", id
    })?
    .into_unit()
}

/// Units of a province (the province included) valid on `date`, ordered by kind then name.
pub async fn units_as_of(db: &Db, province_id: Id, date: NaiveDate) -> Result<Vec<Unit>> {
    let rows: Vec<UnitDbRow> = query(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE province_id = $1 \
             AND (valid_from IS NULL OR valid_from <= $2) AND (valid_to IS NULL OR valid_to > $2) \
             ORDER BY id"
    ))
    .bind(province_id)
    .bind(date)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(UnitDbRow::into_unit).collect()
}

/// Every unit, event and alias of a province.
pub async fn load_register(db: &Db, province_id: Id) -> Result<RegisterSnapshot> {
    type Loaded = (
        Vec<UnitDbRow>,
        Vec<EventHead>,
        Vec<(i64, i64)>,
        Vec<(i64, i64)>,
        Vec<(i64, String)>,
    );
    let (units, events, preds, succs, aliases): Loaded = {
        let units = query(&format!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE province_id = $1 ORDER BY id"
        ))
        .bind(province_id)
        .fetch_all(db)
        .await?;
        let events = query("SELECT id, kind, decision, effective FROM restructuring_events WHERE province_id = $1 ORDER BY effective, id")
            .bind(province_id)
            .fetch_all(db)
            .await?;
        let preds = query("SELECT p.event_id, p.unit_id FROM event_predecessors p JOIN restructuring_events e ON e.id = p.event_id WHERE e.province_id = $1 ORDER BY p.event_id, p.unit_id")
            .bind(province_id)
            .fetch_all(db)
            .await?;
        let succs = query("SELECT s.event_id, s.unit_id FROM event_successors s JOIN restructuring_events e ON e.id = s.event_id WHERE e.province_id = $1 ORDER BY s.event_id, s.unit_id")
            .bind(province_id)
            .fetch_all(db)
            .await?;
        let aliases = query("SELECT a.unit_id, a.alias FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE u.province_id = $1 ORDER BY a.id")
            .bind(province_id)
            .fetch_all(db)
            .await?;
        (units, events, preds, succs, aliases)
    };
    let units = units
        .into_iter()
        .map(UnitDbRow::into_unit)
        .collect::<Result<Vec<_>>>()?;
    let events = assemble_events(events, preds, succs)?;
    let aliases = aliases
        .into_iter()
        .map(|(unit_id, alias)| UnitAlias { alias, unit_id })
        .collect();
    Ok(RegisterSnapshot {
        units,
        events,
        aliases,
    })
}

fn assemble_events(
    events: Vec<EventHead>,
    preds: Vec<(i64, i64)>,
    succs: Vec<(i64, i64)>,
) -> Result<Vec<RestructuringEvent>> {
    let mut by_id: BTreeMap<i64, RestructuringEvent> = BTreeMap::new();
    let mut order = Vec::new();
    for (id, kind, decision, effective) in events {
        let kind: EventKind = parse_enum(&kind)?;
        order.push(id);
        by_id.insert(
            id,
            RestructuringEvent {
                id,
                kind,
                predecessors: vec![],
                successors: vec![],
                decision,
                effective,
            },
        );
    }
    for (e, u) in preds {
        if let Some(ev) = by_id.get_mut(&e) {
            ev.predecessors.push(u);
        }
    }
    for (e, u) in succs {
        if let Some(ev) = by_id.get_mut(&e) {
            ev.successors.push(u);
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .collect())
}

async fn province_of(db: &Db, unit_id: Id) -> Result<Id> {
    let p: Option<Option<i64>> = query("SELECT province_id FROM units WHERE id = $1")
        .bind(unit_id)
        .scalar_optional(db)
        .await?;
    match p {
        Some(Some(p)) => Ok(p),
        Some(None) => Ok(unit_id),
        None => Err(StoreError::NotFound {
            what: "đơn vị",
            id: unit_id,
        }),
    }
}

/// The units that carry `unit_id` on at `date`, following chains of events
/// (the unit itself when it still exists then).
pub async fn successors(db: &Db, unit_id: Id, date: NaiveDate) -> Result<Vec<Unit>> {
    let reg = load_register(db, province_of(db, unit_id).await?).await?;
    let ids = tinhgon_domain::successors(unit_id, date, &reg.events);
    Ok(pick(&reg.units, &ids))
}

fn pick(units: &[Unit], ids: &[Id]) -> Vec<Unit> {
    ids.iter()
        .filter_map(|id| units.iter().find(|u| u.id == *id).cloned())
        .collect()
}

/// A unit with the events that formed and ended it, its lineage, and the assignments that
/// moved away from it.
pub async fn unit_history(db: &Db, unit_id: Id) -> Result<UnitHistory> {
    let unit = unit(db, unit_id).await?;
    let reg = load_register(db, province_of(db, unit_id).await?).await?;
    let formed_by = reg
        .events
        .iter()
        .filter(|e| e.successors.contains(&unit_id))
        .cloned()
        .collect();
    let ended_by = reg
        .events
        .iter()
        .filter(|e| e.predecessors.contains(&unit_id))
        .cloned()
        .collect();
    let far = NaiveDate::MAX;
    let preds = tinhgon_domain::predecessors(unit_id, far, &reg.events);
    let succs = tinhgon_domain::successors(unit_id, far, &reg.events);
    let succs: Vec<Id> = succs.into_iter().filter(|s| *s != unit_id).collect();
    let moved_out: Vec<(i64, i64, DateTime<Utc>)> = query("SELECT assignment_id, to_unit_id, at FROM assignment_reroutes WHERE from_unit_id = $1 ORDER BY at, id")
            .bind(unit_id)
            .fetch_all(db)
            .await?;
    Ok(UnitHistory {
        unit,
        formed_by,
        ended_by,
        predecessors: pick(&reg.units, &preds),
        successors: pick(&reg.units, &succs),
        moved_out,
    })
}

/// A new restructuring event to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Kind.
    pub kind: EventKind,
    /// Units that cease or change.
    pub predecessors: Vec<Id>,
    /// Units that carry on.
    pub successors: Vec<Id>,
    /// Deciding document.
    pub decision: Option<String>,
    /// Effective date.
    pub effective: NaiveDate,
}

/// Records an event in one transaction: checks it against the register (domain rules) and
/// ends the units that cease on its date. Open assignments move only with [`apply_event`].
pub async fn record_event(db: &Db, event: &NewEvent, now: DateTime<Utc>) -> Result<Id> {
    let first = event.predecessors.first().copied().ok_or_else(|| {
        StoreError::Rejected("sự kiện sắp xếp phải có ít nhất một đơn vị trước sắp xếp".into())
    })?;
    let province = province_of(db, first).await?;
    let reg = load_register(db, province).await?;
    let draft = RestructuringEvent {
        id: 0,
        kind: event.kind,
        predecessors: event.predecessors.clone(),
        successors: event.successors.clone(),
        decision: event.decision.clone(),
        effective: event.effective,
    };
    validate_event(&draft, &reg.units).map_err(|e| StoreError::Rejected(e.to_string()))?;
    let gone = ceasing(&draft);
    let id = db.write(async |tx| {
        let id: i64 = query(
            "INSERT INTO restructuring_events (province_id, kind, decision, effective, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(province)
        .bind(event.kind.as_str())
        .bind(&event.decision)
        .bind(event.effective)
        .bind(now)
        .scalar(&mut *tx)
        .await?;
        for p in &event.predecessors {
            query("INSERT INTO event_predecessors (event_id, unit_id) VALUES ($1, $2)")
                .bind(id).bind(p).execute(&mut *tx).await?;
        }
        for s in &event.successors {
            query("INSERT INTO event_successors (event_id, unit_id) VALUES ($1, $2)")
                .bind(id).bind(s).execute(&mut *tx).await?;
        }
        for g in &gone {
            query("UPDATE units SET valid_to = $1 WHERE id = $2 AND (valid_to IS NULL OR valid_to > $1)")
                .bind(event.effective).bind(g).execute(&mut *tx).await?;
        }
        Ok(id)
    }).await?;
    Ok(id)
}

/// Applies an event in one transaction: every open assignment of a unit that ceases moves
/// to its successor (the monitor's `choices` where there are several), with a reroute row
/// and a history entry attributed to the old unit. Returns the reroutes made.
pub async fn apply_event(
    db: &Db,
    event_id: Id,
    choices: &SuccessorChoices,
    actor: Option<Id>,
    now: DateTime<Utc>,
) -> Result<Vec<tinhgon_domain::event::Reroute>> {
    let reroutes = db.write(async |tx| {
        let head: Option<EventHead> = query(
            "SELECT id, kind, decision, effective FROM restructuring_events WHERE id = $1",
        )
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?;
        let head = head.ok_or(StoreError::NotFound { what: "sự kiện sắp xếp", id: event_id })?;
        let preds: Vec<(i64, i64)> = query("SELECT event_id, unit_id FROM event_predecessors WHERE event_id = $1 ORDER BY unit_id")
            .bind(event_id).fetch_all(&mut *tx).await?;
        let succs: Vec<(i64, i64)> = query("SELECT event_id, unit_id FROM event_successors WHERE event_id = $1 ORDER BY unit_id")
            .bind(event_id).fetch_all(&mut *tx).await?;
        let event = assemble_events(vec![head], preds, succs)?.remove(0);
        let gone = ceasing(&event);
        let mut open: Vec<Assignment> = Vec::new();
        for unit in &gone {
            let rows: Vec<OpenRow> = query(
                "SELECT id, task_id, unit_id, due, status, created_at FROM assignments \
                 WHERE unit_id = $1 AND status NOT IN ('done', 'cancelled') ORDER BY id",
            )
            .bind(unit)
            .fetch_all(&mut *tx)
            .await?;
            for (id, task_id, unit_id, due, status, created_at) in rows {
                open.push(Assignment {
                    id,
                    task_id,
                    unit_id,
                    via_group: None,
                    due,
                    status: Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("trạng thái {status}")))?,
                    created_at,
                });
            }
        }
        let reroutes = tinhgon_domain::apply_event(&event, &open, choices)
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let on_date = tinhgon_domain::local_date(now);
        for r in &reroutes {
            let status = open.iter().find(|a| a.id == r.assignment_id).map_or("not_started", |a| a.status.as_str());
            let moved = query("UPDATE assignments SET unit_id = $1, updated_at = $2 WHERE id = $3 AND unit_id = $4")
                .bind(r.to_unit).bind(now).bind(r.assignment_id).bind(r.from_unit)
                .execute(&mut *tx).await?;
            if moved != 1 {
                return Err(StoreError::Conflict(format!("phân công {}", r.assignment_id)));
            }
            query("INSERT INTO assignment_reroutes (assignment_id, from_unit_id, to_unit_id, event_id, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(r.assignment_id).bind(r.from_unit).bind(r.to_unit).bind(event_id).bind(actor).bind(now)
                .execute(&mut *tx).await?;
            // The history entry keeps the old unit as its author; the status is unchanged.
            query("INSERT INTO status_changes (assignment_id, unit_id, from_status, to_status, actor_id, at, on_date, note) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)")
                .bind(r.assignment_id).bind(r.from_unit).bind(status).bind(actor).bind(now).bind(on_date)
                .bind(format!("chuyển sang đơn vị kế thừa (mã {}) theo sự kiện sắp xếp {}", r.to_unit, event_id))
                .execute(&mut *tx).await?;
        }
        query("UPDATE restructuring_events SET applied_at = $1, applied_by = $2 WHERE id = $3")
            .bind(now).bind(actor).bind(event_id).execute(&mut *tx).await?;
        let moved: Vec<Id> = reroutes.iter().map(|r| r.assignment_id).collect();
        crate::intervals::refresh_class_intervals(&mut *tx, &moved).await?;
        Ok(reroutes)
    }).await?;
    Ok(reroutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_count_the_header_as_line_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("aliases.csv"),
            "alias,canonical_name\na,b\n\"c\nd\",e\nf,g\n",
        )
        .expect("write");
        let rows = read_csv(
            dir.path(),
            RegisterFile::Aliases,
            &["alias", "canonical_name"],
        )
        .expect("read");
        let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![2, 3, 5]);
    }
}
