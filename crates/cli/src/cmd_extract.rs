//! `tinhgon extract FILE [--json|--table]`: reads a plan (a document, or a task spreadsheet
//! .xlsx/.csv) and prints what was extracted.
//! Exit code 0 on success, 2 on unusable input (one Vietnamese line on stderr).

use std::io::Write;
use std::path::Path;

use tinhgon_domain::{AgencyRef, DeadlineKind, DocumentKind, PlanDraft};

/// Runs the command and returns the process exit code.
pub fn run(file: &Path, table: bool) -> i32 {
    let draft = match read(file) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("lỗi: {}: {e}", file.display());
            return 2;
        }
    };
    let out = if table {
        render_table(&draft)
    } else {
        match serde_json::to_string_pretty(&draft) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("lỗi: không tạo được JSON: {e}");
                return 2;
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes());
    0
}

/// The draft of a spreadsheet or of a document, as the import would make it.
fn read(file: &Path) -> Result<PlanDraft, String> {
    let name = file.file_name().and_then(|n| n.to_str());
    let by_name = name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.ends_with(".xlsx") || n.ends_with(".csv")
    });
    if by_name {
        let len = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
        tinhgon_ingest::check_size(len, tinhgon_ingest::DEFAULT_LIMIT)
            .map_err(|e| e.to_string())?;
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        return tinhgon_extract::sheet::extract_sheet_bytes(&bytes, name)
            .map(|p| p.draft)
            .map_err(|e| e.to_string());
    }
    let doc = tinhgon_ingest::read_file(file, tinhgon_ingest::DEFAULT_LIMIT)
        .map_err(|e| e.to_string())?;
    Ok(tinhgon_extract::extract(&doc))
}

fn kind_name(k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::Plan => "Kế hoạch",
        DocumentKind::Program => "Chương trình",
        DocumentKind::Resolution => "Nghị quyết",
        DocumentKind::Conclusion => "Kết luận",
        DocumentKind::Decision => "Quyết định",
        DocumentKind::Directive => "Chỉ thị",
        DocumentKind::Notice => "Thông báo",
        DocumentKind::OfficialLetter => "Công văn",
        DocumentKind::Scheme => "Đề án",
        DocumentKind::Decree => "Nghị định",
        DocumentKind::Circular => "Thông tư",
        DocumentKind::Law => "Luật",
        DocumentKind::Regulation => "Quy định",
        DocumentKind::Guidance => "Hướng dẫn",
        DocumentKind::Other => "Khác",
    }
}

/// Cuts text to `width` characters (an ellipsis marks the cut) and pads it.
fn cell(text: &str, width: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = flat.chars().count();
    if n > width {
        let cut: String = flat.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        format!("{flat}{}", " ".repeat(width - n))
    }
}

fn agencies(list: &[AgencyRef]) -> String {
    list.iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn deadline_text(d: &tinhgon_domain::Deadline) -> String {
    let base = if d.text.is_empty() {
        "—".to_string()
    } else {
        d.text.clone()
    };
    match (d.kind, d.due) {
        (DeadlineKind::By, Some(due)) => format!("{}: {base}", due.format("%d/%m/%Y")),
        _ => base,
    }
}

/// The readable Vietnamese table.
pub fn render_table(p: &PlanDraft) -> String {
    let d = &p.document;
    let mut s = String::new();
    let none = "—".to_string();
    let line = |s: &mut String, k: &str, v: String| s.push_str(&format!("{k:<19}{v}\n"));
    line(
        &mut s,
        "Số:",
        d.number.clone().unwrap_or_else(|| none.clone()),
    );
    line(
        &mut s,
        "Loại văn bản:",
        d.kind
            .map_or_else(|| none.clone(), |k| kind_name(k).to_string()),
    );
    line(
        &mut s,
        "Cơ quan ban hành:",
        d.issuer.clone().unwrap_or_else(|| none.clone()),
    );
    let date = match (&d.place, d.date) {
        (Some(p), Some(dt)) => format!("{p}, {}", dt.format("%d/%m/%Y")),
        (None, Some(dt)) => dt.format("%d/%m/%Y").to_string(),
        _ => none.clone(),
    };
    line(&mut s, "Ngày:", date);
    line(
        &mut s,
        "Trích yếu:",
        d.title.clone().unwrap_or_else(|| none.clone()),
    );
    if let Some(signer) = &d.signer {
        let who = [
            signer.capacity.join(" / "),
            signer.name.clone().unwrap_or_default(),
        ]
        .join(" — ");
        line(&mut s, "Người ký:", who);
    }
    if !d.legal_bases.is_empty() {
        let bases: Vec<String> = d
            .legal_bases
            .iter()
            .map(|b| b.number.clone().unwrap_or_else(|| b.text.clone()))
            .collect();
        line(&mut s, "Căn cứ:", bases.join(", "));
    }
    s.push_str(&format!("\nNhiệm vụ ({}):\n", p.tasks.len()));
    let widths = [9, 44, 26, 26, 38];
    let head = ["Mục", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"];
    let row = |cols: [String; 5]| -> String {
        let parts: Vec<String> = cols.iter().zip(widths).map(|(c, w)| cell(c, w)).collect();
        format!("{}\n", parts.join(" | ").trim_end())
    };
    s.push_str(&row(head.map(str::to_string)));
    s.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    );
    s.push('\n');
    for t in &p.tasks {
        s.push_str(&row([
            t.reference.clone(),
            t.content.clone(),
            agencies(&t.lead),
            agencies(&t.coordinating),
            deadline_text(&t.deadline),
        ]));
    }
    if !p.targets.is_empty() {
        s.push_str(&format!("\nChỉ tiêu ({}):\n", p.targets.len()));
        for t in &p.targets {
            let pct = t.percent.map(|x| format!("{x}% ")).unwrap_or_default();
            let task = t
                .task_ref
                .as_ref()
                .map(|r| format!(" [nhiệm vụ {r}]"))
                .unwrap_or_default();
            s.push_str(&format!("- {pct}{}{task}\n", t.text));
        }
    }
    if !p.warnings.is_empty() {
        s.push_str(&format!("\nCảnh báo ({}):\n", p.warnings.len()));
        for w in &p.warnings {
            s.push_str(&format!("- {w}\n"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_by_characters() {
        assert_eq!(cell("Sở Nội vụ", 12), "Sở Nội vụ   ");
        assert_eq!(cell("Sở Văn hóa, Thể thao và Du lịch", 10), "Sở Văn hó…");
    }
}
