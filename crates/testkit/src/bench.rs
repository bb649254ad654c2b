//! What the benchmark binaries (`--bench national`, `--bench web`) share: their command line,
//! the database they run on, and the CPU and memory figures read from /proc.

use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

use crate::pg::TempPg;

/// The national data set file the benchmarks use when `--db` is not given.
pub const NATIONAL_DB: &str = "tinhgon-national.db";

/// The options every benchmark takes, with their defaults: the database, and the seed and
/// scale of the national set generated into it when it is empty.
pub const DATA_OPTIONS: [(&str, &str); 3] =
    [("--db", NATIONAL_DB), ("--seed", "1"), ("--scale", "1.0")];

/// The `--name value` options of a benchmark command line.
pub struct Options {
    values: Vec<(&'static str, String)>,
}

impl Options {
    /// Reads this process's arguments over [`DATA_OPTIONS`] and the bench's own `defaults`.
    pub fn from_env(defaults: &[(&'static str, &str)]) -> Result<Options, String> {
        Options::parse(defaults, std::env::args().skip(1))
    }

    /// Reads `args` over [`DATA_OPTIONS`] and `defaults`; cargo's own `--bench` flag is
    /// ignored and any other name is refused.
    pub fn parse(
        defaults: &[(&'static str, &str)],
        args: impl IntoIterator<Item = String>,
    ) -> Result<Options, String> {
        let mut values: Vec<(&'static str, String)> = DATA_OPTIONS
            .iter()
            .chain(defaults)
            .map(|(k, v)| (*k, v.to_string()))
            .collect();
        let mut it = args.into_iter();
        while let Some(k) = it.next() {
            if k == "--bench" {
                continue;
            }
            let Some(slot) = values.iter_mut().find(|(name, _)| *name == k) else {
                return Err(format!("tham số không rõ: {k}"));
            };
            slot.1 = it.next().ok_or_else(|| format!("thiếu giá trị cho {k}"))?;
        }
        Ok(Options { values })
    }

    /// The value of option `name`, parsed.
    pub fn get<T>(&self, name: &str) -> Result<T, String>
    where
        T: FromStr,
        T::Err: Display,
    {
        let raw = self
            .values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| format!("tham số không rõ: {name}"))?;
        raw.parse()
            .map_err(|e| format!("giá trị không hợp lệ cho {name} ({raw}): {e}"))
    }

    /// The data set options: `--db`, `--seed`, `--scale`.
    pub fn data(&self) -> Result<DataSet, String> {
        Ok(DataSet {
            db: self.get("--db")?,
            seed: self.get("--seed")?,
            scale: self.get("--scale")?,
        })
    }
}

/// Where a benchmark runs, and what it generates there when the database is empty.
#[derive(Clone, Debug)]
pub struct DataSet {
    /// A SQLite file, a PostgreSQL URL, or `pg` for a throwaway PostgreSQL server.
    pub db: String,
    /// Seed of the generated national set.
    pub seed: u64,
    /// Scale of the generated national set (1.0 = the whole country).
    pub scale: f64,
}

/// The database of a run; a throwaway PostgreSQL server (for `--db pg`) lives as long as this.
pub struct BenchDb {
    /// What `Db::connect` takes.
    pub url: String,
    _pg: Option<TempPg>,
}

impl BenchDb {
    /// Opens `db`: `pg` starts a throwaway PostgreSQL server, anything else is used as given.
    pub fn open(db: &str) -> Result<BenchDb, String> {
        if db == "pg" {
            let pg = TempPg::start()?;
            Ok(BenchDb {
                url: pg.url(),
                _pg: Some(pg),
            })
        } else {
            Ok(BenchDb {
                url: db.to_string(),
                _pg: None,
            })
        }
    }

    /// The port of the PostgreSQL server when the database is one (to read its CPU time).
    pub fn pg_port(&self) -> Option<u16> {
        if !self.url.starts_with("postgres") {
            return None;
        }
        let (_, rest) = self.url.rsplit_once(':')?;
        rest.split('/').next()?.parse().ok()
    }
}

/// Milliseconds with one decimal, as the benchmark tables print them.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The `p` quantile (0 < p <= 1) of sorted durations in milliseconds, "–" when there are none.
pub fn quantile_ms(sorted: &[Duration], p: f64) -> String {
    if sorted.is_empty() {
        return "–".into();
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    ms(sorted[i])
}

/// (CPU seconds, parent pid) from the text of /proc/PID/stat (clock ticks of 10 ms).
fn ticks_of(stat: &str) -> Option<(f64, i64)> {
    // Fields after the command name (which may contain spaces) start at ") ".
    let rest = stat.rsplit_once(") ")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    let ppid = f.get(1)?.parse::<i64>().ok()?;
    Some((ticks / 100.0, ppid))
}

/// CPU seconds (user + system) of a process so far.
pub fn proc_cpu(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| ticks_of(&s))
        .map(|t| t.0)
        .unwrap_or(0.0)
}

/// CPU seconds (user + system) of this process so far.
pub fn self_cpu() -> f64 {
    proc_cpu(std::process::id())
}

/// (resident now, peak resident) MiB of a process.
pub fn proc_memory(pid: u32) -> (u64, u64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let mib = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (mib("VmRSS:"), mib("VmHWM:"))
}

/// (resident now, peak resident) MiB of this process.
pub fn self_memory() -> (u64, u64) {
    proc_memory(std::process::id())
}

/// CPU seconds of the PostgreSQL server listening on `port`: its postmaster and children.
pub fn pg_cpu(port: u16) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let mut procs = Vec::new();
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i64>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        if !stat.contains("(postgres)") {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if let Some((cpu, ppid)) = ticks_of(&stat) {
            procs.push((pid, ppid, cpu, cmd));
        }
    }
    let needle = format!("-p\0{port}\0");
    let Some(master) = procs
        .iter()
        .find(|p| String::from_utf8_lossy(&p.3).contains(&needle))
        .map(|p| p.0)
    else {
        return 0.0;
    };
    procs
        .iter()
        .filter(|p| p.0 == master || p.1 == master)
        .map(|p| p.2)
        .sum()
}

/// (busy, total) jiffies of the whole machine.
pub fn machine_cpu() -> (f64, f64) {
    let s = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let v: Vec<f64> = s
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let total: f64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0.0) + v.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// The 1, 5 and 15 minute load averages of the machine.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn options_take_defaults_values_and_refuse_unknown_names() {
        let o = Options::parse(&[("--runs", "50")], args("--bench --scale 0.1 --runs 3"))
            .expect("parse");
        let data = o.data().expect("data");
        assert_eq!(
            (data.db.as_str(), data.seed, data.scale),
            (NATIONAL_DB, 1, 0.1)
        );
        assert_eq!(o.get::<usize>("--runs"), Ok(3));
        let unknown = Options::parse(&[], args("--runs 3")).err();
        assert_eq!(unknown.as_deref(), Some("tham số không rõ: --runs"));
        let missing = Options::parse(&[], args("--db")).err();
        assert_eq!(missing.as_deref(), Some("thiếu giá trị cho --db"));
        let bad = Options::parse(&[], args("--seed x")).expect("parse");
        assert!(bad.data().is_err());
    }

    #[test]
    fn the_pg_port_comes_from_a_postgres_url_only() {
        let db = |url: &str| BenchDb {
            url: url.into(),
            _pg: None,
        };
        assert_eq!(
            db("postgres://postgres@127.0.0.1:5433/tinhgon").pg_port(),
            Some(5433)
        );
        assert_eq!(db("data/x.db").pg_port(), None);
    }

    #[test]
    fn quantiles_of_sorted_durations() {
        let v: Vec<Duration> = (1..=20).map(Duration::from_millis).collect();
        assert_eq!(quantile_ms(&v, 0.5), "10.0");
        assert_eq!(quantile_ms(&v, 0.95), "19.0");
        assert_eq!(quantile_ms(&v, 1.0), "20.0");
        assert_eq!(quantile_ms(&[], 0.5), "–");
    }

    #[test]
    fn cpu_time_and_parent_come_from_the_stat_line() {
        // The command name may hold spaces and parentheses; fields 14 and 15 are utime, stime.
        let stat = "42 (tokio (x) 1) S 7 42 42 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 3 0";
        assert_eq!(ticks_of(stat), Some((3.8, 7)));
        assert_eq!(ticks_of("garbage"), None);
        assert_eq!(proc_cpu(u32::MAX), 0.0);
        let (rss, peak) = self_memory();
        assert!(rss > 0 && peak >= rss, "{rss} {peak}");
        let (busy, total) = machine_cpu();
        assert!(total > 0.0 && busy <= total);
    }
}
