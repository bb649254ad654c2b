//! tinhgon-reports (work in progress).
