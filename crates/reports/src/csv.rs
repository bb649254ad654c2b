//! CSV of the task rows: UTF-8 with BOM (so Excel reads Vietnamese), CRLF, dd/mm/yyyy dates.

use std::io::Write;

use crate::model::{short_date, TaskRow};
use crate::xlsx::TASK_COLUMNS;
use crate::{nfc, ReportError};

/// The UTF-8 byte-order mark Excel needs to detect the encoding.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes the header and the rows to `out`; returns the number of data rows.
pub fn write_tasks_csv<W, I>(rows: I, out: W) -> Result<u64, ReportError>
where
    W: Write,
    I: IntoIterator<Item = TaskRow>,
{
    let mut out = out;
    out.write_all(BOM)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    w.write_record(TASK_COLUMNS)?;
    let mut n: u64 = 0;
    for t in rows {
        n += 1;
        w.write_record([
            n.to_string(),
            nfc(&t.reference),
            nfc(&t.content),
            nfc(&t.lead),
            nfc(&t.coordinating),
            nfc(&t.deadline_text),
            t.due.map(short_date).unwrap_or_default(),
            t.class.label_vi().to_string(),
            t.completed_on.map(short_date).unwrap_or_default(),
            nfc(t.latest_progress.as_deref().unwrap_or("")),
        ])?;
    }
    w.flush()?;
    Ok(n)
}

/// The task rows as CSV bytes.
pub fn tasks_csv(rows: &[TaskRow]) -> Result<Vec<u8>, ReportError> {
    let mut buf = Vec::new();
    write_tasks_csv(rows.iter().cloned(), &mut buf)?;
    Ok(buf)
}
