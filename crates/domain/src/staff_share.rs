//! How a figure of a ceasing unit is shared among the units that carry on: by the split's
//! allocation (each successor's percent, largest remainders rounded up so the total is kept
//! exactly), or equally, the remainder to the first, when the event carries none. The same
//! rule moves the ledger when an event is applied and flows the baselines of the targets, so
//! that what moves is what the attainment counts.

use crate::model::Id;

/// `total` shared among `heirs` (in order). `allocation` gives each heir's percent; it is
/// used when every heir has one and they sum to 100, else the shares are equal (the
/// remainder to the first heir).
pub fn share_out(total: u32, heirs: &[Id], allocation: &[(Id, u32)]) -> Vec<u32> {
    if heirs.is_empty() {
        return Vec::new();
    }
    match percents(heirs, allocation) {
        Some(p) => largest_remainder(total, &p),
        None => {
            let k = u32::try_from(heirs.len()).unwrap_or(u32::MAX);
            (0..heirs.len())
                .map(|i| total / k + if i == 0 { total % k } else { 0 })
                .collect()
        }
    }
}

/// Each heir's percent when `allocation` covers every heir and sums to 100.
fn percents(heirs: &[Id], allocation: &[(Id, u32)]) -> Option<Vec<u32>> {
    if allocation.is_empty() {
        return None;
    }
    let p: Vec<u32> = heirs
        .iter()
        .map(|h| allocation.iter().find(|(u, _)| u == h).map(|(_, p)| *p))
        .collect::<Option<Vec<u32>>>()?;
    (p.iter().map(|x| u64::from(*x)).sum::<u64>() == 100).then_some(p)
}

/// `total` by `percents` (summing to 100): each takes the whole part of its share, and the
/// positions left go one each to the largest fractions (the earlier heir on a tie).
fn largest_remainder(total: u32, percents: &[u32]) -> Vec<u32> {
    let exact: Vec<u64> = percents
        .iter()
        .map(|p| u64::from(total) * u64::from(*p))
        .collect();
    let mut shares: Vec<u32> = exact
        .iter()
        .map(|e| u32::try_from(e / 100).unwrap_or(u32::MAX))
        .collect();
    let given: u64 = shares.iter().map(|s| u64::from(*s)).sum();
    let left = u64::from(total).saturating_sub(given);
    let mut order: Vec<usize> = (0..percents.len()).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(exact[*i] % 100), *i));
    for i in order.into_iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_shares_without_an_allocation() {
        assert_eq!(share_out(101, &[2, 3], &[]), [51, 50]);
        assert_eq!(share_out(5, &[2, 3, 4], &[]), [3, 1, 1]);
    }

    #[test]
    fn an_allocation_shares_by_percent() {
        assert_eq!(share_out(45, &[2, 3], &[(2, 60), (3, 40)]), [27, 18]);
        // 10 × 33.3…%: 3.3 / 3.3 / 3.4 → the largest fraction takes the position left.
        assert_eq!(
            share_out(10, &[2, 3, 4], &[(2, 33), (3, 33), (4, 34)]),
            [3, 3, 4]
        );
        assert_eq!(share_out(7, &[2, 3], &[(2, 100), (3, 0)]), [7, 0]);
        // Not summing to 100, or missing a successor: equal shares.
        assert_eq!(share_out(10, &[2, 3], &[(2, 60), (3, 30)]), [5, 5]);
        assert_eq!(share_out(10, &[2, 3], &[(2, 100)]), [5, 5]);
    }

    fn allocation() -> impl Strategy<Value = Vec<u32>> {
        proptest::collection::vec(0u32..=100, 1..6).prop_map(|mut v| {
            // Make the percents sum to 100: scale, then give the rest to the last.
            let sum: u32 = v.iter().sum::<u32>().max(1);
            for x in v.iter_mut() {
                *x = *x * 100 / sum;
            }
            let s: u32 = v.iter().sum();
            if let Some(last) = v.last_mut() {
                *last += 100 - s;
            }
            v
        })
    }

    proptest! {
        /// Any allocation keeps the total exactly, and no heir is more than one position
        /// away from its exact share.
        #[test]
        fn any_allocation_conserves_the_total(total in 0u32..100_000, p in allocation()) {
            let heirs: Vec<Id> = (1..=p.len() as Id).collect();
            let alloc: Vec<(Id, u32)> = heirs.iter().copied().zip(p.iter().copied()).collect();
            let shares = share_out(total, &heirs, &alloc);
            prop_assert_eq!(shares.iter().map(|s| u64::from(*s)).sum::<u64>(), u64::from(total));
            for (s, pc) in shares.iter().zip(&p) {
                let exact = f64::from(total) * f64::from(*pc) / 100.0;
                prop_assert!((f64::from(*s) - exact).abs() < 1.0);
            }
        }
    }
}
