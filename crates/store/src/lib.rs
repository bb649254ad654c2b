//! tinhgon-store: the database behind one `Db` type for SQLite (embedded default) and
//! PostgreSQL (production). One module per concept; every use case is one transaction.

pub mod accounts;
pub mod approvals;
pub mod assignment_list;
pub mod assignment_view;
pub mod audit;
pub mod calendar_feeds;
pub mod cascade;
pub mod column;
pub mod comments;
pub mod dash_cache;
pub mod db;
pub mod duties;
pub mod error;
pub mod functions;
pub mod idempotency;
pub mod inbox;
mod intervals;
pub mod job_positions;
pub mod job_runs;
pub mod notifications;
pub mod ops;
pub mod outbox;
pub mod periodic;
pub mod plan_changes;
pub mod plans;
pub mod records;
pub mod referrals;
pub mod register;
pub mod reminders;
pub mod rules;
pub mod saved_filters;
pub mod search_keys;
pub mod sessions;
pub mod staffing;
pub mod status;
pub mod tx;
mod util;
pub mod web_queries;
mod writer;

pub use db::{Backend, Db};
pub use error::{Result, StoreError};
