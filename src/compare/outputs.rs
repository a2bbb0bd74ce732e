//! `shiryo diff`: two registry files → the 新旧対照表 files (PDF and workbook), built
//! in memory.
//!
//! Both registries are loaded and checked before anything is built, and a refusal
//! names its side (old/旧, new/新), with both sides' problems reported together.

use std::path::{Path, PathBuf};

use super::{compare, DiffTable};
use crate::documents::{comparison, redline};
use crate::error::{Error, Result, Side};
use crate::i18n::Text;
use crate::model::Registry;
use crate::{registry, render, Job};

/// Files to write: (path under the output folder, bytes).
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// What `shiryo diff` writes and says.
#[derive(Debug)]
pub struct DiffOutputs {
    /// (path under the output folder, bytes), in the order they are listed.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// One line with the counts (変更 3 事業（…）、変更なし 16 事業), in both languages.
    pub summary: Text,
    /// Each uncertain pairing, e.g. `18 → 20: 名称が同じため番号変更とみなしました`.
    pub assumptions: Vec<Text>,
}

/// Loads and checks the old and new registries.
///
/// # Errors
/// [`Error::Sides`] with every side's error (located problems, unreadable files,
/// characters the font lacks).
pub fn load_pair(job: &Job, old: &Path, new: &Path) -> Result<(Registry, Registry)> {
    // The two files are parsed at once (YAML parsing is most of a large diff's time);
    // the glyph check needs the job's fonts, which stay on this thread.
    let (o, n) = std::thread::scope(|scope| {
        let other = scope.spawn(|| registry::load(old));
        let n = registry::load(new);
        (
            other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            n,
        )
    });
    let checked = |r: Result<Registry>| r.and_then(|r| job.check(&r).map(|()| r));
    match (checked(o), checked(n)) {
        (Ok(o), Ok(n)) => Ok((o, n)),
        (o, n) => Err(Error::Sides(
            [(Side::Old, o.err()), (Side::New, n.err())]
                .into_iter()
                .filter_map(|(side, e)| e.map(|e| (side, e)))
                .collect(),
        )),
    }
}

/// The stem of the new registry's file: outputs are `<stem>.diff.xlsx` and `.pdf`.
fn stem(r: &Registry) -> String {
    r.source
        .path
        .file_stem()
        .map_or_else(|| "registry".into(), |s| s.to_string_lossy().into_owned())
}

impl Job {
    /// The 新旧対照表 of `old` and `new` as files under `out_dir`:
    /// `<new stem>.diff.pdf` and `<new stem>.diff.xlsx`. Written even when nothing
    /// changed (they say so).
    ///
    /// # Errors
    /// As [`render::write_pdf`] and [`render::xlsx::diff::write_diff_xlsx`].
    pub fn diff(&self, old: &Registry, new: &Registry, out_dir: &Path) -> Result<DiffOutputs> {
        let comparison = compare(old, new);
        let table = DiffTable::new(&comparison, old, new);
        let stem = stem(new);
        // The workbook on a second thread, with its own fonts (their glyph caches are
        // per thread), while this one sets the PDF.
        let (template, table_ref) = (&self.template, &table);
        let (pdf, xlsx) = std::thread::scope(|scope| {
            let workbook = scope.spawn(move || {
                let fonts = crate::layout::Fonts::bundled()?;
                render::xlsx::diff::write_diff_xlsx(table_ref, template, &fonts)
            });
            let handout = comparison::layout_comparison(&table, &self.template, &self.fonts);
            let pdf = render::write_pdf(handout, &comparison::pdf_info(&table), &self.fonts);
            let xlsx = workbook
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (pdf, xlsx)
        });
        let (pdf, xlsx) = (pdf?, xlsx?);
        Ok(DiffOutputs {
            files: vec![
                (out_dir.join(format!("{stem}.diff.pdf")), pdf),
                (out_dir.join(format!("{stem}.diff.xlsx")), xlsx),
            ],
            summary: comparison.summary_message(),
            assumptions: comparison.assumptions().map(|a| a.message()).collect(),
        })
    }

    /// What `shiryo build --since OLD` writes: everything [`Job::build`] writes for
    /// `new`, with the handout (`<stem>.pdf`) in 見え消し against `old`; and the
    /// pairings that were assumed.
    ///
    /// # Errors
    /// As [`Job::build`].
    pub fn build_since(
        &self,
        old: &Registry,
        new: &Registry,
        out_dir: &Path,
    ) -> Result<(Files, Vec<Text>)> {
        let mut files = self.build(new, out_dir)?;
        let handout = out_dir.join(format!("{}.pdf", stem(new)));
        let layout = redline::layout_redline(old, new, &self.template, &self.fonts);
        let pdf = render::write_pdf(layout, &render::PdfInfo::from_registry(new), &self.fonts)?;
        if let Some(file) = files.iter_mut().find(|(path, _)| *path == handout) {
            file.1 = pdf;
        }
        let assumptions = compare(old, new)
            .assumptions()
            .map(|a| a.message())
            .collect();
        Ok((files, assumptions))
    }
}
