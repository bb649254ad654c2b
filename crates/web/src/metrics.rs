//! `/metrics` in the Prometheus text format: requests by route and status, a latency histogram
//! per route, the database pool's use and the background job runs. Counted in process with
//! one short lock per request, so measuring costs microseconds; each instance (each
//! [`AppState`]) reports its own figures and Prometheus sums them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// The figures of one instance.
#[derive(Default)]
pub struct Registry {
    routes: Mutex<BTreeMap<String, RouteStats>>,
    job_runs: AtomicU64,
}

impl Registry {
    /// Counts one run of a background job.
    pub fn job_ran(&self) {
        self.job_runs.fetch_add(1, Ordering::Relaxed);
    }
}

/// Middleware: times every request and counts it under its route pattern (not its concrete
/// path, so ids do not make a series each).
pub async fn measure(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(không khớp)".to_string(), |m| m.as_str().to_string());
    let started = Instant::now();
    let resp = next.run(req).await;
    let seconds = started.elapsed().as_secs_f64();
    if let Ok(mut all) = state.metrics.routes.lock() {
        let s = all.entry(route).or_default();
        *s.by_status.entry(resp.status().as_u16()).or_insert(0) += 1;
        s.count += 1;
        s.sum_seconds += seconds;
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                s.buckets[i] += 1;
            }
        }
    }
    resp
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    out.push_str("# HELP tinhgon_http_requests_total Requests answered, by route and status.\n");
    out.push_str("# TYPE tinhgon_http_requests_total counter\n");
    let mut hist = String::new();
    hist.push_str("# HELP tinhgon_http_request_duration_seconds Time to answer, by route.\n");
    hist.push_str("# TYPE tinhgon_http_request_duration_seconds histogram\n");
    if let Ok(all) = state.metrics.routes.lock() {
        for (route, s) in all.iter() {
            let r = label(route);
            for (status, n) in &s.by_status {
                let _ = writeln!(
                    out,
                    "tinhgon_http_requests_total{{route=\"{r}\",status=\"{status}\"}} {n}"
                );
            }
            for (le, n) in BUCKETS.iter().zip(s.buckets.iter()) {
                let _ = writeln!(
                    hist,
                    "tinhgon_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{le}\"}} {n}"
                );
            }
            let _ = writeln!(
                hist,
                "tinhgon_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}\n\
                 tinhgon_http_request_duration_seconds_sum{{route=\"{r}\"}} {}\n\
                 tinhgon_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                s.count, s.sum_seconds, s.count
            );
        }
    }
    out.push_str(&hist);
    let (size, idle) = state.db.pool_stats();
    let _ = write!(
        out,
        "# HELP tinhgon_db_connections Database connections open in this instance's pool.\n\
         # TYPE tinhgon_db_connections gauge\n\
         tinhgon_db_connections{{state=\"open\"}} {size}\n\
         tinhgon_db_connections{{state=\"idle\"}} {idle}\n\
         # HELP tinhgon_job_runs_total Runs of the daily job by this instance.\n\
         # TYPE tinhgon_job_runs_total counter\n\
         tinhgon_job_runs_total {}\n",
        state.metrics.job_runs.load(Ordering::Relaxed)
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
