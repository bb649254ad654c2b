//! Read time per fixture, a synthetic 100-page .docx and a long text.
//! `cargo bench -p tinhgon-ingest --bench read` (plain std::time loops, no harness).

use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time (user + system) of this process, in seconds. The machine is shared, so wall
/// time overstates the cost under load; both are reported.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn bench(name: &str, bytes: &[u8], file_name: &str) {
    // Warm up, then run until 0.5 s of CPU time (or 20 s of wall time) is spent.
    let ok = tinhgon_ingest::read(bytes, Some(file_name)).is_ok();
    let mut runs = 0u32;
    let start = Instant::now();
    let cpu0 = cpu_seconds();
    while (cpu_seconds() - cpu0 < 0.5 && start.elapsed() < Duration::from_secs(20)) || runs < 3 {
        let _ = black_box(tinhgon_ingest::read(black_box(bytes), Some(file_name)));
        runs += 1;
    }
    let wall = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let cpu = (cpu_seconds() - cpu0) * 1000.0 / f64::from(runs);
    println!(
        "{name:<60} {:>9} B {:>9.2} ms CPU/read {:>9.2} ms wall/read ({runs} runs, {})",
        bytes.len(),
        cpu,
        wall,
        if ok { "ok" } else { "error result" }
    );
}

/// A plan of about 100 pages: 1 500 body paragraphs and a 300-row appendix table.
fn synthetic_docx() -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    let sentence = "Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan rà soát, tham mưu UBND tỉnh sắp xếp tổ chức bộ máy bảo đảm tinh gọn, hoạt động hiệu lực, hiệu quả";
    for i in 0..1500 {
        xml.push_str(&format!(
            r#"<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t xml:space="preserve">{}. {sentence}; </w:t></w:r><w:smartTag><w:r><w:t>{sentence}.</w:t></w:r></w:smartTag></w:p>"#,
            i + 1
        ));
    }
    xml.push_str(
        r#"<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single"/></w:tblBorders></w:tblPr>"#,
    );
    for i in 0..300 {
        xml.push_str(&format!(
            r#"<w:tr><w:tc><w:p><w:r><w:t>{}.</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{sentence}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Sở Nội vụ</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Các sở, ngành</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Quý III/2025</w:t></w:r></w:p></w:tc></w:tr>"#,
            i + 1
        ));
    }
    xml.push_str("</w:tbl></w:body></w:document>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", opts).expect("zip");
    zip.write_all(xml.as_bytes()).expect("zip");
    zip.finish().expect("zip").into_inner()
}

fn main() {
    println!(
        "tinhgon-ingest read benchmark (peak RSS at start {:.1} MB)",
        peak_rss_mb()
    );
    let mut files: Vec<String> = Vec::new();
    for dir in ["seeds", "fixtures/seeds", "fixtures/real"] {
        let mut names: Vec<String> = std::fs::read_dir(testdata(dir))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.ends_with(".md") || dir == "seeds")
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    for rel in files {
        if rel.ends_with("SOURCES.md") || rel.ends_with("README.md") {
            continue;
        }
        let Ok(bytes) = std::fs::read(testdata(&rel)) else {
            continue;
        };
        bench(&rel, &bytes, &rel);
    }
    let docx = synthetic_docx();
    let before = peak_rss_mb();
    bench(
        "synthetic 100-page docx (1500 paragraphs, 300-row table)",
        &docx,
        "big.docx",
    );
    println!(
        "  peak RSS after synthetic docx: {:.1} MB (before: {before:.1} MB)",
        peak_rss_mb()
    );
    let text = std::fs::read(testdata("seeds/000_4678a1ab1ae598dc.txt")).unwrap_or_default();
    let long: Vec<u8> = text.iter().copied().cycle().take(text.len() * 30).collect();
    bench("long text (seed 000 x 30)", &long, "long.txt");
    println!("  peak RSS at end: {:.1} MB", peak_rss_mb());
}
