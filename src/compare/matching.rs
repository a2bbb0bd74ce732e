//! Which old project is which new project.
//!
//! In: the projects of two registries in table order. Out: pairs, each with the
//! reason it was made, and the projects left over (removed, added). In order, each
//! step only looks at projects no earlier step paired:
//! 1. the same `id` (certain);
//! 2. the same number and name (certain);
//! 3. the same name, aligned in table order (a renumbering: stated as an assumption);
//! 4. the same number with a similar name and summary (a renaming: stated);
//! 5. the most similar name and summary above a threshold (renumbered and renamed:
//!    stated, with the similarity).
//!
//! Two projects that both carry an `id` are paired by step 1 or not at all: different
//! ids are different projects, whatever their names say.

use std::collections::HashMap;

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// A project as matching sees it.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub id: Option<&'a str>,
    pub number: u32,
    pub name: &'a str,
    pub summary: &'a str,
}

/// Why two projects were taken to be the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The same `id`.
    Id,
    /// The same number and name.
    NumberAndName,
    /// The same name, another number: taken as renumbered.
    Name,
    /// The same number, a similar name and summary: taken as renamed.
    Number { percent: u32 },
    /// Another number and name, but a similar name and summary.
    Similar { percent: u32 },
}

impl Basis {
    /// Whether the match is certain (nothing to state).
    pub fn is_certain(self) -> bool {
        matches!(self, Basis::Id | Basis::NumberAndName)
    }
}

/// A matched pair: indices into the old and new project lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub old: usize,
    pub new: usize,
    pub basis: Basis,
}

/// The outcome of matching.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// Sorted by new index.
    pub pairs: Vec<Pair>,
    /// Old projects with no new counterpart, in old order.
    pub removed: Vec<usize>,
    /// New projects with no old counterpart, in new order.
    pub added: Vec<usize>,
}

/// Step 4's threshold: the same number and at least this similar is a renaming.
const RENAMED: f32 = 0.3;
/// Step 5's threshold: another number and at least this similar is the same project.
const SIMILAR: f32 = 0.5;
/// Step 5 compares at most about this many pairs; beyond, each old project is
/// compared with the new projects nearest its place in the table.
const MAX_PAIRS: usize = 4_000_000;

/// Pairs the projects of `old` with those of `new` (both in table order).
pub fn match_projects(old: &[Item], new: &[Item]) -> Matching {
    let mut m = State {
        old,
        new,
        old_of: vec![None; new.len()],
        taken: vec![false; old.len()],
    };
    m.by_id();
    m.by_number_and_name();
    m.by_name_in_order();
    m.by_number_and_similarity();
    m.by_similarity();

    let mut pairs: Vec<Pair> = m
        .old_of
        .iter()
        .enumerate()
        .filter_map(|(n, p)| {
            p.map(|(o, basis)| Pair {
                old: o,
                new: n,
                basis,
            })
        })
        .collect();
    pairs.sort_by_key(|p| p.new);
    Matching {
        pairs,
        removed: (0..old.len()).filter(|&o| !m.taken[o]).collect(),
        added: (0..new.len()).filter(|&n| m.old_of[n].is_none()).collect(),
    }
}

struct State<'a, 'b> {
    old: &'b [Item<'a>],
    new: &'b [Item<'a>],
    old_of: Vec<Option<(usize, Basis)>>,
    taken: Vec<bool>,
}

impl State<'_, '_> {
    fn pair(&mut self, o: usize, n: usize, basis: Basis) {
        self.old_of[n] = Some((o, basis));
        self.taken[o] = true;
    }

    /// Whether steps 2 to 5 may pair `o` and `n`: both free and not both with an id.
    fn open(&self, o: usize, n: usize) -> bool {
        !self.taken[o]
            && self.old_of[n].is_none()
            && !(self.old[o].id.is_some() && self.new[n].id.is_some())
    }

    fn free_old(&self) -> Vec<usize> {
        (0..self.old.len()).filter(|&o| !self.taken[o]).collect()
    }

    fn free_new(&self) -> Vec<usize> {
        (0..self.new.len())
            .filter(|&n| self.old_of[n].is_none())
            .collect()
    }

    fn by_id(&mut self) {
        let ids: HashMap<&str, usize> = self
            .old
            .iter()
            .enumerate()
            .filter_map(|(o, item)| item.id.map(|id| (id, o)))
            .collect();
        for n in 0..self.new.len() {
            if let Some(&o) = self.new[n].id.and_then(|id| ids.get(id)) {
                self.pair(o, n, Basis::Id);
            }
        }
    }

    fn by_number_and_name(&mut self) {
        let keys: HashMap<(u32, &str), usize> = self
            .free_old()
            .into_iter()
            .map(|o| ((self.old[o].number, self.old[o].name), o))
            .collect();
        for n in self.free_new() {
            let key = (self.new[n].number, self.new[n].name);
            if let Some(&o) = keys.get(&key) {
                if self.open(o, n) {
                    self.pair(o, n, Basis::NumberAndName);
                }
            }
        }
    }

    /// Names aligned as two sequences, so that repeated names pair in table order.
    fn by_name_in_order(&mut self) {
        let (olds, news) = (self.free_old(), self.free_new());
        let old_names: Vec<&str> = olds.iter().map(|&o| self.old[o].name).collect();
        let new_names: Vec<&str> = news.iter().map(|&n| self.new[n].name).collect();
        for op in capture_diff_slices(Algorithm::Myers, &old_names, &new_names) {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            {
                for k in 0..len {
                    let (o, n) = (olds[old_index + k], news[new_index + k]);
                    if self.open(o, n) {
                        self.pair(o, n, Basis::Name);
                    }
                }
            }
        }
    }

    fn by_number_and_similarity(&mut self) {
        let numbers: HashMap<u32, usize> = self
            .free_old()
            .into_iter()
            .map(|o| (self.old[o].number, o))
            .collect();
        for n in self.free_new() {
            if let Some(&o) = numbers.get(&self.new[n].number) {
                let s = similarity(&Grams::of(&self.old[o]), &Grams::of(&self.new[n]));
                if self.open(o, n) && s >= RENAMED {
                    self.pair(
                        o,
                        n,
                        Basis::Number {
                            percent: percent(s),
                        },
                    );
                }
            }
        }
    }

    fn by_similarity(&mut self) {
        let (olds, news) = (self.free_old(), self.free_new());
        if olds.is_empty() || news.is_empty() {
            return;
        }
        let old_grams: Vec<Grams> = olds.iter().map(|&o| Grams::of(&self.old[o])).collect();
        let new_grams: Vec<Grams> = news.iter().map(|&n| Grams::of(&self.new[n])).collect();
        // Each old project against the new ones nearest its relative place.
        let window = (MAX_PAIRS / olds.len()).max(1).min(news.len());
        let mut candidates: Vec<(u32, usize, usize, usize)> = Vec::new();
        for (i, &o) in olds.iter().enumerate() {
            let centre = i * news.len() / olds.len();
            let start = centre.saturating_sub(window / 2).min(news.len() - window);
            for j in start..start + window {
                let n = news[j];
                if !self.open(o, n) {
                    continue;
                }
                let s = similarity(&old_grams[i], &new_grams[j]);
                if s >= SIMILAR {
                    // Highest similarity first, then the nearest in the table.
                    let distance = i.abs_diff(j * olds.len() / news.len());
                    candidates.push((u32::MAX - (s * 1e6) as u32, distance, o, n));
                }
            }
        }
        candidates.sort_unstable();
        for (score, _, o, n) in candidates {
            if self.open(o, n) {
                let s = (u32::MAX - score) as f32 / 1e6;
                self.pair(
                    o,
                    n,
                    Basis::Similar {
                        percent: percent(s),
                    },
                );
            }
        }
    }
}

fn percent(s: f32) -> u32 {
    (s * 100.0).round() as u32
}

/// Character bigrams of a project's name and summary, sorted, for the Dice coefficient.
struct Grams {
    name: Vec<u64>,
    summary: Vec<u64>,
}

impl Grams {
    fn of(item: &Item) -> Grams {
        Grams {
            name: bigrams(item.name),
            summary: bigrams(item.summary),
        }
    }
}

fn bigrams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut grams: Vec<u64> = match chars.len() {
        0 => Vec::new(),
        1 => vec![u64::from(chars[0] as u32)],
        _ => chars
            .windows(2)
            .map(|w| (u64::from(w[0] as u32) << 32) | u64::from(w[1] as u32))
            .collect(),
    };
    grams.sort_unstable();
    grams
}

/// Dice's coefficient of two sorted multisets: 2|A∩B| / (|A| + |B|).
fn dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// How alike two projects read, 0 to 1: name and summary weigh the same; the name
/// alone when neither has a summary.
fn similarity(a: &Grams, b: &Grams) -> f32 {
    let name = dice(&a.name, &b.name);
    if a.summary.is_empty() && b.summary.is_empty() {
        name
    } else {
        (name + dice(&a.summary, &b.summary)) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(number: u32, name: &'static str, summary: &'static str) -> Item<'static> {
        Item {
            id: None,
            number,
            name,
            summary,
        }
    }

    const S1: &str = "圏域内の夜間及び休日等における重症救急患者の診療体制を確保する。";
    const S2: &str = "圏域内の図書館の相互利用を促進し、住民の学習機会を広げる。";
    const S3: &str = "地場産品の販路拡大のため、圏域の物産展を共同で開催する。";

    #[test]
    fn the_same_number_and_name_pair_certainly() {
        let old = [item(1, "甲", S1), item(2, "乙", S2)];
        let m = match_projects(&old, &old);
        assert_eq!(m.pairs.len(), 2);
        assert!(m.pairs.iter().all(|p| p.basis == Basis::NumberAndName));
        assert!(m.removed.is_empty() && m.added.is_empty());
    }

    #[test]
    fn a_renumbered_project_pairs_by_name() {
        let old = [item(1, "甲", S1), item(2, "乙", S2)];
        let new = [item(1, "甲", S1), item(2, "丙", S3), item(3, "乙", S2)];
        let m = match_projects(&old, &new);
        assert_eq!(
            m.pairs[1],
            Pair {
                old: 1,
                new: 2,
                basis: Basis::Name
            }
        );
        assert_eq!(m.added, [1]);
    }

    #[test]
    fn a_renamed_project_pairs_by_number_when_its_summary_is_alike() {
        let old = [item(1, "図書館の相互利用", S2)];
        let new = [item(1, "図書館等の相互利用", S2)];
        let m = match_projects(&old, &new);
        assert!(matches!(m.pairs[0].basis, Basis::Number { .. }));
        // A wholly different project under the same number is a removal and an addition.
        let new = [item(1, "物産展", S3)];
        let m = match_projects(&old, &new);
        assert!(m.pairs.is_empty());
        assert_eq!((m.removed.len(), m.added.len()), (1, 1));
    }

    #[test]
    fn renumbered_and_renamed_pairs_by_similarity() {
        let old = [item(1, "救急", S1), item(2, "図書館の相互利用", S2)];
        let new = [
            item(1, "救急", S1),
            item(2, "物産展", S3),
            item(3, "図書館等の相互利用", S2),
        ];
        let m = match_projects(&old, &new);
        let p = m.pairs.iter().find(|p| p.new == 2).expect("paired");
        assert_eq!(p.old, 1);
        assert!(matches!(p.basis, Basis::Similar { percent } if percent >= 50));
        assert_eq!(m.added, [1]);
    }

    #[test]
    fn ids_decide_whatever_the_names_say() {
        let mut a = item(1, "甲", S1);
        a.id = Some("a");
        let mut b = item(1, "甲", S1);
        b.id = Some("b");
        let m = match_projects(&[a], &[b]);
        assert!(m.pairs.is_empty(), "different ids are different projects");
        let mut renamed = item(5, "全く別の名前", S3);
        renamed.id = Some("a");
        let m = match_projects(&[a], &[renamed]);
        assert_eq!(m.pairs[0].basis, Basis::Id);
    }

    #[test]
    fn repeated_names_pair_in_table_order() {
        let old = [item(1, "甲", S1), item(2, "乙", S2), item(3, "甲", S1)];
        // A project inserted at the top renumbers everything below it.
        let new = [
            item(1, "丙", S3),
            item(2, "甲", S1),
            item(3, "乙", S2),
            item(4, "甲", S1),
        ];
        let m = match_projects(&old, &new);
        let got: Vec<(usize, usize)> = m.pairs.iter().map(|p| (p.old, p.new)).collect();
        assert_eq!(got, [(0, 1), (1, 2), (2, 3)]);
        assert_eq!(m.added, [0]);
    }

    #[test]
    fn dice_of_bigrams() {
        assert_eq!(dice(&bigrams("あいう"), &bigrams("あいう")), 1.0);
        assert_eq!(dice(&bigrams("あいう"), &bigrams("かきく")), 0.0);
        assert!((dice(&bigrams("あいう"), &bigrams("あいえ")) - 0.5).abs() < 1e-6);
    }
}
