//! Small-cell suppression with secondary suppression, audited by an attacker.
//!
//! The defence (documented in the crate README): the ministry sees only
//! fixed, closed periods (months, quarters, years that have ended) and fixed
//! breakdowns, and every table it can see is suppressed *together*, as one
//! linked set of cells: the margins of each breakdown (categories add up to
//! the total), time (months to their quarter, quarters to their year) and
//! place (centres to their region, regions to the network).
//!
//! 1. Primary: a person count of 1–4 is hidden and shown as "<5". So is a
//!    person count of 0: were zeros shown, "<5" would mean "1–4", and a
//!    table of small cells linked to a small total would give its cells
//!    away (three "<5" nationalities under a total of "<5" whose quarter is
//!    "<5" next to another "<5" month: each is 1).
//! 2. Audit: an attacker who knows every shown cell, that "<5" means 0–4,
//!    that any other hidden cell is 0 or at least 5, and every relation
//!    between cells (sums exactly where parts add up; for distinct-person
//!    counts, that the whole lies between its largest part and the sum of
//!    its parts) narrows each hidden cell's interval until nothing changes.
//! 3. Secondary: every hidden cell the attacker pins to one value gets a
//!    companion hidden in each relation that pinned it — the smallest shown
//!    positive cell of that relation — and the audit runs again, until no
//!    hidden cell can be recovered.
//!
//! Zeros are never chosen as companions: a hidden zero next to a small cell
//! adds no doubt (the attacker knows a hidden cell is 0 or at least 5).

/// How a whole relates to its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationKind {
    /// The parts add up to the whole.
    Exact,
    /// Distinct persons of overlapping parts: the whole lies between its
    /// largest part and the sum of its parts.
    Union,
    /// The whole is at most the sum of its parts (new clients of a region:
    /// someone new at a centre may be known at another centre of it).
    AtMost,
}

/// A relation between cells: `parent` is the whole, `children` its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// The whole.
    pub parent: usize,
    /// The parts.
    pub children: Vec<usize>,
    /// How they relate.
    pub kind: RelationKind,
}

/// What the reader sees of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Shown as it is.
    Shown,
    /// 0–4 persons: shown as "<5".
    Small,
    /// Hidden so that a small cell cannot be recovered.
    Secondary,
}

impl Mark {
    /// Stored number.
    pub fn code(self) -> i32 {
        match self {
            Mark::Shown => 0,
            Mark::Small => 1,
            Mark::Secondary => 2,
        }
    }

    /// From the stored number.
    pub fn from_code(code: i32) -> Self {
        match code {
            1 => Mark::Small,
            2 => Mark::Secondary,
            _ => Mark::Shown,
        }
    }

    /// Whether the value is withheld.
    pub fn hidden(self) -> bool {
        self != Mark::Shown
    }
}

/// Large enough for any count, small enough not to overflow when summed.
const UNBOUNDED: i64 = 1 << 40;

/// Whether a value must be hidden on its own.
pub fn is_small(value: i64) -> bool {
    (1..=4).contains(&value)
}

/// The attacker: for each cell, the interval `[lo, hi]` it can be narrowed
/// to from what is shown and the relations.
pub fn attack(values: &[i64], marks: &[Mark], relations: &[Relation]) -> Vec<(i64, i64)> {
    let mut b: Vec<(i64, i64)> = values
        .iter()
        .zip(marks)
        .map(|(v, m)| match m {
            Mark::Shown => (*v, *v),
            Mark::Small => (0, 4),
            Mark::Secondary => (0, UNBOUNDED),
        })
        .collect();
    let tighten = |b: &mut Vec<(i64, i64)>, i: usize, lo: i64, hi: i64| -> bool {
        let (mut nlo, mut nhi) = (b[i].0.max(lo), b[i].1.min(hi));
        if marks[i] == Mark::Secondary {
            // Shown as hidden but not "<5": 0 or at least 5.
            if (1..=4).contains(&nlo) {
                nlo = 5;
            }
            if (1..=4).contains(&nhi) {
                nhi = 0;
            }
        }
        if nlo > nhi {
            // Inconsistent only if the inputs are; keep what we had.
            return false;
        }
        let changed = (nlo, nhi) != b[i];
        b[i] = (nlo, nhi);
        changed
    };
    for _ in 0..64 {
        let mut changed = false;
        for r in relations {
            let sum_lo: i64 = r.children.iter().map(|c| b[*c].0).sum();
            // Not clamped: the bound of the others is this sum less one
            // part's, which clamping would make too small (a hidden part at
            // UNBOUNDED would leave the others nothing). Tables have at most
            // a few hundred parts, far from overflowing at 2^40 each.
            let sum_hi: i64 = r
                .children
                .iter()
                .map(|c| b[*c].1)
                .fold(0i64, |a, x| a.saturating_add(x));
            if r.kind == RelationKind::Exact {
                changed |= tighten(&mut b, r.parent, sum_lo, sum_hi);
                let (plo, phi) = b[r.parent];
                for &c in &r.children {
                    let others_lo = sum_lo - b[c].0;
                    let others_hi = sum_hi.saturating_sub(b[c].1);
                    changed |= tighten(&mut b, c, plo - others_hi, phi - others_lo);
                }
            } else {
                let union = r.kind == RelationKind::Union;
                let max_lo = if union {
                    r.children.iter().map(|c| b[*c].0).max().unwrap_or(0)
                } else {
                    0
                };
                changed |= tighten(&mut b, r.parent, max_lo, sum_hi);
                let (plo, phi) = b[r.parent];
                for &c in &r.children {
                    let others_hi = sum_hi.saturating_sub(b[c].1);
                    let hi = if union { phi } else { UNBOUNDED };
                    changed |= tighten(&mut b, c, plo - others_hi, hi);
                }
            }
        }
        if !changed {
            break;
        }
    }
    b
}

/// Hidden cells the attacker pins to a single value.
pub fn recovered(values: &[i64], marks: &[Mark], relations: &[Relation]) -> Vec<usize> {
    attack(values, marks, relations)
        .into_iter()
        .enumerate()
        .filter(|(i, (lo, hi))| marks[*i].hidden() && lo == hi)
        .map(|(i, _)| i)
        .collect()
}

/// Suppresses the cells: `protect[i]` says whether cell `i` counts persons.
pub fn suppress(values: &[i64], protect: &[bool], relations: &[Relation]) -> Vec<Mark> {
    let mut marks: Vec<Mark> = values
        .iter()
        .zip(protect)
        .map(|(v, p)| {
            if *p && is_small(*v) {
                Mark::Small
            } else {
                Mark::Shown
            }
        })
        .collect();
    let mut by_cell: Vec<Vec<usize>> = vec![Vec::new(); values.len()];
    for (ri, r) in relations.iter().enumerate() {
        by_cell[r.parent].push(ri);
        for c in &r.children {
            by_cell[*c].push(ri);
        }
    }
    for _ in 0..values.len().max(1) {
        let pinned = recovered(values, &marks, relations);
        if pinned.is_empty() {
            break;
        }
        let mut hid_any = false;
        for cell in pinned {
            // One companion per pinned cell and round, in the relation that
            // most likely pinned it: the one with the fewest other hidden
            // cells; there the smallest shown part (the whole last).
            let mut best: Option<((usize, bool, i64), usize)> = None;
            for &ri in &by_cell[cell] {
                let r = &relations[ri];
                let members = || std::iter::once(r.parent).chain(r.children.iter().copied());
                let hidden_others = members()
                    .filter(|m| *m != cell && marks[*m].hidden())
                    .count();
                if let Some(m) = members()
                    .filter(|m| *m != cell && marks[*m] == Mark::Shown && values[*m] > 0)
                    .min_by_key(|m| (*m == r.parent, values[*m]))
                {
                    let rank = (hidden_others, m == r.parent, values[m]);
                    if best.is_none_or(|(b, _)| rank < b) {
                        best = Some((rank, m));
                    }
                }
            }
            if let Some((_, m)) = best
                && marks[m] == Mark::Shown
            {
                marks[m] = Mark::Secondary;
                hid_any = true;
            }
        }
        if !hid_any {
            // Nothing left to hide next to the pinned cells: hide every
            // shown protected cell of their relations (a last resort that
            // the audit has never needed on real tables).
            for (i, m) in marks.iter_mut().enumerate() {
                if *m == Mark::Shown && protect[i] && values[i] > 0 {
                    *m = Mark::Secondary;
                }
            }
            break;
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(parent: usize, children: &[usize], exact: bool) -> Relation {
        Relation {
            parent,
            children: children.to_vec(),
            kind: if exact {
                RelationKind::Exact
            } else {
                RelationKind::Union
            },
        }
    }

    #[test]
    fn a_hidden_part_beside_shown_parts_is_recovered() {
        // 11 = 5 + 6 with only the 6 hidden: the attacker has it.
        let marks = [Mark::Shown, Mark::Shown, Mark::Secondary];
        let relations = [rel(0, &[1, 2], true)];
        assert_eq!(recovered(&[11, 5, 6], &marks, &relations), vec![2]);
        // Two hidden parts of a shown whole cover each other.
        let marks = [Mark::Shown, Mark::Secondary, Mark::Secondary];
        assert!(recovered(&[11, 5, 6], &marks, &relations).is_empty());
    }

    #[test]
    fn one_small_cell_gets_a_companion() {
        // total 20 = 3 + 10 + 7
        let values = [20, 3, 10, 7];
        let marks = suppress(&values, &[true; 4], &[rel(0, &[1, 2, 3], true)]);
        assert_eq!(marks[1], Mark::Small);
        assert_eq!(marks[3], Mark::Secondary, "{marks:?}");
        assert_eq!(marks[2], Mark::Shown);
        assert!(recovered(&values, &marks, &[rel(0, &[1, 2, 3], true)]).is_empty());
    }

    #[test]
    fn two_small_cells_cover_each_other() {
        // total 12 = 1 + 1 + 10: the hidden pair sums to 2, which (with "<5"
        // meaning 0–4) is 0+2, 1+1 or 2+0: neither is recovered.
        let values = [12, 1, 1, 10];
        let relations = [rel(0, &[1, 2, 3], true)];
        let marks = suppress(&values, &[true; 4], &relations);
        assert!(
            recovered(&values, &marks, &relations).is_empty(),
            "{marks:?}"
        );
        assert_eq!(marks[3], Mark::Shown);
    }

    #[test]
    fn a_small_total_hides_the_table() {
        let values = [3, 3, 0];
        let relations = [rel(0, &[1, 2], true)];
        let marks = suppress(&values, &[true; 3], &relations);
        assert_eq!(marks, vec![Mark::Small, Mark::Small, Mark::Shown]);
        // 3 = h + 0: h is pinned to the total... both are "<5", value unknown.
        assert!(recovered(&values, &marks, &relations).is_empty());
    }

    #[test]
    fn linked_tables_are_protected_together() {
        // Year 0 = quarters 1..=4; quarter 1 also = centres 5 + 6.
        let values = [40, 12, 10, 9, 9, 8, 4];
        let relations = [rel(0, &[1, 2, 3, 4], true), rel(1, &[5, 6], true)];
        let marks = suppress(&values, &[true; 7], &relations);
        assert_eq!(marks[6], Mark::Small);
        assert!(
            recovered(&values, &marks, &relations).is_empty(),
            "{marks:?}"
        );
    }

    #[test]
    fn distinct_person_counts_bound_but_do_not_pin() {
        // Year (distinct) 10 with quarters 10, 2: 10 ≥ max, ≤ sum. The 2 is
        // hidden; the year only says it is at most 10.
        let values = [10, 10, 2];
        let relations = [rel(0, &[1, 2], false)];
        let marks = suppress(&values, &[true; 3], &relations);
        assert_eq!(marks[2], Mark::Small);
        assert!(recovered(&values, &marks, &relations).is_empty());
    }
}
