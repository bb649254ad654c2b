//! Body of the urging notice (văn bản đôn đốc): a công văn to one unit about its overdue work.

use super::header::{national_header, recipients_and_signature};
use super::layout::{section_properties, Font, ParaFmt, Run, Xml, SZ_13, SZ_BODY, TEXT_W};
use super::table::{data_table, Cell, HeadCell};
use crate::model::{short_date, text_date, UrgingNotice};

/// The `<w:body>` content of an urging notice.
pub fn notice_body(n: &UrgingNotice, header_rel: &str, first_rel: &str) -> String {
    let mut x = Xml::new();
    national_header(&mut x, &n.header, Some(&n.header.subtitle));

    x.para(
        &ParaFmt::CENTER.before(360).after(240),
        &[
            Run::new("Kính gửi: ", Font::plain(SZ_BODY)),
            Run::new(format!("{}.", n.addressee.trim()), Font::plain(SZ_BODY)),
        ],
    );

    let date = n
        .plan_date
        .map(|d| format!(" ngày {}", text_date(d)))
        .unwrap_or_default();
    let about = if n.plan_title.trim().is_empty() {
        String::new()
    } else {
        format!(" về {}", n.plan_title.trim())
    };
    x.text(
        &ParaFmt::BODY,
        &format!(
            "Thực hiện Kế hoạch số {}{date} của {}{about}; qua theo dõi của {}, tính đến ngày {}, \
             {} còn {} nhiệm vụ đã quá thời hạn nhưng chưa hoàn thành, cụ thể như sau:",
            n.plan_number,
            n.plan_issuer,
            n.reporter.trim(),
            text_date(n.as_of),
            n.addressee.trim(),
            n.items.len()
        ),
        Font::plain(SZ_BODY),
    );

    let head = vec![vec![
        HeadCell::new("TT"),
        HeadCell::new("Nhiệm vụ"),
        HeadCell::new("Hạn hoàn thành"),
        HeadCell::new("Số ngày quá hạn"),
    ]];
    let rows: Vec<Vec<Cell>> = n
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            vec![
                Cell::center((i + 1).to_string()),
                Cell::left(format!("{}. {}", it.reference, it.content)),
                Cell::center(short_date(it.due)),
                Cell::center(it.days_overdue.to_string()),
            ]
        })
        .collect();
    let widths = [600, TEXT_W - 600 - 1500 - 1400, 1500, 1400];
    data_table(&mut x, &widths, &head, &rows, SZ_13);
    x.text(&ParaFmt::LEFT.after(120), "", Font::plain(SZ_13));

    if !n.request.trim().is_empty() {
        x.text(&ParaFmt::BODY, n.request.trim(), Font::plain(SZ_BODY));
    }
    x.text(
        &ParaFmt::BODY,
        &format!(
            "Đề nghị {} báo cáo kết quả thực hiện, nguyên nhân chậm trễ (nếu có) về {} trước ngày {} \
             để tổng hợp, báo cáo {}./.",
            n.addressee.trim(),
            n.reporter.trim(),
            text_date(n.report_by),
            n.plan_issuer
        ),
        Font::plain(SZ_BODY),
    );
    recipients_and_signature(&mut x, &n.header);
    x.raw(&section_properties(
        false,
        true,
        &[("default", header_rel), ("first", first_rel)],
    ));
    x.into_string()
}
