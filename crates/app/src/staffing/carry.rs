//! The staffing consequences of a restructuring event as its preview lists them: the quotas,
//! headcounts and job positions the ceasing units' ledgers carry to the units that carry on
//! (worked out by `tinhgon_domain::job_positions::carry`, written by the store in the event's
//! transaction), in Vietnamese.

use chrono::{Datelike, NaiveDate};
use tinhgon_domain::event::EventKind;
use tinhgon_domain::job_positions::{carry, Carried, HeirCarry};
use tinhgon_domain::model::Id;
use tinhgon_store::{job_positions, Db};

use crate::error::Result;

/// The lines of the preview. `heirs` in the order the remainders go (units already in the
/// register by id, then the units the event creates); `allocation` a split's percent per heir
/// (empty: equal shares); `name` names any unit of the event.
pub async fn preview_lines(
    db: &Db,
    kind: EventKind,
    gone: &[Id],
    heirs: &[Id],
    allocation: &[(Id, u32)],
    effective: NaiveDate,
    name: &impl Fn(Id) -> String,
) -> Result<Vec<String>> {
    if kind == EventKind::Transfer {
        return Ok(Vec::new());
    }
    let units: Vec<Id> = gone.iter().chain(heirs.iter()).copied().collect();
    let held = job_positions::holdings(db, &units, effective).await?;
    if kind == EventKind::Dissolve {
        return Ok(gone
            .iter()
            .filter(|g| {
                held.get(g).is_some_and(|h| {
                    h.quotas.is_some() || !h.headcounts.is_empty() || !h.positions.is_empty()
                })
            })
            .map(|g| {
                format!(
                    "{} giải thể: biên chế, số có mặt và vị trí việc làm không chuyển sang đơn vị nào; đơn vị nhận người nhập lại số liệu của mình.",
                    name(*g)
                )
            })
            .collect());
    }
    let mut out = Vec::new();
    for h in carry(gone, heirs, allocation, &held) {
        lines_of(&h, effective, name, &mut out);
    }
    if !out.is_empty() && !allocation.is_empty() {
        out.insert(0, allocation_line(gone, allocation, name));
    }
    Ok(out)
}

/// "Biên chế, số có mặt và vị trí việc làm của Sở A chia theo tỷ lệ 60% / 40% (Sở B / Sở C)".
fn allocation_line(gone: &[Id], allocation: &[(Id, u32)], name: &impl Fn(Id) -> String) -> String {
    let from: Vec<String> = gone.iter().map(|g| name(*g)).collect();
    let percents: Vec<String> = allocation.iter().map(|(_, p)| format!("{p}%")).collect();
    let heirs: Vec<String> = allocation.iter().map(|(h, _)| name(*h)).collect();
    format!(
        "Biên chế, số có mặt và vị trí việc làm của {} chia theo tỷ lệ {} ({})",
        from.join(", "),
        percents.join(" / "),
        heirs.join(" / ")
    )
}

fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "45 (Sở A) + 38 (Sở B) → 83 chuyển sang Sở C", the heir's own figure first when it has one.
fn sum_line(c: &Carried, heir: Id, name: &impl Fn(Id) -> String) -> String {
    let parts: Vec<String> = c
        .parts
        .iter()
        .map(|p| match (p.own, p.of) {
            (true, _) => format!("{} ({}, hiện có)", p.count, name(p.from)),
            (false, Some(of)) => format!("{} trong {of} ({})", p.count, name(p.from)),
            (false, None) => format!("{} ({})", p.count, name(p.from)),
        })
        .collect();
    let verb = if c.parts.iter().any(|p| p.own) {
        "tại"
    } else {
        "chuyển sang"
    };
    format!("{} → {} {verb} {}", parts.join(" + "), c.total, name(heir))
}

fn lines_of(
    h: &HeirCarry,
    effective: NaiveDate,
    name: &impl Fn(Id) -> String,
    out: &mut Vec<String>,
) {
    for q in &h.quotas {
        out.push(format!(
            "{} năm {}: {}",
            q.line.label_vi(),
            effective.year(),
            sum_line(q, h.heir, name)
        ));
    }
    for c in &h.headcounts {
        out.push(format!(
            "Số có mặt ({}) ngày {}: {}",
            c.line.label_vi(),
            date_vi(effective),
            sum_line(c, h.heir, name)
        ));
    }
    let (received, people) = h.positions_received;
    if received > 0 {
        let merged = if h.positions_merged > 0 {
            " (gộp các vị trí trùng tên, nhóm và ngạch)"
        } else {
            ""
        };
        out.push(format!(
            "Vị trí việc làm: {received} vị trí, {people} người chuyển sang {}{merged}",
            name(h.heir)
        ));
    }
}
