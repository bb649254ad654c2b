//! The group kind of a collective mention ("các sở, ban, ngành", "UBND các xã").

use tinhgon_domain::GroupKind;
use tinhgon_textkit::fold;

use super::collapse_spaces;

/// The group kind of a collective mention, if it is one.
pub fn group_kind(name: &str) -> Option<GroupKind> {
    let f = format!(" {} ", fold(name).replace([',', ';', '(', ')'], " "));
    let f = collapse_spaces(&f);
    let f = format!(" {f} ");
    let plural = f.contains(" cac ") || f.contains(" cap ");
    if f.contains(" don vi su nghiep") && plural {
        return Some(GroupKind::PublicServiceUnits);
    }
    if f.contains(" chi cuc ") && plural {
        return Some(GroupKind::SubDepartments);
    }
    if f.contains(" cac phong ")
        || f.contains(" cac co quan chuyen mon thuoc uy ban nhan dan huyen")
    {
        return Some(GroupKind::SpecializedOffices);
    }
    let commune = [
        " cac xa ",
        " cap xa ",
        " xa phuong ",
        " xa thi tran ",
        " cac phuong ",
        " cac dac khu ",
        " xa phuong dac khu ",
    ];
    if commune.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Communes);
    }
    let district = [
        " cac huyen ",
        " cap huyen ",
        " huyen thanh pho ",
        " huyen thi xa ",
    ];
    if district.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Districts);
    }
    let departments = [
        " cac so ",
        " so ban nganh ",
        " so nganh ",
        " cac ban nganh ",
        " cac nganh ",
        " cac co quan chuyen mon thuoc uy ban nhan dan tinh ",
        " cac co quan chuyen mon ",
    ];
    if departments.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Departments);
    }
    let unspecified = [
        " cac co quan ",
        " cac dia phuong ",
        " cac don vi ",
        " cac to chuc ",
        " co quan don vi ",
        " co quan lien quan ",
        " don vi lien quan ",
        " cac doanh nghiep ",
    ];
    if unspecified.iter().any(|c| f.contains(c)) {
        return Some(GroupKind::Unspecified);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agency::agency;

    #[test]
    fn groups_are_recognised() {
        let g = |s: &str| agency(s).and_then(|a| a.group);
        assert_eq!(g("Các Sở, ngành"), Some(GroupKind::Departments));
        assert_eq!(
            g("Giám đốc các sở, ban, ngành"),
            Some(GroupKind::Departments)
        );
        assert_eq!(g("UBND các xã, phường"), Some(GroupKind::Communes));
        assert_eq!(g("UBND cấp xã"), Some(GroupKind::Communes));
        assert_eq!(g("Chủ tịch UBND các xã, phường"), Some(GroupKind::Communes));
        assert_eq!(g("UBND các xã, thị trấn"), Some(GroupKind::Communes));
        assert_eq!(
            g("UBND các huyện, thành phố, thị xã"),
            Some(GroupKind::Districts)
        );
        assert_eq!(
            g("các đơn vị sự nghiệp công lập thuộc UBND tỉnh"),
            Some(GroupKind::PublicServiceUnits)
        );
        assert_eq!(
            g("các Chi cục và tương đương thuộc Sở"),
            Some(GroupKind::SubDepartments)
        );
        assert_eq!(
            g("các phòng chuyên môn"),
            Some(GroupKind::SpecializedOffices)
        );
        assert_eq!(
            g("các cơ quan, đơn vị liên quan"),
            Some(GroupKind::Unspecified)
        );
        assert_eq!(
            g("Các địa phương, cơ quan, đơn vị"),
            Some(GroupKind::Unspecified)
        );
        assert_eq!(g("Sở Nội vụ"), None);
        assert_eq!(g("Ban Tổ chức Tỉnh ủy"), None);
    }
}
