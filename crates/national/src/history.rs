//! One assignment's life, simulated: status changes along the workflow (not started →
//! in progress → completion proposed → done, or returned and proposed again; rarely
//! cancelled) and progress reports, all before "now".

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tinhgon_domain::localtime::{local_date, start_of_local_day};
use tinhgon_domain::model::Status;
use tinhgon_domain::DeadlineKind;

use super::rng::Rng;

/// One status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Status before.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// When.
    pub at: DateTime<Utc>,
    /// For a confirmation: the day the work counted as completed (the proposal's day).
    pub completed_on: Option<NaiveDate>,
}

/// The simulated life of one assignment.
#[derive(Debug, Clone, Default)]
pub struct Life {
    /// Status changes in time order.
    pub changes: Vec<Change>,
    /// Progress reports (time, percent) in time order.
    pub reports: Vec<(DateTime<Utc>, i64)>,
}

impl Life {
    /// Status after the last change.
    pub fn status(&self) -> Status {
        self.changes.last().map_or(Status::NotStarted, |c| c.to)
    }
}

/// What the simulation needs to know about the task's deadline.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Kind of deadline.
    pub kind: DeadlineKind,
    /// Due date in force (a conditional one only once triggered).
    pub due: Option<NaiveDate>,
    /// Trigger day of a conditional deadline, when it happened.
    pub trigger: Option<NaiveDate>,
}

/// A time during office hours (Vietnam) on `day`.
pub fn office_time(rng: &mut Rng, day: NaiveDate) -> DateTime<Utc> {
    start_of_local_day(day) + Duration::minutes(rng.range(7 * 60 + 30, 17 * 60))
}

struct Track<'a> {
    rng: &'a mut Rng,
    life: Life,
    last: DateTime<Utc>,
    now: DateTime<Utc>,
    percent: i64,
}

impl Track<'_> {
    /// Records a change at `at` (kept after the previous one); false when `at` is not
    /// before now, which ends the simulation.
    fn change(&mut self, to: Status, at: DateTime<Utc>, completed_on: Option<NaiveDate>) -> bool {
        let at = at.max(self.last + Duration::minutes(1));
        if at >= self.now {
            return false;
        }
        let from = self.life.status();
        self.life.changes.push(Change {
            from,
            to,
            at,
            completed_on,
        });
        self.last = at;
        true
    }

    /// Progress reports every 20–60 days from the last event until `until` (or now).
    fn reports_until(&mut self, until: DateTime<Utc>, gap: (i64, i64)) {
        let until = until.min(self.now);
        let mut t = self.last;
        loop {
            let day = local_date(t) + Duration::days(self.rng.range(gap.0, gap.1));
            let at = office_time(self.rng, day);
            if at >= until || self.life.reports.len() >= 24 {
                break;
            }
            self.percent = (self.percent + self.rng.range(5, 30)).min(95);
            self.life.reports.push((at, self.percent));
            t = at;
        }
    }
}

/// Simulates an assignment created at `created` with `timing`, up to `now`.
pub fn simulate(rng: &mut Rng, created: DateTime<Utc>, timing: Timing, now: DateTime<Utc>) -> Life {
    let mut t = Track {
        rng,
        life: Life::default(),
        last: created,
        now,
        percent: 0,
    };
    let created_day = local_date(created);
    let standing = matches!(timing.kind, DeadlineKind::Ongoing | DeadlineKind::Recurring);
    let waiting = timing.kind == DeadlineKind::Conditional && timing.trigger.is_none();
    // Work on a conditional task begins in earnest once the condition happened.
    let begin = match timing.trigger {
        Some(trigger) if trigger > created_day => trigger,
        _ => created_day,
    };
    let never_starts = if waiting { 0.6 } else { 0.04 };
    if t.rng.chance(never_starts) {
        return t.life;
    }
    let start_day = begin + Duration::days(t.rng.range(1, 40));
    let start_at = office_time(t.rng, start_day);
    if !t.change(Status::InProgress, start_at, None) {
        return t.life;
    }
    if t.rng.chance(0.01) {
        let at = t.last + Duration::days(t.rng.range(5, 120));
        t.reports_until(at, (35, 110));
        t.change(Status::Cancelled, at, None);
        return t.life;
    }
    if standing || waiting {
        // Standing duties report each period and are rarely closed.
        let closes = standing && t.rng.chance(0.05);
        let end = if closes {
            t.last + Duration::days(t.rng.range(200, 500))
        } else {
            now
        };
        t.reports_until(end, (50, 170));
        if closes {
            let at = end;
            if t.change(Status::CompletionProposed, at, None) {
                let day = local_date(at);
                let confirm = at + Duration::days(t.rng.range(1, 10));
                t.change(Status::Done, confirm, Some(day));
            }
        }
        return t.life;
    }
    // A dated task: completion proposed around the due date, mostly before it.
    let due = timing
        .due
        .unwrap_or(start_day + Duration::days(t.rng.range(60, 300)));
    let offset = (t.rng.range(-70, 30) + t.rng.range(-70, 30)) / 2;
    let propose_day = (due + Duration::days(offset)).max(start_day + Duration::days(5));
    let propose_at = office_time(t.rng, propose_day);
    t.reports_until(propose_at, (35, 110));
    if !t.change(Status::CompletionProposed, propose_at, None) {
        return t.life;
    }
    let mut proposed_on = local_date(t.last);
    // One in eight proposals is returned once and proposed again.
    if t.rng.chance(0.125) {
        let at = t.last + Duration::days(t.rng.range(2, 10));
        if !t.change(Status::Returned, at, None) {
            return t.life;
        }
        let again = t.last + Duration::days(t.rng.range(10, 40));
        if t.rng.chance(0.5) {
            let resume = t.last + Duration::days(t.rng.range(1, 5));
            if !t.change(Status::InProgress, resume, None) {
                return t.life;
            }
        }
        t.reports_until(again, (7, 20));
        if !t.change(Status::CompletionProposed, again, None) {
            return t.life;
        }
        proposed_on = local_date(t.last);
    }
    let confirm = t.last + Duration::days(t.rng.range(1, 10));
    t.change(Status::Done, confirm, Some(proposed_on));
    t.life
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinhgon_domain::transition;
    use tinhgon_domain::workflow::Action;

    fn action_for(to: Status) -> Action {
        match to {
            Status::InProgress => Action::Start,
            Status::CompletionProposed => Action::ProposeCompletion,
            Status::Done => Action::Confirm,
            Status::Returned => Action::Return,
            _ => Action::Cancel,
        }
    }

    #[test]
    fn lives_follow_the_workflow_and_stay_before_now() {
        use tinhgon_domain::model::Role;
        let now = office_time(
            &mut Rng::new(0),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
        );
        let kinds = [
            DeadlineKind::By,
            DeadlineKind::Ongoing,
            DeadlineKind::Recurring,
            DeadlineKind::Conditional,
        ];
        for i in 0..5_000u64 {
            let mut rng = Rng::derive(42, i);
            let created_day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
                + Duration::days(rng.range(0, 680));
            let created = office_time(&mut rng, created_day);
            let kind = kinds[(i % 4) as usize];
            let due = Some(local_date(created) + Duration::days(rng.range(20, 600)));
            let trigger = (kind == DeadlineKind::Conditional && i % 8 == 3)
                .then(|| local_date(created) + Duration::days(30));
            let life = simulate(&mut rng, created, Timing { kind, due, trigger }, now);
            let mut status = Status::NotStarted;
            let mut last = created;
            for c in &life.changes {
                assert_eq!(c.from, status);
                let role = match c.to {
                    Status::InProgress | Status::CompletionProposed => Role::AgencyOfficer,
                    _ => Role::Monitor,
                };
                let next = transition(status, action_for(c.to), role);
                assert_eq!(next.ok(), Some(c.to), "{status:?} -> {:?}", c.to);
                assert!(c.at > last && c.at < now);
                assert_eq!(c.completed_on.is_some(), c.to == Status::Done);
                status = c.to;
                last = c.at;
            }
            assert!(life
                .reports
                .iter()
                .all(|(at, p)| *at > created && *at < now && (0..=100).contains(p)));
        }
    }
}
