//! Register import from `units.csv`, `mergers.csv` and `aliases.csv`: one transaction, and
//! any problem names the file and line.

use super::*;

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
        decision: String::new(),
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

/// [`import_rows`] with one summary audit row in the same transaction (as
/// [`import_register_audited`]): for a register built from the national data at setup.
pub async fn import_rows_audited(
    db: &Db,
    units: &[UnitRow],
    mergers: &[MergerRow],
    aliases: &[AliasRow],
    now: DateTime<Utc>,
    audit: &AuditEntry,
) -> Result<ImportSummary> {
    import_rows_in(db, units, mergers, aliases, now, Some(audit)).await
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
                "danh mục của {root_name} đã có trong cơ sở dữ liệu; không nhập lại (để cập nhật theo tệp mới hơn, dùng lệnh tinhgon registry update hoặc trang Cập nhật danh mục từ tệp)"
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
