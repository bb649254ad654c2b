//! Scores a draft against what a careful clerk typed in for the same document (the gold
//! files under `testdata/gold/`, format in its README): how many of the clerk's tasks were
//! found, and of those how many have the right lead, coordinating agencies and deadline.
//! Tasks are matched by the start of their content, folded, so wording kept as written but
//! cut or wrapped differently still matches.

use serde::Deserialize;
use tinhgon_domain::{DeadlineKind, PlanDraft, TaskDraft};
use tinhgon_textkit::fold;

/// One gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The annotated document, relative to the gold file.
    pub doc: String,
    /// The tasks in document order.
    pub tasks: Vec<GoldTask>,
}

/// One task as the clerk typed it.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldTask {
    /// First ≤ 60 characters of the content, markers left out.
    pub content_start: String,
    /// Lead agencies as written.
    #[serde(default)]
    pub lead: Vec<String>,
    /// Coordinating agencies as written.
    #[serde(default)]
    pub coordinating: Vec<String>,
    /// The deadline as written.
    #[serde(default)]
    pub deadline_text: Option<String>,
    /// The deadline's structured form.
    pub deadline: GoldDeadline,
}

/// A gold deadline: `kind` is date, ongoing, recurring, conditional or none.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDeadline {
    /// Kind in the gold's words.
    pub kind: String,
    /// Last day, for dates.
    #[serde(default)]
    pub due: Option<String>,
    /// Period, for recurring duties.
    #[serde(default)]
    pub period: Option<String>,
}

/// Counts for one document or a sum of documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Gold tasks.
    pub gold: usize,
    /// Gold tasks matched by an extracted task.
    pub found: usize,
    /// Gold tasks whose match has the same lead agencies.
    pub lead: usize,
    /// Coordinating agencies both in gold and extracted (matched tasks).
    pub coord_tp: usize,
    /// Coordinating agencies extracted but not in gold (matched tasks).
    pub coord_fp: usize,
    /// Coordinating agencies in gold but not extracted (unmatched tasks count whole).
    pub coord_fn: usize,
    /// Gold tasks whose match has the same deadline kind, due date and period.
    pub deadline: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Score {
    /// Share of gold tasks found.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    /// Share of gold tasks found with the right lead.
    pub fn lead_accuracy(&self) -> f64 {
        ratio(self.lead, self.gold)
    }
    /// F1 of coordinating agencies over all gold tasks.
    pub fn coordinating_f1(&self) -> f64 {
        let denom = 2 * self.coord_tp + self.coord_fp + self.coord_fn;
        ratio(2 * self.coord_tp, denom)
    }
    /// Share of gold tasks found with the right deadline.
    pub fn deadline_accuracy(&self) -> f64 {
        ratio(self.deadline, self.gold)
    }
    /// Adds another document's counts.
    pub fn add(&mut self, o: &Score) {
        self.gold += o.gold;
        self.found += o.found;
        self.lead += o.lead;
        self.coord_tp += o.coord_tp;
        self.coord_fp += o.coord_fp;
        self.coord_fn += o.coord_fn;
        self.deadline += o.deadline;
    }
}

/// Folded letters and digits of a content, single-spaced, list markers and emphasis gone.
pub fn content_key(s: &str) -> String {
    let f = fold(&s.replace('*', " "));
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // A leading marker ("1", "a", "ii") is not content.
    let skip = words
        .iter()
        .take_while(|w| {
            w.len() <= 3
                && (w.chars().all(|c| c.is_ascii_digit())
                    || w.chars().all(|c| "ivxl".contains(c))
                    || (w.chars().count() == 1))
        })
        .count()
        .min(2);
    words[skip.min(words.len())..].join(" ")
}

/// Folded agency name for comparison: case, accents, punctuation and "các" ignored.
pub fn agency_key(s: &str) -> String {
    let f = fold(s);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// How well an extracted content matches a gold start: 1.0 for a prefix match, else the
/// share of the gold's words found in order at the start of the extracted content.
fn similarity(gold: &str, extracted: &str) -> f64 {
    if gold.is_empty() {
        return 0.0;
    }
    if extracted.starts_with(gold) {
        return 1.0;
    }
    let g: Vec<&str> = gold.split(' ').collect();
    let e: Vec<&str> = extracted.split(' ').take(g.len() + 4).collect();
    let common = g.iter().filter(|w| e.contains(w)).count();
    common as f64 / g.len() as f64
}

/// The deadline kind the gold's words mean in the JSON contract.
fn kind_of(gold_kind: &str, deadline_text: Option<&str>) -> DeadlineKind {
    match gold_kind {
        "date" => DeadlineKind::By,
        "none" => DeadlineKind::Unspecified,
        "conditional" => DeadlineKind::Conditional,
        "recurring" => DeadlineKind::Recurring,
        "ongoing" if deadline_text.is_some_and(|t| fold(t).starts_with("trong qua trinh")) => {
            DeadlineKind::During
        }
        _ => DeadlineKind::Ongoing,
    }
}

fn deadline_matches(t: &TaskDraft, g: &GoldTask) -> bool {
    let kind = kind_of(&g.deadline.kind, g.deadline_text.as_deref());
    let ongoing = |k: DeadlineKind| matches!(k, DeadlineKind::Ongoing | DeadlineKind::During);
    if t.deadline.kind != kind && !(ongoing(t.deadline.kind) && ongoing(kind)) {
        return false;
    }
    if kind == DeadlineKind::By && t.deadline.due.map(|d| d.to_string()) != g.deadline.due {
        return false;
    }
    if kind == DeadlineKind::Recurring {
        let period = t
            .deadline
            .period
            .and_then(|p| serde_json::to_value(p).ok())
            .and_then(|v| v.as_str().map(str::to_string));
        // The gold names periods as the clerk says them ("year"), the contract as rhythms
        // ("yearly").
        let gold_period = g.deadline.period.as_deref().map(|p| match p {
            "day" => "daily",
            "week" => "weekly",
            "month" => "monthly",
            "quarter" => "quarterly",
            "half_year" => "half_yearly",
            "year" => "yearly",
            other => other,
        });
        if gold_period.is_some() && period.as_deref() != gold_period {
            return false;
        }
    }
    true
}

/// One gold task against the task matched to it (if any).
#[derive(Debug, Clone)]
pub struct TaskResult<'a> {
    /// The gold task.
    pub gold: &'a GoldTask,
    /// Index of the matched extracted task.
    pub matched: Option<usize>,
    /// Lead right.
    pub lead: bool,
    /// Coordinating agencies exactly right.
    pub coordinating: bool,
    /// Deadline right.
    pub deadline: bool,
}

/// Scores `draft` against `gold`; also returns the per-task results, for reports.
pub fn score<'a>(draft: &PlanDraft, gold: &'a Gold) -> (Score, Vec<TaskResult<'a>>) {
    let keys: Vec<String> = draft
        .tasks
        .iter()
        .map(|t| content_key(&t.content))
        .collect();
    let mut used = vec![false; keys.len()];
    let mut s = Score::default();
    let mut results = Vec::new();
    // Matching walks forward in document order from the last match, so repeated wording
    // ("Chủ trì triển khai các nhiệm vụ tại mục …") matches the right occurrence.
    let mut from = 0;
    for g in &gold.tasks {
        s.gold += 1;
        let gk = content_key(&g.content_start);
        let gk: String = gk.chars().take(50).collect();
        let best = (0..keys.len())
            .filter(|&k| !used[k])
            .map(|k| {
                let sim = similarity(gk.trim_end(), &keys[k]);
                // Prefer the first candidate at or after the last match on ties.
                let order = if k >= from { 0 } else { 1 };
                (k, sim, order)
            })
            .filter(|&(_, sim, _)| sim >= 0.8)
            .max_by(|a, b| {
                a.1.partial_cmp(&b.1)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.2.cmp(&a.2))
                    .then(b.0.cmp(&a.0))
            });
        let gold_coord: Vec<String> = g.coordinating.iter().map(|a| agency_key(a)).collect();
        let Some((k, _, _)) = best else {
            s.coord_fn += gold_coord.len();
            results.push(TaskResult {
                gold: g,
                matched: None,
                lead: false,
                coordinating: false,
                deadline: false,
            });
            continue;
        };
        used[k] = true;
        from = k + 1;
        s.found += 1;
        let t = &draft.tasks[k];
        let mut lead: Vec<String> = t.lead.iter().map(|a| agency_key(&a.text)).collect();
        let mut gold_lead: Vec<String> = g.lead.iter().map(|a| agency_key(a)).collect();
        lead.sort();
        gold_lead.sort();
        let lead_ok = lead == gold_lead;
        let coord: Vec<String> = t.coordinating.iter().map(|a| agency_key(&a.text)).collect();
        let tp = coord.iter().filter(|c| gold_coord.contains(c)).count();
        s.coord_tp += tp;
        s.coord_fp += coord.len() - tp;
        s.coord_fn += gold_coord.iter().filter(|c| !coord.contains(c)).count();
        let coord_ok = tp == coord.len() && tp == gold_coord.len();
        let deadline_ok = deadline_matches(t, g);
        s.lead += usize::from(lead_ok);
        s.deadline += usize::from(deadline_ok);
        results.push(TaskResult {
            gold: g,
            matched: Some(k),
            lead: lead_ok,
            coordinating: coord_ok,
            deadline: deadline_ok,
        });
    }
    (s, results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_markers_case_and_accents() {
        assert_eq!(content_key("1. **Rà soát**, sắp xếp"), "ra soat sap xep");
        assert_eq!(content_key("a) Chủ trì"), "chu tri");
        assert_eq!(agency_key("Sở Tài chính;"), "so tai chinh");
        assert!(similarity("ra soat sap xep", "ra soat sap xep lai") >= 1.0);
        assert!(similarity("ra soat sap xep", "bao cao ket qua") < 0.5);
    }
}
