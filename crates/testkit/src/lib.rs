//! tinhgon-testkit (work in progress).
