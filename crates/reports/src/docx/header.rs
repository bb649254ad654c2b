//! The parts every state document shares: the two-column national header, the title block,
//! and the recipients + signature block (Nghị định 30/2020/NĐ-CP, Phụ lục I).

use super::layout::{Font, ParaFmt, Xml, SZ_11, SZ_12, SZ_13, SZ_BODY, TEXT_W};
use super::table::layout_table;
use crate::model::ReportHeader;

/// Width of the issuer column of the header table.
const ISSUER_W: u32 = 3600;
/// Width of the national-title column.
const NATION_W: u32 = TEXT_W - ISSUER_W;
/// Cell margins of layout tables (left + right).
const CELL_PAD: u32 = 114;

/// National title (quốc hiệu).
pub const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Motto (tiêu ngữ).
pub const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";

/// Upper-cases a line the way the decree prints issuer and capacity lines.
fn caps(text: &str) -> String {
    text.trim().to_uppercase()
}

/// The two-column borderless header. For a công văn (`summary_left`), the "V/v …" summary
/// goes under the number in the left column.
pub fn national_header(x: &mut Xml, h: &ReportHeader, summary_left: Option<&str>) {
    let mut left = Xml::new();
    left.text(
        &ParaFmt::CENTER,
        &caps(&h.issuer_parent),
        Font::plain(SZ_13),
    );
    left.text(&ParaFmt::CENTER, &caps(&h.issuer), Font::bold(SZ_13));
    // The rule under the issuer is a third to a half of the issuer line.
    left.rule(ISSUER_W - CELL_PAD, 1100);
    left.text(
        &ParaFmt::CENTER.before(160),
        &format!("Số: {}", h.number.trim_end()),
        Font::plain(SZ_13),
    );
    if let Some(summary) = summary_left {
        left.text(
            &ParaFmt::CENTER.before(60),
            &format!("V/v {}", summary.trim().trim_start_matches("V/v").trim()),
            Font::plain(SZ_12),
        );
    }

    let mut right = Xml::new();
    right.text(&ParaFmt::CENTER, QUOC_HIEU, Font::bold(SZ_12));
    right.text(&ParaFmt::CENTER, TIEU_NGU, Font::bold(SZ_13));
    // The rule under the motto is as long as the motto.
    right.rule(NATION_W - CELL_PAD, 3250);
    right.text(
        &ParaFmt::CENTER.before(160),
        &h.date_line(),
        Font::italic(SZ_BODY),
    );

    layout_table(
        x,
        &[ISSUER_W, NATION_W],
        &[left.into_string(), right.into_string()],
    );
}

/// Kind name and summary, centred bold, with a short rule under them.
pub fn title_block(x: &mut Xml, kind: &str, summary: &str) {
    x.text(
        &ParaFmt::CENTER.before(360).keep_next(),
        &caps(kind),
        Font::bold(SZ_BODY),
    );
    for line in summary.lines().filter(|l| !l.trim().is_empty()) {
        x.text(
            &ParaFmt::CENTER.keep_next(),
            line.trim(),
            Font::bold(SZ_BODY),
        );
    }
    x.rule(TEXT_W, 1800);
    x.text(&ParaFmt::CENTER.after(120), "", Font::plain(SZ_BODY));
}

/// "Nơi nhận:" on the left, the signature on the right, in a borderless table.
pub fn recipients_and_signature(x: &mut Xml, h: &ReportHeader) {
    let mut left = Xml::new();
    left.text(
        &ParaFmt::LEFT.before(120),
        "Nơi nhận:",
        Font::bold_italic(SZ_12),
    );
    let count = h.recipients.len();
    for (i, r) in h.recipients.iter().enumerate() {
        let r = r.trim().trim_start_matches('-').trim();
        let r = r.trim_end_matches([';', '.']);
        let end = if i + 1 == count { "." } else { ";" };
        left.text(&ParaFmt::LEFT, &format!("- {r}{end}"), Font::plain(SZ_11));
    }

    let mut right = Xml::new();
    for (i, line) in h.signer.capacity.iter().enumerate() {
        let fmt = if i == 0 {
            ParaFmt::CENTER.before(120)
        } else {
            ParaFmt::CENTER
        };
        right.text(&fmt.keep_next(), &caps(line), Font::bold(SZ_BODY));
    }
    // Room for the signature and the seal.
    for _ in 0..4 {
        right.text(&ParaFmt::CENTER.keep_next(), "", Font::plain(SZ_BODY));
    }
    right.text(&ParaFmt::CENTER, h.signer.name.trim(), Font::bold(SZ_BODY));

    layout_table(
        x,
        &[4300, TEXT_W - 4300],
        &[left.into_string(), right.into_string()],
    );
}
