//! The areas checked in two halves on two threads, for a large registry: validation
//! is a tenth of reading a 10,000-project registry.

use super::findings::Findings;
use super::raw::RawArea;
use super::validate::{policy_area, Context, Seen};
use crate::model::PolicyArea;

/// The areas from the `first`-th on, checked.
pub(super) fn areas(
    found: &mut Findings,
    first: usize,
    raw: Vec<RawArea>,
    context: &Context,
    seen: &mut Seen,
) -> Vec<PolicyArea> {
    raw.into_iter()
        .enumerate()
        .map(|(i, area)| policy_area(found, first + i, area, context, seen))
        .collect()
}

/// The areas checked in two halves (by projects) on two threads; `None` when the
/// second half holds a problem or a number or id of the first (see
/// [`super::validate::validate`]).
pub(super) fn two_halves(
    found: &mut Findings,
    mut raw: Vec<RawArea>,
    context: &Context,
) -> Option<Vec<PolicyArea>> {
    let projects = |a: &RawArea| a.categories.iter().map(|c| c.projects.len()).sum::<usize>();
    let half = raw.iter().map(projects).sum::<usize>() / 2;
    let mut before = 0;
    let cut = raw.iter().position(|a| {
        before += projects(a);
        before > half
    });
    let cut = cut.unwrap_or(0).clamp(1, raw.len().max(1));
    let second = raw.split_off(cut.min(raw.len()));
    let (mut first, first_seen, (second, second_found, second_seen)) = std::thread::scope(|s| {
        let other = s.spawn(|| {
            let (mut found, mut seen) = (Findings::default(), Seen::default());
            let areas = areas(&mut found, cut, second, context, &mut seen);
            (areas, found, seen)
        });
        let mut seen = Seen::default();
        let first = areas(found, 0, raw, context, &mut seen);
        let other = other
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, seen, other)
    });
    let shared = second_seen
        .numbers
        .keys()
        .any(|n| first_seen.numbers.contains_key(n))
        || second_seen
            .ids
            .keys()
            .any(|id| first_seen.ids.contains_key(id));
    if shared || !second_found.0.is_empty() {
        return None;
    }
    first.extend(second);
    Some(first)
}
