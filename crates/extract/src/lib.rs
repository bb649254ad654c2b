//! tinhgon-extract (work in progress).
