//! `tinhgon registry update FILE …`: a province's register updated from a newer file (CSV or
//! XLSX). `--dry-run` prints the differences and writes nothing; otherwise the differences
//! chosen (all, or those named with `--only`) are applied with the deciding document.

use std::path::PathBuf;

use anyhow::Context;
use tinhgon_app::register_update::{self, ApplyForm};
use tinhgon_app::units::Actor;
use tinhgon_store::Db;

/// Arguments of `tinhgon registry update`.
#[derive(clap::Args)]
pub struct UpdateArgs {
    /// Tệp danh mục mới (.csv với các cột của units.csv, hoặc .xlsx).
    file: PathBuf,
    /// Số văn bản quyết định (bắt buộc khi cập nhật).
    #[arg(long, default_value = "")]
    decision: String,
    /// Ngày ban hành văn bản (YYYY-MM-DD hoặc dd/mm/yyyy).
    #[arg(long, default_value = "")]
    decision_date: String,
    /// Ngày hiệu lực của việc chuyển và chấm dứt đơn vị (mặc định: ngày ban hành; xem trước: hôm nay).
    #[arg(long, default_value = "")]
    effective: String,
    /// Chỉ áp dụng các thay đổi có mã này (mã in ra khi --dry-run; có thể ghi nhiều lần).
    #[arg(long = "only")]
    only: Vec<String>,
    /// Chỉ in các khác biệt, không ghi gì.
    #[arg(long)]
    dry_run: bool,
    /// Tỉnh (bỏ trống khi cơ sở dữ liệu chỉ có một tỉnh).
    #[arg(long)]
    province: Option<String>,
    /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://.
    #[arg(long, env = "TINHGON_DB", default_value = "tinhgon.db")]
    db: String,
}

/// Runs the command.
pub async fn run(a: UpdateArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&a.file)
        .with_context(|| format!("không đọc được tệp {}", a.file.display()))?;
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let rows = register_update::file::read(&name, &bytes)?;
    let db = Db::connect(&a.db).await?;
    let province = tinhgon_app::units::province(&db, a.province.as_deref()).await?;
    let op = std::env::var("USER").ok();
    let actor = Actor::Operator(op.as_deref());
    let day = if a.effective.trim().is_empty() && !a.dry_run {
        a.decision_date.clone()
    } else {
        a.effective.clone()
    };
    let pv = register_update::preview(&db, actor, province, &rows, &day).await?;
    if pv.changes.is_empty() {
        println!(
            "Tệp không có khác biệt nào so với danh mục đang có hiệu lực của {}.",
            pv.province
        );
        db.close().await;
        return Ok(());
    }
    println!(
        "{} khác biệt với danh mục của {}:",
        pv.changes.len(),
        pv.province
    );
    for c in &pv.changes {
        let line = c.line.map(|l| format!(", dòng {l}")).unwrap_or_default();
        println!(
            "  [{}] {}: {} (hiệu lực {}{line})",
            c.key, c.label, c.text, c.effective
        );
    }
    for w in &pv.warnings {
        println!("Lưu ý: {w}");
    }
    if a.dry_run {
        println!("Chạy thử: không có gì được ghi.");
        db.close().await;
        return Ok(());
    }
    let changes = if a.only.is_empty() {
        pv.changes.iter().map(|c| c.key.clone()).collect()
    } else {
        a.only
    };
    let form = ApplyForm {
        changes,
        effective: a.effective,
        decision: a.decision,
        decision_date: a.decision_date,
    };
    let done = register_update::apply(&db, actor, province, &rows, &form).await?;
    println!("{}", done.message);
    db.close().await;
    Ok(())
}
