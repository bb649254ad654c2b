//! tinhgon-store (work in progress).
