//! Enum columns decoded at the boundary: a row struct declares a status column as
//! `Stored<Status>` (or `Option<Stored<Status>>` when it may be NULL), and a stored name the
//! domain does not know fails the read itself, instead of travelling on as a string to be
//! parsed later.

use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Postgres, Sqlite, Type};
use tinhgon_domain::class::StatusClass;
use tinhgon_domain::user::Role;
use tinhgon_domain::{DeadlineKind, Status};

/// A domain enum stored as its snake_case name in a text column.
pub trait StoredEnum: Sized {
    /// What the column holds, in Vietnamese, for the error about an unknown name.
    const WHAT: &'static str;
    /// The value of a stored name.
    fn from_stored(name: &str) -> Option<Self>;
}

impl StoredEnum for Status {
    const WHAT: &'static str = "trạng thái";
    fn from_stored(name: &str) -> Option<Status> {
        Status::parse(name)
    }
}

impl StoredEnum for StatusClass {
    const WHAT: &'static str = "lớp trạng thái";
    fn from_stored(name: &str) -> Option<StatusClass> {
        StatusClass::parse(name)
    }
}

impl StoredEnum for DeadlineKind {
    const WHAT: &'static str = "loại thời hạn";
    fn from_stored(name: &str) -> Option<DeadlineKind> {
        crate::util::parse_enum(name).ok()
    }
}

impl StoredEnum for Role {
    const WHAT: &'static str = "vai trò";
    fn from_stored(name: &str) -> Option<Role> {
        Role::parse(name)
    }
}

/// A column holding a [`StoredEnum`], decoded on read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored<T>(pub T);

fn decode_name<T: StoredEnum>(name: &str) -> Result<Stored<T>, BoxDynError> {
    T::from_stored(name)
        .map(Stored)
        .ok_or_else(|| format!("{} không hợp lệ trong cơ sở dữ liệu: {name}", T::WHAT).into())
}

impl<T: StoredEnum> Type<Sqlite> for Stored<T> {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r, T: StoredEnum> Decode<'r, Sqlite> for Stored<T> {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        decode_name(<&str as Decode<Sqlite>>::decode(value)?)
    }
}

impl<T: StoredEnum> Type<Postgres> for Stored<T> {
    fn type_info() -> PgTypeInfo {
        <String as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &PgTypeInfo) -> bool {
        <String as Type<Postgres>>::compatible(ty)
    }
}

impl<'r, T: StoredEnum> Decode<'r, Postgres> for Stored<T> {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        decode_name(<&str as Decode<Postgres>>::decode(value)?)
    }
}
