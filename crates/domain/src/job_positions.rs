//! Job positions (vị trí việc làm) of a unit, the comparison of the people they need with the
//! quota and the headcount, and what a merger or split carries from the ceasing units' ledgers
//! to the units that carry on.
//!
//! The groups are those of Nghị định 62/2020/NĐ-CP (civil servants) and 106/2020/NĐ-CP (public
//! employees), folded into three: leadership and management, professional, support.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::Id;
use crate::staffing::StaffLine;

/// The group of a job position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionGroup {
    /// Lãnh đạo, quản lý.
    Leadership,
    /// Chuyên môn, nghiệp vụ.
    Professional,
    /// Hỗ trợ, phục vụ.
    Support,
}

impl PositionGroup {
    /// Every group, in the order of the forms.
    pub const ALL: [PositionGroup; 3] = [
        PositionGroup::Leadership,
        PositionGroup::Professional,
        PositionGroup::Support,
    ];

    /// Stable name (forms, API, storage).
    pub fn as_str(self) -> &'static str {
        match self {
            PositionGroup::Leadership => "leadership",
            PositionGroup::Professional => "professional",
            PositionGroup::Support => "support",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            PositionGroup::Leadership => "Lãnh đạo, quản lý",
            PositionGroup::Professional => "Chuyên môn, nghiệp vụ",
            PositionGroup::Support => "Hỗ trợ, phục vụ",
        }
    }

    /// The group named by its stable name or its label (case and diacritics ignored).
    pub fn parse(text: &str) -> Option<PositionGroup> {
        let folded = tinhgon_textkit::fold(text.trim());
        PositionGroup::ALL
            .into_iter()
            .find(|g| g.as_str() == text.trim() || tinhgon_textkit::fold(g.label_vi()) == folded)
    }
}

/// A job position of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPosition {
    /// Title ("Chuyên viên về tổ chức cán bộ").
    pub title: String,
    /// Group.
    pub group: PositionGroup,
    /// Rank or professional title (ngạch, chức danh nghề nghiệp), free text.
    pub rank: Option<String>,
    /// People the position needs.
    pub people: u32,
    /// Deciding document, when there is one.
    pub decision: Option<String>,
}

impl JobPosition {
    /// What makes two positions the same one when units merge: title, group and rank, case,
    /// diacritics and spacing ignored.
    pub fn key(&self) -> (String, PositionGroup, String) {
        (
            tinhgon_textkit::fold(&self.title),
            self.group,
            tinhgon_textkit::fold(self.rank.as_deref().unwrap_or("")),
        )
    }
}

/// A unit's positions set beside its quota and headcount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Number of positions.
    pub positions: u32,
    /// People the positions need, summed.
    pub people: u32,
    /// The quota of the latest year, all lines: (year, positions).
    pub quota: Option<(i32, u32)>,
    /// The latest headcount of each line, summed.
    pub headcount: Option<u32>,
}

impl Comparison {
    /// Where the three figures disagree, in Vietnamese (empty when they agree or are missing).
    pub fn disagreements(&self) -> Vec<String> {
        let mut out = Vec::new();
        let has_positions = self.positions > 0;
        if let Some((year, quota)) = self.quota {
            if has_positions && self.people > quota {
                out.push(format!(
                    "Số người theo vị trí việc làm ({}) vượt biên chế được giao năm {year} ({quota})",
                    self.people
                ));
            }
            if let Some(h) = self.headcount.filter(|h| *h > quota) {
                out.push(format!(
                    "Số người có mặt ({h}) vượt biên chế được giao năm {year} ({quota})"
                ));
            }
        }
        if let Some(h) = self.headcount.filter(|h| has_positions && self.people < *h) {
            out.push(format!(
                "Số người theo vị trí việc làm ({}) ít hơn số người có mặt ({h})",
                self.people
            ));
        }
        out
    }
}

/// What a unit's ledger holds when an event takes effect: its latest quota year up to the
/// event's year with that year's lines, its latest headcount of each line up to the day, and
/// its positions (with their ids when stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holdings {
    /// Latest quota year and its lines.
    pub quotas: Option<(i32, BTreeMap<StaffLine, u32>)>,
    /// Latest headcount of each line.
    pub headcounts: BTreeMap<StaffLine, u32>,
    /// Positions.
    pub positions: Vec<(Option<Id>, JobPosition)>,
}

/// A figure's part coming from one unit: a share of `of` (when a split shares it), or the
/// whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The unit it comes from.
    pub from: Id,
    /// Its part.
    pub count: u32,
    /// The whole it was shared from, when it was shared among several heirs.
    pub of: Option<u32>,
    /// True for the heir's own figure (a merger into an existing unit).
    pub own: bool,
}

/// A figure of an heir after the event: the parts it adds up and their sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Carried {
    /// Ledger line.
    pub line: StaffLine,
    /// Parts, the heir's own first.
    pub parts: Vec<Part>,
    /// Their sum.
    pub total: u32,
}

/// What one unit that carries on receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeirCarry {
    /// The unit.
    pub heir: Id,
    /// Quotas of the event's year, one per line (every line of the heir's latest year too, so
    /// that the year is whole).
    pub quotas: Vec<Carried>,
    /// Headcounts on the event's day, one per line received.
    pub headcounts: Vec<Carried>,
    /// Positions to write: an existing one of the heir's (its id) with its new number, or a
    /// new one (None).
    pub positions: Vec<(Option<Id>, JobPosition)>,
    /// Positions and people received from the ceasing units.
    pub positions_received: (u32, u32),
    /// Received positions that joined one of the same title, group and rank.
    pub positions_merged: u32,
}

impl HeirCarry {
    /// True when nothing is received.
    pub fn is_empty(&self) -> bool {
        self.quotas.is_empty() && self.headcounts.is_empty() && self.positions.is_empty()
    }
}

/// What `heirs` (in order: without an allocation the first takes the remainders) receive from
/// the `ceasing` units, shared by `allocation` (each heir's percent; empty: equal shares) with
/// the lineage rule of the targets (`staff_share::share_out`), so that what moves is what is
/// counted. A unit absent from `holdings` holds nothing. Shared-out positions whose share is
/// zero are not created.
pub fn carry(
    ceasing: &[Id],
    heirs: &[Id],
    allocation: &[(Id, u32)],
    holdings: &HashMap<Id, Holdings>,
) -> Vec<HeirCarry> {
    let empty = Holdings::default();
    let held = |u: &Id| holdings.get(u).unwrap_or(&empty);
    let share = |total: u32, i: usize| -> u32 {
        crate::staff_share::share_out(total, heirs, allocation)
            .get(i)
            .copied()
            .unwrap_or(0)
    };
    let shared = heirs.len() > 1;
    let mut out = Vec::new();
    for (i, heir) in heirs.iter().enumerate() {
        let own = held(heir);
        // Quotas.
        let mut quota_parts: BTreeMap<StaffLine, Vec<Part>> = BTreeMap::new();
        for c in ceasing {
            if let Some((_, lines)) = &held(c).quotas {
                for (line, count) in lines {
                    let got = share(*count, i);
                    quota_parts.entry(*line).or_default().push(Part {
                        from: *c,
                        count: got,
                        of: shared.then_some(*count),
                        own: false,
                    });
                }
            }
        }
        let quotas = if quota_parts.is_empty() {
            Vec::new()
        } else {
            if let Some((_, lines)) = &own.quotas {
                for line in lines.keys() {
                    quota_parts.entry(*line).or_default();
                }
            }
            quota_parts
                .into_iter()
                .map(|(line, parts)| {
                    with_own(
                        line,
                        own.quotas.as_ref().and_then(|(_, l)| l.get(&line)),
                        *heir,
                        parts,
                    )
                })
                .collect()
        };
        // Headcounts.
        let mut head_parts: BTreeMap<StaffLine, Vec<Part>> = BTreeMap::new();
        for c in ceasing {
            for (line, count) in &held(c).headcounts {
                head_parts.entry(*line).or_default().push(Part {
                    from: *c,
                    count: share(*count, i),
                    of: shared.then_some(*count),
                    own: false,
                });
            }
        }
        let headcounts = head_parts
            .into_iter()
            .map(|(line, parts)| with_own(line, own.headcounts.get(&line), *heir, parts))
            .collect();
        // Positions, merged by title, group and rank.
        let mut merged: Vec<(Option<Id>, JobPosition)> = Vec::new();
        let mut index: HashMap<(String, PositionGroup, String), usize> = HashMap::new();
        for (id, p) in &own.positions {
            index.entry(p.key()).or_insert(merged.len());
            merged.push((*id, p.clone()));
        }
        let mut touched = vec![false; merged.len()];
        let mut received = (0u32, 0u32);
        let mut joined = 0u32;
        for c in ceasing {
            for (_, p) in &held(c).positions {
                let people = share(p.people, i);
                // A heir whose share of a shared-out position is nothing does not get it.
                if shared && people == 0 {
                    continue;
                }
                received.0 += 1;
                received.1 += people;
                match index.get(&p.key()) {
                    Some(&k) => {
                        merged[k].1.people += people;
                        touched[k] = true;
                        joined += 1;
                    }
                    None => {
                        index.insert(p.key(), merged.len());
                        merged.push((
                            None,
                            JobPosition {
                                people,
                                ..p.clone()
                            },
                        ));
                        touched.push(true);
                    }
                }
            }
        }
        let positions = merged
            .into_iter()
            .zip(touched)
            .filter(|(_, t)| *t)
            .map(|(p, _)| p)
            .collect();
        let h = HeirCarry {
            heir: *heir,
            quotas,
            headcounts,
            positions,
            positions_received: received,
            positions_merged: joined,
        };
        if !h.is_empty() {
            out.push(h);
        }
    }
    out
}

/// `parts` with the heir's own figure first, and their sum.
fn with_own(line: StaffLine, own: Option<&u32>, heir: Id, mut parts: Vec<Part>) -> Carried {
    if let Some(o) = own {
        parts.insert(
            0,
            Part {
                from: heir,
                count: *o,
                of: None,
                own: true,
            },
        );
    }
    Carried {
        line,
        total: parts.iter().map(|p| p.count).sum(),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CS: StaffLine = StaffLine::ALL[0];
    const PE: StaffLine = StaffLine::ALL[1];

    fn pos(title: &str, group: PositionGroup, rank: &str, people: u32) -> JobPosition {
        JobPosition {
            title: title.into(),
            group,
            rank: Some(rank.into()),
            people,
            decision: None,
        }
    }

    fn holdings(year: i32, quotas: &[(StaffLine, u32)], heads: &[(StaffLine, u32)]) -> Holdings {
        Holdings {
            quotas: Some((year, quotas.iter().copied().collect())),
            headcounts: heads.iter().copied().collect(),
            positions: Vec::new(),
        }
    }

    #[test]
    fn a_consolidation_sums_every_line_and_merges_positions() {
        let mut a = holdings(2025, &[(CS, 45), (PE, 10)], &[(CS, 43)]);
        a.positions = vec![
            (
                Some(1),
                pos(
                    "Chuyên viên tổ chức",
                    PositionGroup::Professional,
                    "Chuyên viên",
                    3,
                ),
            ),
            (Some(2), pos("Văn thư", PositionGroup::Support, "Cán sự", 1)),
        ];
        let mut b = holdings(2024, &[(CS, 38)], &[(CS, 36), (PE, 2)]);
        b.positions = vec![(
            Some(3),
            pos(
                "chuyen vien to chuc",
                PositionGroup::Professional,
                "chuyên viên",
                2,
            ),
        )];
        let h = HashMap::from([(1, a), (2, b)]);
        let got = carry(&[1, 2], &[9], &[], &h);
        assert_eq!(got.len(), 1);
        let c = &got[0];
        let totals: Vec<(StaffLine, u32)> = c.quotas.iter().map(|q| (q.line, q.total)).collect();
        assert_eq!(totals, [(CS, 83), (PE, 10)]);
        assert_eq!(
            c.quotas[0]
                .parts
                .iter()
                .map(|p| p.count)
                .collect::<Vec<_>>(),
            [45, 38]
        );
        let heads: Vec<(StaffLine, u32)> = c.headcounts.iter().map(|q| (q.line, q.total)).collect();
        assert_eq!(heads, [(CS, 79), (PE, 2)]);
        // Chuyên viên tổ chức 3 + 2 (the same position written differently), Văn thư 1.
        let people: Vec<(String, u32)> = c
            .positions
            .iter()
            .map(|(id, p)| {
                assert!(id.is_none());
                (p.title.clone(), p.people)
            })
            .collect();
        assert_eq!(
            people,
            [
                ("Chuyên viên tổ chức".to_string(), 5),
                ("Văn thư".to_string(), 1)
            ]
        );
        assert_eq!((c.positions_received, c.positions_merged), ((3, 6), 1));
    }

    #[test]
    fn a_merge_adds_to_the_existing_units_figures_and_keeps_its_whole_year() {
        let mut target = holdings(2025, &[(CS, 30), (PE, 12)], &[(CS, 28)]);
        target.positions = vec![
            (
                Some(7),
                pos("Kế toán", PositionGroup::Professional, "Kế toán viên", 2),
            ),
            (Some(8), pos("Lái xe", PositionGroup::Support, "", 1)),
        ];
        let mut gone = holdings(2025, &[(CS, 20)], &[(CS, 19)]);
        gone.positions = vec![(
            Some(4),
            pos("Kế toán", PositionGroup::Professional, "Kế toán viên", 1),
        )];
        let h = HashMap::from([(5, target), (4, gone)]);
        let got = carry(&[4], &[5], &[], &h);
        let c = &got[0];
        // The target's public employees (12) are written again for the year, unchanged.
        let totals: Vec<(StaffLine, u32)> = c.quotas.iter().map(|q| (q.line, q.total)).collect();
        assert_eq!(totals, [(CS, 50), (PE, 12)]);
        assert!(c.quotas[0].parts[0].own);
        assert_eq!(c.headcounts[0].total, 47);
        // Only the matched position changes: Kế toán 2 + 1 on the target's own row.
        assert_eq!(c.positions.len(), 1);
        assert_eq!(c.positions[0].0, Some(7));
        assert_eq!(c.positions[0].1.people, 3);
    }

    #[test]
    fn a_split_shares_equally_with_the_remainder_to_the_first_heir() {
        let mut a = holdings(2025, &[(CS, 101)], &[(CS, 95)]);
        a.positions = vec![
            (
                None,
                pos("Chuyên viên", PositionGroup::Professional, "Chuyên viên", 5),
            ),
            (None, pos("Giám đốc", PositionGroup::Leadership, "", 1)),
        ];
        let h = HashMap::from([(1, a)]);
        let got = carry(&[1], &[20, 30], &[], &h);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].quotas[0].total, got[1].quotas[0].total), (51, 50));
        assert_eq!(got[0].quotas[0].parts[0].of, Some(101));
        assert_eq!(
            (got[0].headcounts[0].total, got[1].headcounts[0].total),
            (48, 47)
        );
        // 5 → 3 and 2; the single head goes to the first heir only.
        let p0: Vec<u32> = got[0].positions.iter().map(|(_, p)| p.people).collect();
        let p1: Vec<u32> = got[1].positions.iter().map(|(_, p)| p.people).collect();
        assert_eq!((p0, p1), (vec![3, 1], vec![2]));
    }

    #[test]
    fn a_split_with_an_allocation_shares_by_percent() {
        let mut a = holdings(2025, &[(CS, 45)], &[(CS, 43)]);
        a.positions = vec![(
            None,
            pos("Chuyên viên", PositionGroup::Professional, "Chuyên viên", 5),
        )];
        let h = HashMap::from([(1, a)]);
        let got = carry(&[1], &[20, 30], &[(20, 60), (30, 40)], &h);
        // 45 × 60% = 27, 45 × 40% = 18; 43 → 25.8 / 17.2 → 26 / 17; 5 → 3 / 2.
        assert_eq!((got[0].quotas[0].total, got[1].quotas[0].total), (27, 18));
        assert_eq!(
            (got[0].headcounts[0].total, got[1].headcounts[0].total),
            (26, 17)
        );
        assert_eq!(
            (got[0].positions[0].1.people, got[1].positions[0].1.people),
            (3, 2)
        );
    }

    #[test]
    fn nothing_held_nothing_carried() {
        assert!(carry(&[1], &[2], &[], &HashMap::new()).is_empty());
        assert!(carry(
            &[1],
            &[],
            &[],
            &HashMap::from([(1, holdings(2025, &[(CS, 3)], &[]))])
        )
        .is_empty());
    }

    #[test]
    fn disagreements_are_named_with_their_figures() {
        let c = Comparison {
            positions: 4,
            people: 12,
            quota: Some((2025, 10)),
            headcount: Some(11),
        };
        assert_eq!(
            c.disagreements(),
            [
                "Số người theo vị trí việc làm (12) vượt biên chế được giao năm 2025 (10)",
                "Số người có mặt (11) vượt biên chế được giao năm 2025 (10)",
            ]
        );
        let fewer = Comparison {
            positions: 2,
            people: 8,
            quota: Some((2025, 10)),
            headcount: Some(9),
        };
        assert_eq!(
            fewer.disagreements(),
            ["Số người theo vị trí việc làm (8) ít hơn số người có mặt (9)"]
        );
        let agree = Comparison {
            positions: 3,
            people: 10,
            quota: Some((2025, 10)),
            headcount: Some(10),
        };
        assert!(agree.disagreements().is_empty());
        assert_eq!(
            PositionGroup::parse("chuyen mon, nghiep vu"),
            Some(PositionGroup::Professional)
        );
        assert_eq!(
            PositionGroup::parse("support"),
            Some(PositionGroup::Support)
        );
        assert_eq!(PositionGroup::parse("khác"), None);
    }
}
