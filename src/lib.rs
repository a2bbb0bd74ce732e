//! shiryo: the 資料2 progress table of a 定住自立圏 as a PDF handout and an Excel workbook,
//! from one YAML registry.
//!
//! The modules are the pipeline's stages, and data flows one way:
//!
//! ```text
//! registry (YAML → validated model) → layout (measure, break, paginate) → render::pdf
//!                                   └──────── font metrics ─────────────→ render::xlsx
//! ```
//!
//! ```no_run
//! let registry = shiryo::registry::load("data/registry.yaml".as_ref())?;
//! let job = shiryo::Job::new(Default::default())?;
//! let pdf = job.pdf(&registry)?;
//! let xlsx = job.xlsx(&registry)?;
//! # Ok::<(), shiryo::Error>(())
//! ```

pub mod error;
pub mod layout;
pub mod model;
pub mod output;
pub mod registry;
pub mod render;
pub mod template;
pub mod units;

use std::path::{Path, PathBuf};

pub use error::{Error, Location, Problem, Result};
pub use model::Registry;
pub use template::Template;

use layout::Fonts;

/// A template and the parsed fonts: everything needed to render any registry.
pub struct Job {
    pub template: Template,
    pub fonts: Fonts,
}

impl Job {
    /// # Errors
    /// [`Error::Font`] if the bundled fonts are damaged.
    pub fn new(template: Template) -> Result<Job> {
        Ok(Job {
            template,
            fonts: Fonts::bundled()?,
        })
    }

    /// Checks what only the font can tell: every character has a glyph.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming each missing character and where it is.
    pub fn check(&self, registry: &Registry) -> Result<()> {
        layout::check_glyphs(registry, &self.template, &self.fonts)
    }

    /// The handout PDF of `registry`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for characters the font lacks, [`Error::Font`] if subsetting fails.
    pub fn pdf(&self, registry: &Registry) -> Result<Vec<u8>> {
        self.check(registry)?;
        let handout = layout::layout_handout(registry, &self.template, &self.fonts);
        render::write_pdf(
            handout,
            &render::PdfInfo::from_registry(registry),
            &self.fonts,
        )
    }

    /// The workbook of `registry`.
    ///
    /// # Errors
    /// As [`render::write_xlsx`].
    pub fn xlsx(&self, registry: &Registry) -> Result<Vec<u8>> {
        self.check(registry)?;
        render::write_xlsx(registry, &self.template, &self.fonts)
    }

    /// Everything `shiryo build` writes, as (path under `out_dir`, bytes), built in
    /// memory first so that nothing is written unless all of it succeeded.
    ///
    /// # Errors
    /// The first error of [`Job::pdf`] or [`Job::xlsx`].
    pub fn build(&self, registry: &Registry, out_dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let stem = registry
            .source
            .path
            .file_stem()
            .map_or_else(|| "registry".into(), |s| s.to_string_lossy().into_owned());
        let mut files = vec![
            (out_dir.join(format!("{stem}.pdf")), self.pdf(registry)?),
            (out_dir.join(format!("{stem}.xlsx")), self.xlsx(registry)?),
        ];
        for town in registry.town_ids() {
            let name = &registry.town(town).name;
            // A town in no project still gets its (empty) handout: every member town
            // receives one.
            let handout = registry.for_town(town);
            files.push((
                out_dir.join("towns").join(format!("{name}.pdf")),
                self.pdf(&handout)?,
            ));
        }
        Ok(files)
    }
}

/// Writes each file atomically.
///
/// # Errors
/// [`Error::Io`] for the first file that cannot be written.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    for (path, bytes) in files {
        output::write_atomic(path, bytes)?;
    }
    Ok(())
}
