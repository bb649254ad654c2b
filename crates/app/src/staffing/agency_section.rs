//! The staffing section of an agency's periodic report: for a plan with staffing targets the
//! unit gives its headcount per line at the report's cut-off, the people who left under the
//! streamlining policies in the period, and the people sent to the grassroots. Submitted with
//! the report, they are written into the unit's ledger in the report's transaction
//! ([`crate::agency_report`]).
//!
//! Field names are fixed (three rows of leavers, three of secondments) so that an error names
//! the very field the page marks.

use std::collections::HashMap;

use chrono::NaiveDate;
use tinhgon_domain::ids::UnitId;
use tinhgon_domain::staffing::StaffLine;
use tinhgon_domain::staffing_figures::{Figure, LeaveReason};
use tinhgon_domain::user::User;
use tinhgon_store::periodic::Request;
use tinhgon_store::staffing::{self as store, Scope};
use tinhgon_store::Db;

use super::form::FigureForm;
use crate::error::{AppError, Result};

/// Rows of leavers the form offers (one per reason is the usual need).
pub const LEAVER_ROWS: usize = 3;
/// Rows of secondments the form offers.
pub const SECONDMENT_ROWS: usize = 3;

/// The form's field of the headcount of `line`.
pub fn headcount_field(line: StaffLine) -> &'static str {
    match line.key() {
        "civil_servant" => "hc_civil_servant",
        "public_employee" => "hc_public_employee",
        "public_employee_self_financed" => "hc_public_employee_self_financed",
        _ => "hc_contract",
    }
}

/// Fields of a leavers row: reason, policy, people.
pub const LEAVER_FIELDS: [[&str; 3]; LEAVER_ROWS] = [
    ["lv0_reason", "lv0_policy", "lv0_people"],
    ["lv1_reason", "lv1_policy", "lv1_people"],
    ["lv2_reason", "lv2_policy", "lv2_people"],
];

/// Fields of a secondment row: people, from, to, where.
pub const SECONDMENT_FIELDS: [[&str; 4]; SECONDMENT_ROWS] = [
    ["sc0_people", "sc0_from", "sc0_to", "sc0_note"],
    ["sc1_people", "sc1_from", "sc1_to", "sc1_note"],
    ["sc2_people", "sc2_from", "sc2_to", "sc2_note"],
];

/// A line of the headcount table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionLine {
    /// The ledger line.
    pub line: StaffLine,
    /// Its field in the form.
    pub field: &'static str,
    /// The quota of the latest year up to the cut-off: (year, positions).
    pub quota: Option<(i32, u32)>,
    /// The latest headcount up to the cut-off: (day, people).
    pub latest: Option<(NaiveDate, u32)>,
}

/// The staffing section of a report request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Day of the headcounts (the request's cut-off).
    pub on: NaiveDate,
    /// First day of the period the leavers are counted in.
    pub from: NaiveDate,
    /// Lines of the headcount table, in the ledger's order.
    pub lines: Vec<SectionLine>,
}

/// The staffing section of request `req` for `user`, or None when its plan has no staffing
/// target (a Department of Home Affairs asks staffing figures only of the plans that set them).
pub async fn section(db: &Db, user: &User, req: &Request) -> Result<Option<Section>> {
    if store::plan_targets(db, req.plan_id).await?.is_empty() {
        return Ok(None);
    }
    super::readable_unit(db, user, UnitId(req.unit_id)).await?;
    let figures = store::figures(db, Scope::Unit(req.unit_id)).await?;
    let on = req.cutoff;
    let lines = StaffLine::ALL
        .iter()
        .map(|&line| {
            let mut quota: Option<(i32, u32)> = None;
            let mut latest: Option<(NaiveDate, u32)> = None;
            for f in &figures {
                match &f.figure {
                    Figure::Quota {
                        year,
                        line: l,
                        count,
                        ..
                    } if *l == line
                        && *year <= chrono::Datelike::year(&on)
                        && quota.is_none_or(|(y, _)| *year >= y) =>
                    {
                        quota = Some((*year, *count));
                    }
                    Figure::Headcount {
                        on: day,
                        line: l,
                        count,
                    } if *l == line && *day <= on && latest.is_none_or(|(d, _)| *day >= d) => {
                        latest = Some((*day, *count));
                    }
                    _ => {}
                }
            }
            SectionLine {
                line,
                field: headcount_field(line),
                quota,
                latest,
            }
        })
        .collect();
    Ok(Some(Section {
        on,
        from: req.period_start.min(on),
        lines,
    }))
}

/// The value of `name` in the form, trimmed ("" when absent).
fn value<'a>(f: &'a HashMap<String, String>, name: &str) -> &'a str {
    f.get(name).map_or("", |v| v.trim())
}

/// An error of a row's [`FigureForm`] renamed to the row's own field.
fn in_row(e: AppError, rename: &[(&str, &'static str)]) -> AppError {
    match e {
        AppError::Invalid { field, message } => AppError::Invalid {
            field: rename
                .iter()
                .find(|(f, _)| *f == field)
                .map_or(field, |(_, to)| *to),
            message,
        },
        e => e,
    }
}

/// The figures the officer typed in the section (blank rows left out), or the field to fix.
pub fn parse(section: &Section, f: &HashMap<String, String>) -> Result<Vec<Figure>> {
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let mut out = Vec::new();
    for l in &section.lines {
        let typed = value(f, l.field);
        if typed.is_empty() {
            continue;
        }
        let figure = FigureForm {
            kind: "headcount".into(),
            on: day(section.on),
            line: l.line.key().into(),
            count: typed.into(),
            ..FigureForm::default()
        }
        .parse()
        .map_err(|e| in_row(e, &[("count", l.field)]))?;
        out.push(figure);
    }
    for [reason, policy, people] in LEAVER_FIELDS {
        if [reason, policy, people]
            .iter()
            .all(|n| value(f, n).is_empty())
        {
            continue;
        }
        let figure = FigureForm {
            kind: "leavers".into(),
            from: day(section.from),
            to: day(section.on),
            reason: value(f, reason).into(),
            policy: value(f, policy).into(),
            people: value(f, people).into(),
            ..FigureForm::default()
        }
        .parse()
        .map_err(|e| {
            in_row(
                e,
                &[("reason", reason), ("policy", policy), ("people", people)],
            )
        })?;
        out.push(figure);
    }
    for [people, from, to, note] in SECONDMENT_FIELDS {
        if [people, from, to, note]
            .iter()
            .all(|n| value(f, n).is_empty())
        {
            continue;
        }
        let figure = FigureForm {
            kind: "secondment".into(),
            from: value(f, from).into(),
            to: value(f, to).into(),
            people: value(f, people).into(),
            note: value(f, note).into(),
            ..FigureForm::default()
        }
        .parse()
        .map_err(|e| in_row(e, &[("people", people), ("from", from), ("to", to)]))?;
        out.push(figure);
    }
    Ok(out)
}

/// The form's values for `figures` (those of a version already submitted), so that a
/// correction starts from them.
pub fn values(figures: &[Figure]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let (mut lv, mut sc) = (0usize, 0usize);
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for figure in figures {
        match figure {
            Figure::Headcount { line, count, .. } => {
                out.insert(headcount_field(*line).to_string(), count.to_string());
            }
            Figure::Leavers {
                reason,
                policy,
                people,
                ..
            } if lv < LEAVER_ROWS => {
                let [r, p, n] = LEAVER_FIELDS[lv];
                out.insert(r.into(), reason.as_str().into());
                out.insert(p.into(), policy.clone());
                out.insert(n.into(), people.to_string());
                lv += 1;
            }
            Figure::Secondment {
                from,
                to,
                people,
                note,
            } if sc < SECONDMENT_ROWS => {
                let [n, f, t, w] = SECONDMENT_FIELDS[sc];
                out.insert(n.into(), people.to_string());
                out.insert(f.into(), day(*from));
                out.insert(t.into(), to.map(day).unwrap_or_default());
                out.insert(w.into(), note.clone().unwrap_or_default());
                sc += 1;
            }
            _ => {}
        }
    }
    out
}

/// The reasons a leavers row offers, in the form's order: (stable name, label).
pub fn reasons() -> Vec<(&'static str, &'static str)> {
    LeaveReason::ALL
        .iter()
        .map(|r| (r.as_str(), r.label_vi()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> Section {
        let on = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        Section {
            on,
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            lines: StaffLine::ALL
                .iter()
                .map(|&line| SectionLine {
                    line,
                    field: headcount_field(line),
                    quota: None,
                    latest: None,
                })
                .collect(),
        }
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn blank_rows_give_nothing_and_filled_rows_their_figures() {
        let s = section();
        assert!(
            parse(&s, &form(&[("hc_contract", " "), ("lv1_policy", "")]))
                .unwrap()
                .is_empty()
        );
        let figures = parse(
            &s,
            &form(&[
                ("hc_civil_servant", "28"),
                ("lv0_reason", "early_retirement"),
                ("lv0_policy", "Nghị định 178/2024/NĐ-CP"),
                ("lv0_people", "2"),
                ("sc2_people", "3"),
                ("sc2_from", "01/02/2026"),
                ("sc2_note", "Xã Hưng Nguyên"),
            ]),
        )
        .unwrap();
        assert_eq!(
            figures,
            vec![
                Figure::Headcount {
                    on: s.on,
                    line: StaffLine::ALL[0],
                    count: 28
                },
                Figure::Leavers {
                    from: s.from,
                    to: s.on,
                    reason: LeaveReason::EarlyRetirement,
                    policy: "Nghị định 178/2024/NĐ-CP".into(),
                    people: 2
                },
                Figure::Secondment {
                    from: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                    to: None,
                    people: 3,
                    note: Some("Xã Hưng Nguyên".into())
                },
            ]
        );
        // What was submitted fills the form again.
        let again = values(&figures);
        assert_eq!(again["hc_civil_servant"], "28");
        assert_eq!(again["lv0_people"], "2");
        assert_eq!(again["sc0_from"], "01/02/2026");
    }

    #[test]
    fn an_error_names_the_rows_own_field() {
        let s = section();
        let field = |pairs: &[(&str, &str)]| match parse(&s, &form(pairs)) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(&[("hc_public_employee", "ba mươi")]),
            "hc_public_employee"
        );
        assert_eq!(
            field(&[("lv1_people", "2"), ("lv1_reason", "early_retirement")]),
            "lv1_policy"
        );
        assert_eq!(
            field(&[("lv2_people", "2"), ("lv2_policy", "NĐ 178")]),
            "lv2_reason"
        );
        assert_eq!(
            field(&[("sc1_people", "2"), ("sc1_from", "32/01/2026")]),
            "sc1_from"
        );
        assert_eq!(
            field(&[
                ("sc0_people", "2"),
                ("sc0_from", "01/03/2026"),
                ("sc0_to", "01/02/2026")
            ]),
            "sc0_to"
        );
    }
}
