//! tinhgon-web (work in progress).
