//! Duties written to the heads of bodies ("Cục trưởng các Cục: …", "Giám đốc Sở …",
//! "Thủ trưởng các đơn vị …") are the bodies' duties: the register holds bodies, not
//! office holders.

use std::borrow::Cow;

use once_cell::sync::Lazy;
use regex::Regex;

static HEADS_OF_MANY: Lazy<Option<Regex>> =
    Lazy::new(|| Regex::new(r"(?:(?:Cục|Vụ)\s+trưởng\s+)?(?:các|Các)\s+(Cục|Vụ)\s*:\s*").ok());
/// "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền" / "UBND 04 xã: …": one committee per
/// place named.
static COMMITTEES_OF_PLACES: Lazy<Option<Regex>> = Lazy::new(|| {
    Regex::new(
        r"(Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?:các|\d{1,2})\s+(xã|phường|huyện|tỉnh)\s*:\s*",
    )
    .ok()
});
static LIST_NUMBER: Lazy<Option<Regex>> =
    Lazy::new(|| Regex::new(r"(^|[;,]\s*)\(\d{1,2}\)\s+").ok());
static HEAD_OF_ONE: Lazy<Option<Regex>> = Lazy::new(|| {
    Regex::new(
        r"(?:^|\b)(?:(?:Cục trưởng|Vụ trưởng|Tổng Giám đốc|Giám đốc|Viện trưởng|Chánh Văn phòng|Chánh Thanh tra)\s+((?:Cục|Vụ|Sở|Trung tâm|Văn phòng|Thanh tra|Viện|Ban|Đài|Kho bạc|Bảo hiểm|Công ty|Bệnh viện)\s)|Thủ trưởng\s+(các\s+(?:cơ quan|đơn vị)\s))",
    )
    .ok()
});

/// A duty written to the heads of bodies is the bodies' duty: "Cục trưởng các Cục: Di
/// sản văn hóa, Bản quyền tác giả" names "Cục Di sản văn hóa" and "Cục Bản quyền tác
/// giả"; "Giám đốc Sở Tài chính" names "Sở Tài chính".
pub(crate) fn bodies_for_titles(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if let Some(re) = HEADS_OF_MANY.as_ref() {
        if let Some(c) = re.captures(&out) {
            let (Some(all), Some(noun)) = (c.get(0), c.get(1)) else {
                return out;
            };
            let noun = noun.as_str().to_string();
            let rest = &out[all.end()..];
            // The list runs to the end of its sentence.
            let (list, after) = match rest.find(". ") {
                Some(i) => (&rest[..i], &rest[i + 2..]),
                None => (rest, ""),
            };
            let mut s = out[..all.start()].to_string();
            // A list that separates its names with ";" keeps the commas inside them
            // ("Xuất bản, In và Phát hành"); a name that brings its own head noun ("Vụ
            // Kế hoạch, Tài chính") is not one of the list's.
            let seps: &[char] = if list.contains(';') {
                &[';']
            } else {
                &[',', ';']
            };
            let items: Vec<String> = list
                .split(seps)
                .map(|i| i.trim().trim_end_matches('.'))
                .filter(|i| !i.is_empty())
                .map(|i| {
                    if ["Cục ", "Vụ ", "Văn phòng ", "Trung tâm ", "Thanh tra "]
                        .iter()
                        .any(|h| i.starts_with(h))
                    {
                        i.to_string()
                    } else {
                        format!("{noun} {i}")
                    }
                })
                .collect();
            s.push_str(&items.join("; "));
            if !after.is_empty() {
                s.push_str("; ");
                s.push_str(after);
            }
            out = Cow::Owned(s);
        }
    }
    if let Some(re) = COMMITTEES_OF_PLACES.as_ref() {
        if let Some(c) = re.captures(&out) {
            let (Some(all), Some(body), Some(level)) = (c.get(0), c.get(1), c.get(2)) else {
                return out;
            };
            let head = format!("{} {}", body.as_str(), level.as_str());
            let rest = &out[all.end()..];
            let (list, after) = match rest.find(['.', ';']) {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            let items: Vec<String> = list
                .split(',')
                .flat_map(|i| i.split(" và "))
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(|i| format!("{head} {i}"))
                .collect();
            // Place names are capitalised; anything else is not such a list.
            if !items.is_empty()
                && list
                    .split(',')
                    .all(|i| i.trim().starts_with(char::is_uppercase))
            {
                let mut s = out[..all.start()].to_string();
                s.push_str(&items.join("; "));
                s.push_str(after);
                out = Cow::Owned(s);
            }
        }
    }
    if let Some(re) = HEAD_OF_ONE.as_ref() {
        if re.is_match(&out) {
            out = Cow::Owned(re.replace_all(&out, "$1$2").into_owned());
        }
    }
    // "(1) Giám đốc …, (2) Cục trưởng …": the numbers only order the list.
    if let Some(re) = LIST_NUMBER.as_ref() {
        if re.is_match(&out) {
            out = Cow::Owned(re.replace_all(&out, "$1").into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_of_bodies_name_the_bodies() {
        assert_eq!(
            bodies_for_titles("Cục trưởng các Cục: Di sản văn hóa, Bản quyền tác giả"),
            "Cục Di sản văn hóa; Cục Bản quyền tác giả"
        );
        assert_eq!(
            bodies_for_titles("(1) Giám đốc Trung tâm Chuyển đổi số, (2) Cục trưởng Cục Báo chí"),
            "Trung tâm Chuyển đổi số, Cục Báo chí"
        );
        assert_eq!(
            bodies_for_titles("Thủ trưởng các đơn vị có hệ thống thông tin"),
            "các đơn vị có hệ thống thông tin"
        );
        assert_eq!(
            bodies_for_titles("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền và Tân Phú Đông"),
            "Ủy ban nhân dân xã Gia Thuận; Ủy ban nhân dân xã Tân Điền; Ủy ban nhân dân xã Tân Phú Đông"
        );
        // A head named without a body after the title stays as written.
        assert_eq!(bodies_for_titles("Giám đốc các sở"), "Giám đốc các sở");
    }
}
