//! Test-only access to the real Nghệ An register copied into `data/nghe-an-2025/`
//! (compiled in with `include_str!`: the crate itself does no I/O).

use chrono::NaiveDate;

use crate::draft::AgencyRef;
use crate::import::{
    alias_rows_from_csv, merger_rows_from_csv, register_from_csv, unit_rows_from_csv, AliasRow,
    MergerRow, Register, UnitRow,
};
use crate::model::Id;

/// units.csv of the Nghệ An register.
pub const UNITS_CSV: &str = include_str!("../../../data/nghe-an-2025/units.csv");
/// mergers.csv of the Nghệ An register.
pub const MERGERS_CSV: &str = include_str!("../../../data/nghe-an-2025/mergers.csv");
/// aliases.csv of the Nghệ An register.
pub const ALIASES_CSV: &str = include_str!("../../../data/nghe-an-2025/aliases.csv");

/// Unit rows of a units.csv text.
pub fn unit_rows(text: &str) -> Vec<UnitRow> {
    unit_rows_from_csv(text).expect("units header")
}

/// Merger rows of a mergers.csv text.
pub fn merger_rows(text: &str) -> Vec<MergerRow> {
    merger_rows_from_csv(text).expect("mergers header")
}

/// Alias rows of an aliases.csv text.
pub fn alias_rows(text: &str) -> Vec<AliasRow> {
    alias_rows_from_csv(text).expect("aliases header")
}

/// The Nghệ An register, built.
pub fn nghe_an() -> Register {
    register_from_csv(UNITS_CSV, MERGERS_CSV, ALIASES_CSV).expect("the Nghệ An register is valid")
}

/// A calendar day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// An agency mention whose text is the name as written.
pub fn mention(text: &str) -> AgencyRef {
    AgencyRef {
        text: text.into(),
        name: text.into(),
        group: None,
    }
}

/// The first unit of `reg` with this name, current or not.
pub fn id_of(reg: &Register, name: &str) -> Id {
    reg.units.iter().find(|u| u.name == name).unwrap().id
}

/// The current unit of `reg` with this name.
pub fn current_id_of(reg: &Register, name: &str) -> Id {
    reg.units
        .iter()
        .find(|u| u.name == name && u.valid_to.is_none())
        .unwrap()
        .id
}
