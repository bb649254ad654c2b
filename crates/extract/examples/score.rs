//! Scores the extraction of every annotated document under `testdata/gold/` (the seeds and
//! `devset/`) and prints, per document and over all, recall, lead accuracy, coordinating F1
//! and deadline accuracy, tasks counted. `--misses` also lists each gold task that was not
//! matched or not right.
//!
//! `cargo run -p tinhgon-extract --example score [-- --misses]`

use std::path::{Path, PathBuf};

use tinhgon_extract::score::{score, Gold, Score};

fn gold_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in [dir.to_path_buf(), dir.join("devset")] {
        let Ok(rd) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

fn row(name: &str, s: &Score) {
    println!(
        "{name:<46} {:>4} {:>4}  {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
        s.gold,
        s.found,
        s.recall(),
        s.lead_accuracy(),
        s.coordinating_f1(),
        s.deadline_accuracy()
    );
}

fn main() {
    let misses = std::env::args().any(|a| a == "--misses");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/gold");
    println!(
        "{:<46} {:>4} {:>4}  {:>6} {:>6} {:>6} {:>6}",
        "document", "gold", "hit", "recall", "lead", "coordF1", "deadl"
    );
    let mut total = Score::default();
    let mut devset = Score::default();
    for path in gold_files(&root) {
        let name = path
            .strip_prefix(&root)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let gold: Gold = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(g) => g,
            Err(e) => {
                println!("{name:<46} lỗi gold: {e}");
                continue;
            }
        };
        // Seed gold names its document from the folder it was first written in.
        let mut doc = path.parent().unwrap_or(&root).join(&gold.doc);
        if !doc.exists() {
            doc = root.join("..").join(gold.doc.trim_start_matches("../"));
        }
        let draft = match std::fs::read(&doc)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                tinhgon_extract::extract_bytes(&b, doc.file_name().and_then(|n| n.to_str()))
                    .map_err(|e| e.to_string())
            }) {
            Ok(d) => d,
            Err(e) => {
                println!("{name:<46} lỗi đọc: {e}");
                continue;
            }
        };
        let (s, results) = score(&draft, &gold);
        row(&name, &s);
        total.add(&s);
        if name.starts_with("devset") {
            devset.add(&s);
        }
        if misses {
            for r in results
                .iter()
                .filter(|r| !(r.lead && r.coordinating && r.deadline))
            {
                let got = r.matched.map(|k| &draft.tasks[k]);
                let wrong: String = [(r.lead, 'L'), (r.coordinating, 'C'), (r.deadline, 'D')]
                    .iter()
                    .filter(|(ok, _)| !ok)
                    .map(|(_, c)| *c)
                    .collect();
                println!(
                    "    [{wrong}] {:?}\n      gold lead {:?} coord {:?} deadline {} {:?} {:?} {:?}",
                    r.gold.content_start,
                    r.gold.lead,
                    r.gold.coordinating,
                    r.gold.deadline.kind,
                    r.gold.deadline.due,
                    r.gold.deadline.period,
                    r.gold.deadline_text
                );
                match got {
                    None => println!("      NOT FOUND"),
                    Some(t) => println!(
                        "      got  lead {:?} coord {:?} deadline {:?} {:?} {:?} {:?}  [{} l.{}]",
                        t.lead.iter().map(|a| &a.text).collect::<Vec<_>>(),
                        t.coordinating.iter().map(|a| &a.text).collect::<Vec<_>>(),
                        t.deadline.kind,
                        t.deadline.due,
                        t.deadline.period,
                        t.deadline.text,
                        t.source.layout,
                        t.source.line_start
                    ),
                }
            }
        }
    }
    row("DEVSET", &devset);
    row("ALL", &total);
}
