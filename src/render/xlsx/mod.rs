//! Stage 3b: registry + font metrics → the workbook (rust_xlsxwriter).
//!
//! ```text
//! <stem>.xlsx                  one module per sheet, written in this order
//! ├── 資料2        table.rs          the table as printed: merged 政策分野 / category
//! │                                  cells, header repeated
//! ├── 旭川市 …     town.rs           one appendix sheet per member town, in member
//! │                                  order: its projects and their count
//! ├── 参加状況     participation.rs  projects × towns with ○, totals per town and project
//! ├── 成果指標     kpi.rs            one row per KPI, 達成率 as a formula (registries
//! │                                  with KPIs)
//! ├── 事業費       budget.rs         per fiscal year projects × towns, totals as
//! │                                  formulas (registries with budgets)
//! └── データ       data.rs           one row per project, one value per cell (総務省's
//!                                    machine-readable rules), autofilter
//!
//! styles.rs   the cell formats every sheet shares
//! sizer.rs    row heights and column widths from the font's metrics
//! package/    the zip: rust_xlsxwriter's parts deflated again on every core
//! ```
//! Every sheet is print-ready (A4 landscape, one page wide, header rows repeated,
//! page numbers, print area, frozen header). Row heights are computed here from the
//! font's advances: neither Excel nor LibreOffice autofits rows with wrapped or merged
//! cells written by a library. All text is written as strings, so a summary starting
//! with `=` stays text. No wall-clock time is written: the same registry gives the
//! same bytes.

pub mod budget;
mod data;
pub mod diff;
pub mod kpi;
mod package;
mod participation;
pub(crate) mod sizer;
mod styles;
mod table;
mod town;

use std::sync::{Mutex, OnceLock};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet};

use crate::error::{Error, Location, Problem, Result};
use crate::layout::Fonts;
use crate::model::{Registry, TownId};
use crate::template::Template;
use crate::tr;
use data::data_sheet;
use participation::participation_sheet;
use sizer::Sizer;
use styles::Styles;
use table::main_sheet;
use town::town_sheet;

/// The font name Excel and LibreOffice know BIZ UDGothic by (Windows 10+ ships it).
pub const FONT_NAME: &str = "BIZ UDゴシック";

/// Saves a workbook, its parts deflated on every core, four at most ([`package`]):
/// each worker holds about 10 MB more at the peak, and the sphere's workbook stays
/// under 200 MB.
pub fn save(workbook: &mut Workbook) -> Result<Vec<u8>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    package::save_on(workbook, workers.min(4))
}

/// Builds the workbook of `registry`.
///
/// # Errors
/// [`Error::Invalid`] when a sheet name from the template collides with the label or a
/// town; [`Error::Xlsx`] if rust_xlsxwriter refuses a value.
pub fn write_xlsx(registry: &Registry, tpl: &Template, fonts: &Fonts) -> Result<Vec<u8>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    build(registry, tpl, fonts, Schedule { workers, first: 0 })
}

/// How the sheets are filled: on how many threads, starting from which sheet (the
/// tests' way to show that the file does not depend on the order).
#[derive(Debug, Clone, Copy)]
struct Schedule {
    workers: usize,
    first: usize,
}

fn build(
    registry: &Registry,
    tpl: &Template,
    fonts: &Fonts,
    schedule: Schedule,
) -> Result<Vec<u8>> {
    let participation = &tpl.xlsx.participation_sheet;
    let data = &tpl.xlsx.data_sheet.name;
    let taken: Vec<String> = registry
        .towns
        .iter()
        .map(|t| &t.name)
        .chain([&registry.label])
        .map(|n| n.to_lowercase())
        .collect();
    let clash = [participation.as_str(), data, kpi::SHEET, budget::SHEET]
        .into_iter()
        .find(|n| taken.contains(&n.to_lowercase()))
        .or((participation.to_lowercase() == data.to_lowercase()).then_some(data.as_str()));
    if let Some(participation) = clash {
        return Err(Error::invalid(
            &registry.source.path,
            vec![Problem::new(
                Location::default(),
                tr!(
                    "the sheet name {participation} is used by a town or the label",
                    "シート名 {participation} が市町村名かラベルと重なっています"
                ),
            )
            .with_help(tr!(
                "rename it, or set xlsx.participation_sheet or xlsx.data_sheet.name in a template",
                "名前を変えるか、テンプレートの xlsx.participation_sheet か xlsx.data_sheet.name を設定してください"
            ))],
        ));
    }

    let styles = Styles::new(tpl, registry);
    let mut workbook = Workbook::new();
    workbook.set_default_format(
        &styles::normal(),
        styles::NORMAL_ROW_PIXELS,
        styles::NORMAL_COLUMN_PIXELS,
    )?;
    let date = ExcelDateTime::from_timestamp(registry.timestamp)?;
    let properties = DocProperties::new()
        .set_title(&registry.title)
        .set_subject(&registry.label)
        .set_author(registry.author.as_deref().unwrap_or(""))
        .set_comment(registry.meeting.as_deref().unwrap_or(""))
        .set_creation_datetime(&date)
        // What the sheets do not show, for `shiryo import` to read back: the declared
        // statuses in their order, unused ones included.
        .set_custom_property(
            crate::import::STATUSES_PROPERTY,
            crate::import::flow_list(registry.statuses.iter().map(String::as_str)).as_str(),
        );
    let mut properties = properties;
    for (name, value) in crate::import::sphere::properties(registry) {
        properties = properties.set_custom_property(name, value.as_str());
    }
    workbook.set_properties(&properties);

    let mut parts = vec![Part::Main];
    parts.extend(registry.town_ids().map(Part::Town));
    parts.push(Part::Participation);
    if registry.has_kpis() {
        parts.push(Part::Kpi);
    }
    if !registry.budget_years().is_empty() {
        parts.push(Part::Budget);
    }
    parts.push(Part::Data);

    // Constant memory mode: rows go to a temporary file as they are written, so a
    // registry of 10,000 projects (about 500,000 cells over ten sheets) stays small.
    // rust_xlsxwriter 0.102 writes the last row of such a sheet twice when that row has
    // a height of its own (`flush_last_row` flushes the current row, then again as a
    // "changed row"): Excel calls the file damaged. So a constant-memory sheet ends
    // with a row of the default height (the town sheets' count, 参加状況's totals),
    // and 資料2, whose last row is a project of many lines, is built in memory (one
    // row per project: 60,000 cells for 10,000 projects).
    workbook.add_worksheet();
    for _ in 1..parts.len() {
        workbook.add_worksheet_with_constant_memory()?;
    }
    styles.register(&mut workbook, registry);

    // The sheets are independent: each is filled on whichever thread is free (a face
    // caches its advances, so each thread measures with fonts of its own). The file
    // does not depend on the threads: formats are registered above, strings are
    // inline, and rows and cells go to each sheet's own temporary file.
    let names: Vec<String> = registry.towns.iter().map(|t| t.name.clone()).collect();
    let town_rows = OnceLock::new();
    let mut jobs: Vec<_> = parts
        .iter()
        .zip(workbook.worksheets_mut())
        .enumerate()
        .collect();
    let first = schedule.first % jobs.len();
    jobs.rotate_left(first);
    let queue = Mutex::new(jobs.into_iter());
    let results: Vec<Mutex<Option<Result<()>>>> = parts.iter().map(|_| Mutex::new(None)).collect();
    let work = |fonts: &Fonts| {
        let sizer = Sizer {
            fonts,
            size: tpl.xlsx.font_size,
            towns: names.clone(),
        };
        loop {
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((i, (part, sheet))) = next else {
                break;
            };
            let built = match *part {
                Part::Main => main_sheet(sheet, registry, tpl, &styles, &sizer),
                Part::Town(town) => {
                    let rows = town_rows.get_or_init(|| town::town_rows(registry, tpl, &sizer));
                    town_sheet(sheet, registry, town, tpl, &styles, &sizer, rows)
                }
                Part::Participation => participation_sheet(sheet, registry, tpl, &styles, &sizer),
                Part::Kpi => kpi::kpi_sheet(sheet, registry, tpl, &styles, &sizer),
                Part::Budget => budget::budget_sheet(sheet, registry, tpl, &styles, &sizer),
                Part::Data => data_sheet(sheet, registry, tpl, &styles),
            };
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(built);
        }
    };
    let others = (1..schedule.workers.min(parts.len()))
        .map(|_| fonts.reparsed())
        .collect::<Result<Vec<Fonts>>>()?;
    std::thread::scope(|scope| {
        for fonts in others {
            let work = &work;
            scope.spawn(move || work(&fonts));
        }
        work(fonts);
    });
    for result in results {
        let built = result.into_inner().unwrap_or_else(|e| e.into_inner());
        built.expect("every sheet is filled by a worker")?;
    }
    save(&mut workbook)
}

/// One sheet of the workbook, in sheet order.
#[derive(Debug, Clone, Copy)]
enum Part {
    Main,
    Town(TownId),
    Participation,
    Kpi,
    Budget,
    Data,
}

/// `title` in row 0 over columns 0 to `last_col` (`width` points together), broken
/// into lines as the other sheets' titles and the row as tall as they need.
fn title_row(
    sheet: &mut Worksheet,
    title: &str,
    last_col: u16,
    width: f64,
    tpl: &Template,
    styles: &Styles,
    sizer: &Sizer,
) -> Result<()> {
    let size = tpl.xlsx.title_font_size;
    let title = sizer.wrap_bold(title, width, size);
    sheet.merge_range(0, 0, 0, last_col, &title.text, &styles.title)?;
    sheet.set_row_height(0, sizer.height_at(title.lines, size) + size * 0.6)?;
    Ok(())
}

/// The page of every sheet: A4 landscape, one page wide, centred, `- N -` below.
pub(super) fn page_setup(sheet: &mut Worksheet) {
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3)
        .set_footer("&C- &P -");
}

/// Page setup shared by the sheets with one header row: [`page_setup`], the header
/// repeated on every page and frozen.
pub(super) fn print_ready(
    sheet: &mut Worksheet,
    header_row: u32,
    last_row: u32,
    last_col: u16,
) -> Result<()> {
    page_setup(sheet);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_print_area(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formats get their index in the workbook when first used: one that `Styles`
    /// does not register would get a different index when another sheet is filled
    /// first, and the file would depend on the threads.
    #[test]
    fn the_file_does_not_depend_on_the_threads_or_the_order_sheets_are_filled() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kamikawa-2025.yaml");
        let registry = crate::registry::load(path.as_ref()).unwrap();
        assert!(registry.has_kpis() && !registry.budget_years().is_empty());
        let tpl = Template::bundled("shiryo2").unwrap();
        let fonts = Fonts::bundled().unwrap();
        let run = |workers, first| build(&registry, &tpl, &fonts, Schedule { workers, first });
        let in_order = run(1, 0).unwrap();
        let sheets = 1 + registry.towns.len() + 4;
        for first in 1..sheets {
            let other = run(1, first).unwrap();
            assert!(
                other == in_order,
                "filled from sheet {first} on, the file differs"
            );
        }
        assert!(
            run(3, 0).unwrap() == in_order,
            "on three threads, the file differs"
        );
    }
}
