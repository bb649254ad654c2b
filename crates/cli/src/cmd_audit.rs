//! `tinhgon audit verify`: recomputes the audit log's hash chain and names the first broken row.

use anyhow::Context;

/// Returns the process exit code: 0 intact, 1 tampered.
pub fn verify(db: &str) -> anyhow::Result<i32> {
    let rt = tokio::runtime::Runtime::new().context("không khởi động được bộ thực thi")?;
    rt.block_on(async move {
        let store = tinhgon_store::Db::connect(db).await?;
        let v = tinhgon_store::audit::verify(&store).await?;
        match v.broken {
            None => {
                println!("Nhật ký toàn vẹn: {} dòng, chuỗi băm khớp.", v.rows);
                Ok(0)
            }
            Some((id, why)) => {
                println!(
                    "PHÁT HIỆN SỬA ĐỔI tại dòng {id}: {why} (đã kiểm {} dòng).",
                    v.rows
                );
                Ok(1)
            }
        }
    })
}
