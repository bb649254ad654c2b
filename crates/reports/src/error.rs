//! The crate's error type.

use thiserror::Error;

/// Errors while writing a report document.
#[derive(Debug, Error)]
pub enum ReportError {
    /// Packaging the DOCX (zip) failed.
    #[error("không đóng gói được tệp DOCX: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing to the output failed.
    #[error("không ghi được tệp báo cáo: {0}")]
    Io(#[from] std::io::Error),
    /// The XLSX writer refused the data.
    #[error("không tạo được tệp XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV writer failed.
    #[error("không tạo được tệp CSV: {0}")]
    Csv(#[from] csv::Error),
}
