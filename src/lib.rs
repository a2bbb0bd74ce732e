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

pub mod collect;
pub mod compare;
pub mod documents;
pub mod error;
pub mod i18n;
pub mod import;
pub mod layout;
pub mod model;
pub mod output;
pub mod registry;
pub mod render;
pub mod survey;
pub mod template;
pub mod units;
pub mod wareki;
pub mod workbook_in;

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
            fonts: Fonts::family(template.pdf.font)?,
            template,
        })
    }

    /// Checks what the outputs need beyond a valid registry: every character has a
    /// glyph in the font, and every name and text fits the workbook (see
    /// [`render::limits`]), so `check` finds all that `build` would refuse.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming each missing character and where it is.
    pub fn check(&self, registry: &Registry) -> Result<()> {
        // Every problem of both checks at once, in file order.
        let results = [
            layout::check_glyphs(registry, &self.template, &self.fonts),
            render::limits::check_limits(registry, &self.template),
        ];
        let mut problems = Vec::new();
        for result in results {
            match result {
                Ok(()) => {}
                Err(Error::Invalid { problems: p, .. }) => problems.extend(p),
                Err(e) => return Err(e),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(&registry.source.path, problems))
        }
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

    /// As [`Job::pdf`], taking the registry: it is dropped once the handout is laid
    /// out, so it is not held while the PDF is written (a large handout's peak memory).
    ///
    /// # Errors
    /// As [`Job::pdf`].
    pub fn pdf_owned(&self, registry: Registry) -> Result<Vec<u8>> {
        self.check(&registry)?;
        let handout = layout::layout_handout(&registry, &self.template, &self.fonts);
        let info = render::PdfInfo::from_registry(&registry);
        drop(registry);
        render::write_pdf(handout, &info, &self.fonts)
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
    /// memory first so that nothing is written unless all of it succeeded. The files
    /// are built on every core (each worker with its own parsed fonts: glyph caches
    /// are per thread); the result is the same as one after the other.
    ///
    /// # Errors
    /// The first error (in output order) of [`Job::pdf`] or [`Job::xlsx`].
    pub fn build(&self, registry: &Registry, out_dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;

        let stem = registry
            .source
            .path
            .file_stem()
            .map_or_else(|| "registry".into(), |s| s.to_string_lossy().into_owned());
        /// One file of the build.
        enum Output {
            Handout,
            Workbook,
            /// The table as a web page.
            Page,
            /// The table as CSV.
            Data,
            /// A town in no project still gets its (empty) handout: every member
            /// town receives one.
            TownHandout(model::TownId),
        }
        let mut plan = vec![
            (out_dir.join(format!("{stem}.pdf")), Output::Handout),
            (out_dir.join(format!("{stem}.xlsx")), Output::Workbook),
            (out_dir.join(format!("{stem}.html")), Output::Page),
            (out_dir.join(format!("{stem}.csv")), Output::Data),
        ];
        for town in registry.town_ids() {
            let name = &registry.town(town).name;
            plan.push((
                out_dir.join("towns").join(format!("{name}.pdf")),
                Output::TownHandout(town),
            ));
        }
        let build_one = |job: &Job, i: usize| match plan[i].1 {
            Output::Handout => job.pdf(registry),
            Output::Workbook => job.xlsx(registry),
            Output::Page => Ok(render::write_html(registry, &job.template)),
            Output::Data => render::write_csv(registry),
            Output::TownHandout(town) => job.pdf(&registry.for_town(town)),
        };

        let next = AtomicUsize::new(0);
        let results: Vec<Mutex<Option<Result<Vec<u8>>>>> =
            plan.iter().map(|_| Mutex::new(None)).collect();
        let work = |job: &Job| loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= plan.len() {
                break;
            }
            let built = build_one(job, i);
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(built);
        };
        let template = &self.template;
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(plan.len());
        std::thread::scope(|scope| {
            for _ in 1..workers {
                scope.spawn(|| {
                    if let Ok(job) = Job::new(template.clone()) {
                        work(&job);
                    }
                });
            }
            work(self);
        });
        plan.into_iter()
            .zip(results)
            .map(|((path, _), result)| {
                let bytes = result.into_inner().unwrap_or_else(|e| e.into_inner());
                Ok((
                    path,
                    bytes.expect("every planned file is built by a worker")?,
                ))
            })
            .collect()
    }
}

/// Writes the files of [`Job::build`] into `out_dir` all or nothing (see [`output`]):
/// `inputs` (the registry, a template) are never overwritten; `notice` hears when the
/// folder is busy with another run.
///
/// # Errors
/// As [`output::write_set`]; nothing is changed then.
pub fn write_all(
    out_dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    inputs: &[&Path],
    notice: &mut dyn FnMut(&i18n::Text),
) -> Result<output::Report> {
    output::write_set(out_dir, files, inputs, notice)
}
