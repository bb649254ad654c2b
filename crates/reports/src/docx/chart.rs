//! The comparison chart: a native DrawingML bar chart (previous period vs this period per status
//! class), so Word and LibreOffice draw it themselves and no image library is needed.

use super::layout::escape;
use crate::model::{ClassCounts, StatusClass};

/// Relationship id of the chart part from the document.
pub const CHART_REL: &str = "rIdChart1";
/// Part name of the chart.
pub const CHART_PART: &str = "word/charts/chart1.xml";

/// Chart size: 15.5 cm × 8 cm in EMU.
const CX: u64 = 5_580_000;
const CY: u64 = 2_880_000;

/// The inline drawing that places the chart in a centred paragraph.
pub fn chart_paragraph() -> String {
    format!(
        "<w:p><w:pPr><w:keepLines/><w:spacing w:before=\"120\" w:after=\"120\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
<wp:extent cx=\"{CX}\" cy=\"{CY}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
<wp:docPr id=\"1\" name=\"Biểu đồ so sánh\"/><wp:cNvGraphicFramePr/>\
<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">\
<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"{CHART_REL}\"/>\
</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

fn series(idx: usize, col: char, name: &str, counts: &ClassCounts, colour: &str) -> String {
    let n = StatusClass::ALL.len();
    let mut cats = String::new();
    let mut vals = String::new();
    for (i, class) in StatusClass::ALL.iter().enumerate() {
        cats.push_str(&format!(
            "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>",
            escape(class.label_vi())
        ));
        vals.push_str(&format!(
            "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>",
            counts.get(*class)
        ));
    }
    // References point into a notional sheet; the caches carry the data, which is what both
    // Word and LibreOffice draw from when no workbook is embedded.
    format!(
        "<c:ser><c:idx val=\"{idx}\"/><c:order val=\"{idx}\"/>\
<c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>\
<c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>\
<c:dLbls><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>\
<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>\
<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f><c:strCache><c:ptCount val=\"{n}\"/>{cats}</c:strCache></c:strRef></c:cat>\
<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${last}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"{n}\"/>{vals}</c:numCache></c:numRef></c:val>\
</c:ser>",
        name = escape(name),
        last = n + 1,
    )
}

/// A value-axis step giving about five gridlines: 1, 2 or 5 times a power of ten.
fn nice_step(max: u32) -> u32 {
    let rough = (max / 5).max(1);
    let mut pow = 1u32;
    while pow.saturating_mul(10) <= rough {
        pow *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * pow)
        .find(|step| *step >= rough)
        .unwrap_or(rough)
}

/// The chart part: horizontal bars so the Vietnamese class labels fit on the left.
pub fn chart_xml(prev_label: &str, prev: &ClassCounts, label: &str, now: &ClassCounts) -> String {
    let font = "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1100\">\
<a:latin typeface=\"Times New Roman\"/><a:cs typeface=\"Times New Roman\"/></a:defRPr></a:pPr>\
<a:endParaRPr lang=\"vi-VN\"/></a:p></c:txPr>";
    format!(
        "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<c:roundedCorners val=\"0\"/><c:chart><c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/>\
<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>\
{s1}{s2}<c:gapWidth val=\"60\"/><c:axId val=\"501\"/><c:axId val=\"502\"/></c:barChart>\
<c:catAx><c:axId val=\"501\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling><c:delete val=\"0\"/>\
<c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>\
<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>{font}<c:crossAx val=\"502\"/><c:crosses val=\"autoZero\"/>\
<c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
<c:valAx><c:axId val=\"502\"/><c:scaling><c:orientation val=\"minMax\"/><c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/>\
<c:axPos val=\"t\"/><c:majorGridlines><c:spPr><a:ln w=\"3175\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>\
<c:numFmt formatCode=\"0\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/>\
<c:tickLblPos val=\"nextTo\"/>{font}<c:crossAx val=\"501\"/><c:crosses val=\"max\"/><c:crossBetween val=\"between\"/><c:majorUnit val=\"{step}\"/></c:valAx>\
</c:plotArea><c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>{font}</c:legend><c:plotVisOnly val=\"1\"/>\
<c:dispBlanksAs val=\"gap\"/></c:chart><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{font}</c:chartSpace>",
        step = nice_step(
            StatusClass::ALL
                .iter()
                .map(|c| prev.get(*c).max(now.get(*c)))
                .max()
                .unwrap_or(0)
        ),
        s1 = series(0, 'B', prev_label, prev, "A6A6A6"),
        s2 = series(1, 'C', label, now, "2F5597"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(8), 1);
        assert_eq!(nice_step(12), 2);
        assert_eq!(nice_step(130), 50);
        assert_eq!(nice_step(1000), 200);
    }

    #[test]
    fn chart_carries_both_series_and_all_classes() {
        let prev = ClassCounts::from_classes([StatusClass::Overdue]);
        let now = ClassCounts::from_classes([StatusClass::DoneOnTime, StatusClass::DoneOnTime]);
        let xml = chart_xml("Quý III/2025", &prev, "Quý IV/2025", &now);
        assert_eq!(xml.matches("<c:ser>").count(), 2);
        assert_eq!(xml.matches("<c:pt idx=\"6\">").count(), 4);
        assert!(xml.contains("<c:v>Quý IV/2025</c:v>"));
        assert!(xml.contains("<c:pt idx=\"0\"><c:v>2</c:v></c:pt>"));
    }
}
