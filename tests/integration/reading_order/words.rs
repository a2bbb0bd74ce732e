//! poppler's first stage (TextOutputDev.cc: `TextPage::addChar`, `TextPage::coalesce`)
//! on the layout's text runs: words, then the blocks it builds from them.
//!
//! A word is a run of characters up to white space (or a gap over 0.1 em); a run the
//! layout gives as one word (`Extraction::OneWord`, an ActualText span) is one word
//! over its extent, an empty cell's stand-in (`Extraction::Placeholder`) one word over
//! its blank glyph. Blocks grow from the left-most word of the top lines: lines above
//! and below (within 1.5 em) overlapping it, words on its lines within 0.3 em of it,
//! then, when nothing else joined, the words within 1 em left or right of it when at
//! most three lines have one.

use shiryo::layout::{Extraction, Fonts, Handout, Measure, Role};

/// One word as poppler sees it: its box, baseline and font size.
#[derive(Debug, Clone)]
pub struct Word {
    pub role: Role,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub base: f64,
    pub size: f64,
}

/// The words of a page, in content order.
pub fn words(handout: &Handout, page: usize, fonts: &Fonts) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for t in &handout.pages[page].texts {
        let face = fonts.face(t.style);
        let size = f64::from(t.size.0);
        let base = f64::from(t.baseline.0);
        let asc = f64::from(face.ascender());
        let (y0, y1) = (base - asc * size, base + (1.0 - asc) * size);
        let x = f64::from(t.x.0);
        let advance = |c: char| f64::from(face.advance(c)) * size;
        let mut spans: Vec<(f64, f64)> = Vec::new();
        match t.extraction {
            Extraction::AsDrawn => {
                let mut at = x;
                let mut open: Option<f64> = None;
                for c in t.text.chars() {
                    if c.is_whitespace() {
                        if let Some(start) = open.take() {
                            spans.push((start, at));
                        }
                    } else if open.is_none() {
                        open = Some(at);
                    }
                    at += advance(c);
                }
                if let Some(start) = open {
                    spans.push((start, at));
                }
            }
            Extraction::OneWord { from, tail } => {
                let n = t.text.chars().count();
                let head: f64 = t.text.chars().take(n - tail).map(advance).sum();
                spans.push((from.map_or(x, |f| f64::from(f.0)), x + head));
            }
            Extraction::Placeholder => {
                spans.push((x, x + t.text.chars().map(advance).sum::<f64>()))
            }
        }
        for (x0, x1) in spans {
            // Characters closer than 0.1 em to the word before (a run cut by a
            // decoration) continue it.
            if let Some(last) = out.last_mut() {
                let gap = x0 - last.x1;
                if (last.base - base).abs() <= 0.5
                    && last.size == size
                    && gap >= -0.2 * size
                    && gap <= 0.1 * size
                {
                    last.x1 = x1;
                    continue;
                }
            }
            out.push(Word {
                role: t.role,
                x0,
                x1,
                y0,
                y1,
                base,
                size,
            });
        }
    }
    out
}

/// A block's words and box.
#[derive(Debug, Clone)]
pub struct Built {
    pub words: Vec<Word>,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub size: f64,
}

impl Built {
    fn add(&mut self, w: Word) {
        self.x0 = self.x0.min(w.x0);
        self.x1 = self.x1.max(w.x1);
        self.y0 = self.y0.min(w.y0);
        self.y1 = self.y1.max(w.y1);
        self.words.push(w);
    }
}

/// poppler's pool: words by 4-point baseline bucket, each bucket by left edge.
struct Pool(std::collections::BTreeMap<i64, Vec<Word>>);

fn bucket(base: f64) -> i64 {
    (base / 4.0).floor() as i64
}

impl Pool {
    /// Takes the words of buckets `from..=to` (in that order, up or down) that `pick`
    /// accepts; `first_only` takes at most one a bucket.
    fn take(
        &mut self,
        buckets: Vec<i64>,
        first_only: bool,
        mut pick: impl FnMut(&Word) -> bool,
    ) -> Vec<Word> {
        let mut out = Vec::new();
        for b in buckets {
            let Some(list) = self.0.get_mut(&b) else {
                continue;
            };
            let mut i = 0;
            while i < list.len() {
                if pick(&list[i]) {
                    out.push(list.remove(i));
                    if first_only {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            if list.is_empty() {
                self.0.remove(&b);
            }
        }
        out
    }

    fn count(&self, buckets: Vec<i64>, pick: impl Fn(&Word) -> bool) -> usize {
        buckets
            .iter()
            .filter(|b| self.0.get(b).is_some_and(|l| l.iter().any(&pick)))
            .count()
    }
}

/// The blocks poppler builds from `words`, in the order it builds them.
pub fn coalesce(words: Vec<Word>) -> Vec<Built> {
    let mut pool = Pool(Default::default());
    for w in words {
        let list = pool.0.entry(bucket(w.base)).or_default();
        let at = list.partition_point(|o| o.x0 < w.x0);
        list.insert(at, w);
    }
    let mut blocks = Vec::new();
    while let Some(&top) = pool.0.keys().next() {
        // The left-most first word of the top four buckets.
        let start = (top..top + 4)
            .filter_map(|b| pool.0.get(&b).map(|l| (b, l[0].x0)))
            .fold(None, |best: Option<(i64, f64)>, (b, x)| match best {
                Some((_, bx)) if bx <= x => best,
                _ => Some((b, x)),
            })
            .unwrap()
            .0;
        let list = pool.0.get_mut(&start).unwrap();
        let first = list.remove(0);
        if list.is_empty() {
            pool.0.remove(&start);
        }
        let fs = first.size;
        let (col1, col2, line, intra) = (0.3 * fs, fs, 1.5 * fs, 0.5 * fs);
        let (mut min_base, mut max_base) = (first.base, first.base);
        let mut blk = Built {
            x0: first.x0,
            x1: first.x1,
            y0: first.y0,
            y1: first.y1,
            size: fs,
            words: vec![first],
        };
        loop {
            let mut found = false;
            // Lines above, then below, overlapping the block.
            let up: Vec<i64> = (bucket(min_base - line)..=bucket(min_base)).rev().collect();
            let (bx0, bx1) = (blk.x0, blk.x1);
            let got = pool.take(up, false, |w| {
                w.base < min_base
                    && w.base >= min_base - line
                    && w.x0 < bx1
                    && w.x1 > bx0
                    && (w.size - fs).abs() < 0.05 * fs
            });
            if let Some(last) = got.last() {
                min_base = last.base;
            }
            for w in got {
                found = true;
                blk.add(w);
            }
            let down: Vec<i64> = (bucket(max_base)..=bucket(max_base + line)).collect();
            let (bx0, bx1) = (blk.x0, blk.x1);
            let got = pool.take(down, false, |w| {
                w.base > max_base
                    && w.base <= max_base + line
                    && w.x0 < bx1
                    && w.x1 > bx0
                    && (w.size - fs).abs() < 0.05 * fs
            });
            if let Some(last) = got.last() {
                max_base = last.base;
            }
            for w in got {
                found = true;
                blk.add(w);
            }
            // Words on the block's lines within 0.3 em of it.
            let lines = |lo: f64, hi: f64| (bucket(lo - intra)..=bucket(hi + intra)).collect();
            let (lo, hi, bx0, bx1) = (min_base, max_base, blk.x0, blk.x1);
            let got = pool.take(lines(lo, hi), false, |w| {
                w.base >= lo - intra
                    && w.base <= hi + intra
                    && w.x0 < bx1 + col1
                    && w.x1 > bx0 - col1
                    && (w.size - fs).abs() < 0.6 * fs
            });
            for w in got {
                found = true;
                blk.add(w);
            }
            if found {
                continue;
            }
            // Up to three lines' words within 1 em left, then right, of the block.
            for right in [false, true] {
                let (lo, hi, bx0, bx1) = (min_base, max_base, blk.x0, blk.x1);
                let near = |w: &Word| {
                    w.base >= lo - intra
                        && w.base <= hi + intra
                        && (w.size - fs).abs() < 0.2 * fs
                        && if right {
                            w.x0 >= bx1 && w.x0 < bx1 + col2
                        } else {
                            w.x1 <= bx0 && w.x1 > bx0 - col2
                        }
                };
                let n = pool.count(lines(lo, hi), near);
                if n > 0 && n <= 3 {
                    for w in pool.take(lines(lo, hi), true, near) {
                        min_base = min_base.min(w.base);
                        max_base = max_base.max(w.base);
                        found = true;
                        blk.add(w);
                    }
                }
            }
            if !found {
                break;
            }
        }
        blocks.push(blk);
    }
    blocks
}
