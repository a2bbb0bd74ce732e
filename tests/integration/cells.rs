//! The handout read back from the PDF (lopdf) cell by cell: each page's text, in
//! content order, is exactly the page's label, title, header cells, then each of its
//! rows' cells from the registry in the template's column order, and the page number.

use std::path::Path;

use shiryo::layout::{layout_handout, Fonts};
use shiryo::model::Registry;
use shiryo::template::ColumnKey;
use shiryo::Template;

use super::common::*;

/// The text of `registry`'s cell of project `index` in column `key`, as the registry has it.
fn cell(registry: &Registry, index: usize, key: ColumnKey) -> String {
    let (area, cat, p) = registry.rows().nth(index).expect("a project");
    match key {
        ColumnKey::Area => area.name.clone(),
        ColumnKey::Category => cat.name.clone(),
        ColumnKey::Project => p.label(),
        ColumnKey::Status => p.status.clone(),
        ColumnKey::Summary => p.summary.clone(),
        ColumnKey::Towns => registry.town_list(p),
        ColumnKey::Lead => registry.town(p.lead.expect("a lead")).name.clone(),
        ColumnKey::Department => p.department.clone().unwrap_or_default(),
        ColumnKey::Grade => p.grade.clone().unwrap_or_default(),
        ColumnKey::Direction => p.direction.clone().unwrap_or_default(),
        ColumnKey::Kpi => p
            .kpis
            .iter()
            .map(|k| {
                let points = [
                    ("基準値", &k.baseline),
                    ("目標値", &k.target),
                    ("実績値", &k.actual),
                ];
                let values: String = points
                    .iter()
                    .filter_map(|(name, pt)| pt.as_ref().map(|pt| (name, pt)))
                    .map(|(name, pt)| format!("{name}：{}（{}）", pt.value, reiwa_fy(pt.year)))
                    .collect();
                format!("{}（{}）{values}", k.indicator, k.unit)
            })
            .collect(),
        ColumnKey::Budget => {
            let year = registry.fiscal_year.expect("the example names its 年度");
            let total = p
                .budget
                .total(year)
                .expect("a budget that year")
                .to_string();
            assert!(!total.contains('.'), "the example's amounts are whole");
            // Digits grouped by three: 12,500.
            let digits: Vec<char> = total.chars().collect();
            let mut grouped = String::new();
            for (i, c) in digits.iter().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(*c);
            }
            grouped
        }
    }
}

/// 令和 fiscal years as the examples use them (2019 is 令和元年度).
fn reiwa_fy(year: i32) -> String {
    assert!(
        (2019..2100).contains(&year),
        "the examples' years are in 令和"
    );
    match year - 2018 {
        1 => "令和元年度".into(),
        n => format!("令和{n}年度"),
    }
}

/// Checks `pdf` (built from `registry` with `tpl`) page by page.
fn assert_cells_read_back(pdf: &Path, registry: &Registry, tpl: &Template) {
    let fonts = Fonts::family(tpl.pdf.font).unwrap();
    // Which rows are on which page is the layout's decision; what the cells say is
    // the registry's.
    let handout = layout_handout(registry, tpl, &fonts);
    let pages = pdf_pages_text(pdf);
    assert_eq!(pages.len(), handout.pages.len());
    let headers: String = tpl
        .columns
        .header_cells(&[("count", &registry.project_count().to_string())])
        .into_iter()
        .map(|(_, h)| h)
        .collect();
    let merged = |k: ColumnKey| matches!(k, ColumnKey::Area | ColumnKey::Category);
    let area_of = |i: usize| {
        registry
            .rows()
            .nth(i)
            .map(|(a, c, _)| (a.name.clone(), c.name.clone()))
    };
    let title = tpl.pdf.title.replace("{title}", &registry.title);
    let meeting = match (&registry.meeting, registry.date) {
        (Some(m), Some(d)) => {
            assert_eq!(d.year(), 2025, "the examples' meetings are in 令和7年");
            format!("{m}令和7年{}月{}日", u8::from(d.month()), d.day())
        }
        (Some(m), None) => m.clone(),
        (None, _) => String::new(),
    };
    let stamp = registry.revision.clone().unwrap_or_default();
    let mut under = String::new();
    if tpl.columns.get(ColumnKey::Grade).is_some() && !registry.grades.is_empty() {
        under += "凡例";
        for g in &registry.grades {
            under += &format!("{}：{}", g.key, g.meaning);
        }
    }
    for note in &registry.notes {
        under += &format!("※{note}");
    }
    let last = pages.len() - 1;
    for (n, (text, page)) in pages.iter().zip(&handout.pages).enumerate() {
        // A page holding only what stands under the table has no header row.
        let headers = if page.rows.is_empty() && n > 0 {
            ""
        } else {
            headers.as_str()
        };
        let mut want = format!("{}{stamp}{title}{meeting}{headers}", registry.label);
        for (k, &row) in page.rows.iter().enumerate() {
            for c in &tpl.columns.0 {
                // A merged cell's text comes before its first row on the page.
                let starts = k == 0
                    || match c.key {
                        ColumnKey::Area => {
                            area_of(row).unwrap().0 != area_of(page.rows[k - 1]).unwrap().0
                        }
                        ColumnKey::Category => area_of(row) != area_of(page.rows[k - 1]),
                        _ => true,
                    };
                if !merged(c.key) || starts {
                    want += &cell(registry, row, c.key);
                }
            }
        }
        if n == last {
            want += &under;
        }
        want += &format!("-{}-", n + 1);
        assert_eq!(squeeze(text), squeeze(&want), "page {}", n + 1);
    }
}

#[test]
fn every_cell_reads_back_from_the_pdf_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let registry = seed_registry();
    let out = shiryo(
        dir.path(),
        &[
            "pdf",
            seed_registry_path().to_str().unwrap(),
            "-o",
            "seed.pdf",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_cells_read_back(
        &dir.path().join("seed.pdf"),
        &registry,
        &Template::default(),
    );
}

#[test]
fn every_cell_and_note_of_the_seika_table_reads_back_from_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let path = root().join("tests/layout/registries/seika.yaml");
    let registry = shiryo::registry::load(&path).unwrap();
    assert!(registry
        .projects()
        .all(|p| !p.kpis.is_empty() && p.grade.is_some()));
    for (name, file) in [("seika", "seika.pdf"), ("shiryo2", "progress.pdf")] {
        let out = shiryo(
            dir.path(),
            &[
                "--template",
                name,
                "pdf",
                path.to_str().unwrap(),
                "-o",
                file,
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tpl = Template::bundled(name).unwrap();
        assert_cells_read_back(&dir.path().join(file), &registry, &tpl);
    }
}

#[test]
fn a_template_of_staffs_own_columns_reads_back_with_its_header_variables() {
    let dir = tempfile::tempdir().unwrap();
    let path = root().join("tests/layout/registries/seika.yaml");
    let registry = shiryo::registry::load(&path).unwrap();
    let columns = "columns:
  - {key: category,   width: 40}
  - {key: project,    header: 事業名, width: 60}
  - {key: department, header: 担当課, width: 50}
  - {key: budget,     header: \"{year}事業費（{unit}）\", width: 40}
  - {key: towns,      header: 関係市町, width: 87}

xlsx:";
    let text = shiryo::template::DEFAULT_TEMPLATE;
    let start = text.find("columns:\n").unwrap();
    let end = text.find("xlsx:").unwrap();
    let tpl_text = format!("{}{columns}{}", &text[..start], &text[end + 5..]);
    std::fs::write(dir.path().join("own.yaml"), &tpl_text).unwrap();
    let tpl = Template::load(&dir.path().join("own.yaml")).unwrap();
    let headers: Vec<String> = tpl
        .columns
        .header_cells(&[("year", "令和7年度"), ("unit", "千円")])
        .into_iter()
        .map(|(_, h)| h)
        .collect();
    assert_eq!(headers[2], "令和7年度事業費（千円）");
    let out = shiryo(
        dir.path(),
        &[
            "--template",
            "own.yaml",
            "pdf",
            path.to_str().unwrap(),
            "-o",
            "own.pdf",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Header variables are filled in by the document, not here: read them back.
    let first = squeeze(&pdf_pages_text(&dir.path().join("own.pdf"))[0]);
    assert!(
        first.contains("事業名担当課令和7年度事業費（千円）関係市町"),
        "{first}"
    );
    let vars_tpl = Template::parse(
        "own.yaml".as_ref(),
        &tpl_text.replace("\"{year}事業費（{unit}）\"", "令和7年度事業費（千円）"),
    )
    .unwrap();
    assert_cells_read_back(&dir.path().join("own.pdf"), &registry, &vars_tpl);
}
