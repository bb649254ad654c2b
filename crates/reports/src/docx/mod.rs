//! DOCX writer in the state layout of Nghị định 30/2020/NĐ-CP.
//!
//! The WordprocessingML is written directly (see [`layout`] for why); this module packages the
//! parts into the zip container.

mod chart;
pub mod header;
pub mod layout;
mod notice;
mod report;
mod staffing;
pub mod table;

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::model::{AggregatedReport, ReportHeader, UrgingNotice};
use crate::staffing::StaffingReport;
use crate::ReportError;
use chart::{CHART_PART, CHART_REL};
use layout::{escape, SZ_13};

pub use report::{percent, state_text};
pub use staffing::{section as staffing_section, Headings};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const CHART_OVERRIDE: &str = "<Override PartName=\"/word/charts/chart1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Relationship id of the page-number header.
const HEADER_REL: &str = "rIdHeader";
/// Relationship id of the empty first-page header.
const FIRST_REL: &str = "rIdFirst";

/// The aggregated report as a DOCX file.
pub fn aggregated_report_docx(r: &AggregatedReport) -> Result<Vec<u8>, ReportError> {
    let body = report::report_body(r, HEADER_REL, FIRST_REL);
    let chart = r.previous.as_ref().map(|prev| {
        let prev_label = r.previous_label.as_deref().unwrap_or("Kỳ trước");
        chart::chart_xml(
            &report::capitalize(prev_label),
            prev,
            &report::capitalize(&r.period_label),
            &r.totals,
        )
    });
    package(&r.header, &r.header.subtitle, &body, chart)
}

/// The staffing report as a DOCX file.
pub fn staffing_report_docx(r: &StaffingReport) -> Result<Vec<u8>, ReportError> {
    let body = staffing::report_body(r, HEADER_REL, FIRST_REL);
    package(&r.header, &r.header.subtitle, &body, None)
}

/// The urging notice as a DOCX file.
pub fn urging_notice_docx(n: &UrgingNotice) -> Result<Vec<u8>, ReportError> {
    let body = notice::notice_body(n, HEADER_REL, FIRST_REL);
    package(&n.header, &n.header.subtitle, &body, None)
}

const CONTENT_TYPES: &str = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/charts/chart1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

fn document_rels(with_chart: bool) -> String {
    let chart = if with_chart {
        format!(
            "<Relationship Id=\"{CHART_REL}\" Type=\"{R_NS}/chart\" Target=\"charts/chart1.xml\"/>"
        )
    } else {
        String::new()
    };
    format!(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"{R_NS}/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"{R_NS}/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"{HEADER_REL}\" Type=\"{R_NS}/header\" Target=\"header1.xml\"/>\
<Relationship Id=\"{FIRST_REL}\" Type=\"{R_NS}/header\" Target=\"header2.xml\"/>\
{chart}</Relationships>"
    )
}

/// Times New Roman 14 pt everywhere by default, Vietnamese language for proofing.
fn styles() -> String {
    format!(
        "<w:styles xmlns:w=\"{W_NS}\"><w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>"
    )
}

fn settings() -> String {
    format!(
        "<w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>"
    )
}

/// Page number centred at the top (Nghị định 30: from page 2, 13–14 pt).
fn page_number_header() -> String {
    format!(
        "<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:rPr><w:sz w:val=\"{SZ_13}\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"{SZ_13}\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:rPr><w:sz w:val=\"{SZ_13}\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"{SZ_13}\"/></w:rPr><w:t>2</w:t></w:r>\
<w:r><w:rPr><w:sz w:val=\"{SZ_13}\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>"
    )
}

fn empty_header() -> String {
    format!("<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p/></w:hdr>")
}

fn core_props(h: &ReportHeader, title: &str) -> String {
    let date = h.date.format("%Y-%m-%dT00:00:00Z");
    format!(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>vi-VN</dc:language>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        escape(title),
        escape(&h.issuer)
    )
}

const APP_PROPS: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>tinhgon</Application></Properties>";

/// Zips the parts. Timestamps are fixed so the same input gives the same bytes.
fn package(
    h: &ReportHeader,
    title: &str,
    body: &str,
    chart: Option<String>,
) -> Result<Vec<u8>, ReportError> {
    let document = format!(
        "<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\" xmlns:wp=\"{WP_NS}\"><w:body>{body}</w:body></w:document>"
    );
    let mut content_types = CONTENT_TYPES.to_string();
    if chart.is_none() {
        content_types = content_types.replace(CHART_OVERRIDE, "");
    }
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/document.xml", document),
        (
            "word/_rels/document.xml.rels",
            document_rels(chart.is_some()),
        ),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/header1.xml", page_number_header()),
        ("word/header2.xml", empty_header()),
        ("docProps/core.xml", core_props(h, title)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, xml) in parts.iter() {
        zip.start_file(*name, opts)?;
        zip.write_all(XML_DECL.as_bytes())?;
        zip.write_all(xml.as_bytes())?;
    }
    if let Some(chart) = chart {
        zip.start_file(CHART_PART, opts)?;
        zip.write_all(XML_DECL.as_bytes())?;
        zip.write_all(chart.as_bytes())?;
    }
    zip.start_file("docProps/app.xml", opts)?;
    zip.write_all(XML_DECL.as_bytes())?;
    zip.write_all(APP_PROPS.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
