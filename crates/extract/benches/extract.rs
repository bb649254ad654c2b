//! Extraction speed: each seed and fixture, and a synthetic 100-page plan (many sections,
//! per-agency duties and a 700-row appendix table). Plain timing loops: warm-up, then the
//! median of the runs. Peak memory (VmHWM) is printed at the end.
//!
//! Run: `cargo bench -p tinhgon-extract --bench extract`

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time of this process so far (user + system), from /proc/self/stat in clock ticks of
/// 10 ms: on a shared machine wall time mostly measures the other processes.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Times `f`: 3 warm-up runs, then runs for about two seconds (at least 20, at most 400).
/// Returns the median wall time, the mean CPU time per run and the task count.
fn time<F: FnMut() -> usize>(mut f: F) -> (Duration, Duration, usize) {
    let mut tasks = 0;
    for _ in 0..3 {
        tasks = f();
    }
    let mut runs = Vec::new();
    let start = Instant::now();
    let cpu0 = cpu_time();
    while runs.len() < 20 || (start.elapsed() < Duration::from_secs(2) && runs.len() < 400) {
        let t = Instant::now();
        tasks = std::hint::black_box(f());
        runs.push(t.elapsed());
    }
    let n = runs.len() as u32;
    let cpu = match (cpu0, cpu_time()) {
        (Some(a), Some(b)) => (b - a) / n,
        _ => Duration::ZERO,
    };
    (median(runs), cpu, tasks)
}

const AGENCIES: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Quản lý Khu kinh tế tỉnh",
    "Thuế tỉnh",
];

const DEADLINES: &[&str] = &[
    "Thường xuyên",
    "Quý III/2026",
    "Trình UBND tỉnh trong tháng 10/2026",
    "Hằng năm",
    "Sau khi có hướng dẫn của Trung ương",
    "Trước ngày 15/12/2026",
    "Năm 2027",
];

/// About 100 A4 pages of a realistic plan, as hard-wrapped text.
fn synthetic_plan() -> String {
    let mut s = String::new();
    s.push_str("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n");
    s.push_str("Số: 999/KH-UBND\nNghệ An, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\nThực hiện sắp xếp tổ chức bộ máy năm 2026\n");
    s.push_str("Thực hiện Nghị quyết số 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương Đảng khóa XIII; Kế hoạch số 307-KH/TU ngày 27/02/2025 của Ban Thường vụ Tỉnh ủy; UBND tỉnh ban hành kế hoạch như sau:\n");
    s.push_str("I. MỤC ĐÍCH, YÊU CẦU\n");
    for i in 1..=20 {
        let _ = writeln!(s, "{i}. Bảo đảm việc sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả,\ngắn với tinh giản biên chế và cơ cấu lại đội ngũ cán bộ, công chức, viên chức theo vị trí việc làm.");
    }
    s.push_str("II. NHIỆM VỤ, GIẢI PHÁP\n");
    for i in 1..=110 {
        let a = AGENCIES[i % AGENCIES.len()];
        let b = AGENCIES[(i + 3) % AGENCIES.len()];
        let _ = writeln!(
            s,
            "{i}. Tiếp tục rà soát, sửa đổi, bổ sung quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của các cơ quan,\nđơn vị thuộc, trực thuộc; đẩy mạnh phân cấp, phân quyền gắn với kiểm soát quyền lực, bảo đảm giảm tối thiểu 10% biên chế so với năm 2021.\n\n* Đơn vị thực hiện: {a} chủ trì, phối hợp với {b}, các cơ quan, đơn vị có liên quan tham mưu\nỦy ban nhân dân tỉnh triển khai thực hiện khi có chỉ đạo của cấp có thẩm quyền.\n"
        );
    }
    s.push_str("III. TỔ CHỨC THỰC HIỆN\n");
    for (i, a) in AGENCIES.iter().enumerate() {
        let _ = writeln!(s, "{}. {a}", i + 1);
        for k in 0..10 {
            let _ = writeln!(
                s,
                "- Chủ trì, phối hợp với các cơ quan liên quan theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ số {k} của kế hoạch này; định kỳ hằng quý báo cáo UBND tỉnh (qua Sở Nội vụ) kết quả thực hiện, những khó khăn, vướng mắc phát sinh."
            );
        }
    }
    s.push_str("Nơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n");
    s.push_str("PHỤ LỤC\nNHIỆM VỤ CỤ THỂ\nTT\nNội dung\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian thực hiện\n");
    for i in 1..=700 {
        let a = AGENCIES[i % AGENCIES.len()];
        let b = AGENCIES[(i + 5) % AGENCIES.len()];
        let d = DEADLINES[i % DEADLINES.len()];
        let _ = writeln!(
            s,
            "{i}.\nTham mưu sáp nhập, sắp xếp, kiện toàn các đơn vị sự nghiệp công lập thuộc phạm vi quản lý, bảo đảm tinh gọn, hiệu quả; xây dựng đề án vị trí việc làm số {i}.\n{a}.\n{b}; các địa phương, cơ quan, đơn vị liên quan.\n{d}."
        );
    }
    s
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    println!(
        "{:<48} {:>10} {:>7} {:>10}",
        "input", "median", "tasks", "bytes"
    );
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["seeds", "fixtures/seeds", "fixtures/real"] {
        if let Ok(rd) = std::fs::read_dir(testdata(dir)) {
            let mut v: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("txt" | "docx" | "pdf" | "md")
                    )
                })
                .collect();
            v.sort();
            files.extend(v);
        }
    }
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        if tinhgon_extract::extract_bytes(&bytes, Some(&name)).is_err() {
            println!("{name:<48} {:>10}", "(unreadable)");
            continue;
        }
        let (t, cpu, n) = time(|| {
            tinhgon_extract::extract_bytes(&bytes, Some(&name))
                .map(|d| d.tasks.len())
                .unwrap_or(0)
        });
        println!(
            "{name:<48} {:>8.2}ms {:>8.2}ms {n:>7} {:>10}",
            t.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e3,
            bytes.len()
        );
    }
    let plan = synthetic_plan();
    let pages = plan.chars().count() / 3000;
    let (t, cpu, n) = time(|| {
        tinhgon_extract::extract_bytes(plan.as_bytes(), Some("synthetic.txt"))
            .map(|d| d.tasks.len())
            .unwrap_or(0)
    });
    println!(
        "{:<48} {:>8.2}ms {:>8.2}ms {n:>7} {:>10}",
        format!("synthetic plan (~{pages} pages, read + extract)"),
        t.as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3,
        plan.len()
    );
    if let Ok(doc) = tinhgon_ingest::read(plan.as_bytes(), Some("synthetic.txt")) {
        let (t, cpu, n) = time(|| tinhgon_extract::extract(&doc).tasks.len());
        println!(
            "{:<48} {:>8.2}ms {:>8.2}ms {n:>7}",
            "synthetic plan (extract only)",
            t.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e3
        );
    }
    if let Some(kib) = peak_rss_kib() {
        println!(
            "peak RSS (VmHWM) of the whole bench process: {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
}
