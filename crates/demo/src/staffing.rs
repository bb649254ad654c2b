//! Sample staffing figures for the demo (not real figures; see `data/nghe-an-2025/SOURCES.md`):
//! quotas 2021–2026 of Nghệ An's departments consistent with the 1/3/2025 mergers (the
//! former departments to 2024, the merged ones from 2025), the communes' consistent with the
//! consolidations of 1/7/2025, headcounts, leadership posts,
//! secondments and leavers, and the 615/KH-UBND target of a 20% reduction of the people paid
//! from the budget (judged on headcounts, year-end 2021 against the latest) linked to the plan.

use chrono::{NaiveDate, Utc};
use tinhgon_domain::draft::Direction;
use tinhgon_domain::event::RestructuringEvent;
use tinhgon_domain::model::Id;
use tinhgon_domain::staffing::{Measure, StaffCategory, StaffLine};
use tinhgon_domain::staffing_figures::{Figure, LeaveReason};
use tinhgon_domain::unit::{Unit, UnitKind};
use tinhgon_store::audit::AuditEntry;
use tinhgon_store::staffing::{self as store, NewTarget, UnitFigure};
use tinhgon_store::{register, Db};

use crate::DemoError;

const SAMPLE: &str = include_str!("../../../data/nghe-an-2025/staffing_sample.csv");

/// Marks every sample quota, so that nobody takes it for a real decision.
const DECISION: &str = "Số liệu mẫu (không phải quyết định thật)";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Writes the sample figures and the 20% target for `province`, unless the province already
/// has figures: linked to 615/KH-UBND (`plan`) it is measured on headcounts, as PL.2 says,
/// else on quotas.
pub async fn seed_staffing(db: &Db, province: Id, plan: Option<Id>) -> Result<(), DemoError> {
    if !store::quotas(db, store::Scope::Province(province))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let register = register::load_register(db, province).await?;
    let units = &register.units;
    let find = |name: &str, former: bool| {
        units
            .iter()
            .find(|u| u.name == name && u.valid_to.is_some() == former)
            .map(|u| u.id)
            .ok_or_else(|| DemoError::Register(format!("mẫu biên chế: không có đơn vị {name}")))
    };
    let mut figures = Vec::new();
    let mut current: Vec<(Id, u32, u32)> = Vec::new();
    let mut reader = csv::Reader::from_reader(SAMPLE.as_bytes());
    for rec in reader.records() {
        let rec = rec.map_err(|e| DemoError::Register(e.to_string()))?;
        let field = |i: usize| rec.get(i).unwrap_or_default().trim().to_string();
        let num = |i: usize| {
            field(i).parse::<u32>().map_err(|_| {
                DemoError::Register(format!("mẫu biên chế: số không hợp lệ {}", field(i)))
            })
        };
        let unit_id = find(&field(0), field(1) == "1")?;
        let year: i32 = field(2).parse().map_err(|_| {
            DemoError::Register(format!("mẫu biên chế: năm không hợp lệ {}", field(2)))
        })?;
        let (cs, pe) = (num(3)?, num(4)?);
        for (line, count) in [(StaffLine::ALL[0], cs), (StaffLine::ALL[1], pe)] {
            if count > 0 {
                figures.push(UnitFigure {
                    unit_id,
                    figure: Figure::Quota {
                        year,
                        line,
                        count,
                        decision: DECISION.into(),
                    },
                });
            }
        }
        if year == 2026 {
            current.push((unit_id, cs, pe));
        }
        // The people at the end of 2021, the baseline of the 615/KH-UBND target: one in twenty
        // posts vacant.
        if year == 2021 {
            for (line, count) in [(StaffLine::ALL[0], cs), (StaffLine::ALL[1], pe)] {
                if count > 0 {
                    figures.push(UnitFigure {
                        unit_id,
                        figure: Figure::Headcount {
                            on: day(2021, 12, 31),
                            line,
                            count: count - count / 20,
                        },
                    });
                }
            }
        }
    }
    // Headcounts a little under the 2026 quotas; deputies of the merged departments above
    // the cap of three; a few people at the grassroots and a few early retirements.
    for (i, (unit_id, cs, pe)) in current.iter().enumerate() {
        let on = day(2026, 1, 1);
        let vacant = |n: u32| n - n / 25;
        figures.push(UnitFigure {
            unit_id: *unit_id,
            figure: Figure::Headcount {
                on,
                line: StaffLine::ALL[0],
                count: vacant(*cs),
            },
        });
        if *pe > 0 {
            figures.push(UnitFigure {
                unit_id: *unit_id,
                figure: Figure::Headcount {
                    on,
                    line: StaffLine::ALL[1],
                    count: vacant(*pe),
                },
            });
        }
        let merged = units
            .iter()
            .any(|u| u.id == *unit_id && u.valid_from == Some(day(2025, 3, 1)));
        let deputies = if merged {
            4 + (i as u32 % 2)
        } else {
            2 + (i as u32 % 2)
        };
        figures.push(UnitFigure {
            unit_id: *unit_id,
            figure: Figure::Leadership {
                on,
                heads: 1,
                deputies,
                deputy_cap: Some(3),
            },
        });
        if i % 3 == 0 {
            figures.push(UnitFigure {
                unit_id: *unit_id,
                figure: Figure::Secondment {
                    from: day(2025, 10, 1),
                    to: Some(day(2027, 9, 30)),
                    people: 1 + cs / 40,
                    note: Some("Tăng cường cho các xã (số liệu mẫu)".into()),
                },
            });
        }
        if i % 2 == 0 {
            figures.push(UnitFigure {
                unit_id: *unit_id,
                figure: Figure::Leavers {
                    from: day(2026, 1, 1),
                    to: day(2026, 6, 30),
                    reason: LeaveReason::EarlyRetirement,
                    policy: "Nghị định 178/2024/NĐ-CP".into(),
                    people: 1 + cs / 30,
                },
            });
        }
    }
    commune_figures(&register.units, &register.events, &mut figures);
    let now = Utc::now();
    let audit = AuditEntry::system(
        "staffing.import",
        "unit",
        Some(province),
        serde_json::json!({ "file": "staffing_sample.csv", "figures": figures.len(), "sample": true }),
    );
    store::record_audited(db, &figures, None, now, &[audit]).await?;
    let target = NewTarget {
        province_id: province,
        plan_id: plan,
        title: "Giảm tối thiểu 20% công chức, viên chức hưởng lương từ ngân sách nhà nước".into(),
        percent: 20.0,
        direction: Direction::Decrease,
        categories: vec![StaffCategory::CivilServant, StaffCategory::PublicEmployee],
        state_budget_paid_only: true,
        baseline_year: 2021,
        deadline: None,
        scope: Vec::new(),
        // 615/KH-UBND PL.2, "… trên cơ sở các cơ quan, đơn vị báo cáo": the people the units
        // report. Without the plan it is a target on the quotas assigned.
        measure: if plan.is_some() {
            Measure::Headcount
        } else {
            Measure::Quota
        },
    };
    let audit = AuditEntry::system(
        "staffing.target",
        "unit",
        Some(province),
        serde_json::json!({ "title": target.title, "sample": true }),
    );
    store::add_target_audited(db, &target, None, now, &audit).await?;
    Ok(())
}

/// Sample figures of the communes, consistent with the consolidations of 1/7/2025: each former
/// commune has quotas 2021–2024 (18 to 22 civil servants, one fewer every other year) and a
/// headcount at the end of 2021 one under its quota, each
/// commune formed on that day quotas for 2025 (85% of its predecessors' 2021 sum) and 2026
/// (80%), and a headcount on 1/1/2026 two under its 2026 quota.
fn commune_figures(units: &[Unit], events: &[RestructuringEvent], figures: &mut Vec<UnitFigure>) {
    let july = day(2025, 7, 1);
    let local = |id: Id| {
        units.iter().any(|u| {
            u.id == id
                && matches!(
                    u.kind,
                    UnitKind::Commune | UnitKind::Ward | UnitKind::SpecialZone
                )
        })
    };
    let line = StaffLine::ALL[0];
    let quota = |unit_id: Id, year: i32, count: u32| UnitFigure {
        unit_id,
        figure: Figure::Quota {
            year,
            line,
            count,
            decision: DECISION.into(),
        },
    };
    let former_2021 = |id: Id| 18 + (id % 5) as u32;
    let mut seen = std::collections::BTreeSet::new();
    for event in events.iter().filter(|e| e.effective == july) {
        let Some(&successor) = event.successors.first() else {
            continue;
        };
        if !local(successor) || !seen.insert(successor) {
            continue;
        }
        let mut sum = 0;
        for &p in &event.predecessors {
            let base = former_2021(p);
            sum += base;
            for year in 2021..=2024 {
                figures.push(quota(p, year, base - (year - 2021) as u32 / 2));
            }
            figures.push(UnitFigure {
                unit_id: p,
                figure: Figure::Headcount {
                    on: day(2021, 12, 31),
                    line,
                    count: base - 1,
                },
            });
        }
        if sum == 0 {
            continue;
        }
        let (q2025, q2026) = ((sum * 85).div_ceil(100), (sum * 80) / 100);
        figures.push(quota(successor, 2025, q2025));
        figures.push(quota(successor, 2026, q2026));
        figures.push(UnitFigure {
            unit_id: successor,
            figure: Figure::Headcount {
                on: day(2026, 1, 1),
                line,
                count: q2026.saturating_sub(2),
            },
        });
    }
}
