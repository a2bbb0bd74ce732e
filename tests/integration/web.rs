//! The web page and the CSV, read back with an HTML5 parser (scraper, html5ever) and
//! the csv crate, cell by cell against the registry.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use shiryo::render::csv::{unprotect, HEADER};
use shiryo::Registry;

use super::common::*;

/// A registry whose text would break naive HTML or CSV writers: markup characters,
/// quotes, commas, forced line breaks, formula starts, an empty summary, one-project
/// categories and areas (no rowspan) next to spanning ones.
const TRICKY: &str = r#"title: "A&B <表> の\"進捗\""
label: 資料2
date: 2024-11-25
towns: [旭川市, 鷹栖町, 東神楽町]
areas:
  - name: "=生活, 機能"
    categories:
      - name: "ア、<医療>"
        projects:
          - number: 1
            name: "-救急 \"連携\""
            status: 実施中
            summary: |
              一行目, 'quoted'
              =SUM(A1) & <b>太字</b>
            towns: [旭川市, 鷹栖町]
          - number: 2
            name: "@小児"
            status: 準備中
            towns: [東神楽町]
      - name: "+イ"
        projects:
          - number: 3
            name: "'=x"
            status: 一部実施中
            summary: "+81 電話"
            towns: [旭川市]
  - name: 単独
    categories:
      - name: ウ
        projects:
          - number: 10
            name: 単独事業
            status: 実施中
            summary: ""
            towns: [旭川市, 鷹栖町, 東神楽町]
"#;

/// Builds `yaml` (saved as `name.yaml`); returns the folder and the registry.
fn build(yaml: &str, name: &str) -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.yaml"));
    std::fs::write(&path, yaml).unwrap();
    shiryo_ok(dir.path(), &["build", path.to_str().unwrap(), "-o", "out"]);
    let registry = shiryo::registry::load(&path).unwrap();
    (dir, registry)
}

fn select<'a>(el: &ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    el.select(&Selector::parse(css).unwrap()).collect()
}

/// A cell's text as the registry holds it: `<br>` back to `\n`.
fn cell_text(cell: &ElementRef) -> String {
    let mut out = String::new();
    for node in cell.descendants() {
        if let Some(text) = node.value().as_text() {
            out += text;
        } else if node.value().as_element().is_some_and(|e| e.name() == "br") {
            out.push('\n');
        }
    }
    out
}

fn attr(cell: &ElementRef, name: &str) -> Option<String> {
    cell.value().attr(name).map(str::to_string)
}

fn check_page(html_path: &Path, registry: &Registry) {
    let text = std::fs::read_to_string(html_path).unwrap();
    let page = Html::parse_document(&text);
    assert!(page.errors.is_empty(), "parse errors: {:?}", page.errors);
    let root = page.root_element();
    assert_eq!(attr(&root, "lang").as_deref(), Some("ja"));
    for external in ["link", "script", "img", "iframe", "object"] {
        assert!(select(&root, external).is_empty(), "no <{external}>");
    }
    assert!(!text.contains("url("), "no external resources in the style");
    let h1 = select(&root, "h1");
    assert_eq!(h1.len(), 1);
    assert_eq!(cell_text(&h1[0]), registry.title);
    assert_eq!(
        select(&root, "title")[0].text().collect::<String>(),
        registry.title
    );
    assert!(
        text.contains(&format!(">{}</p>", registry.label)),
        "the label"
    );

    let table = select(&root, "table");
    assert_eq!(table.len(), 1);
    let table = table[0];
    assert_eq!(select(&table, "caption").len(), 1);

    let head: Vec<(String, Option<String>, Option<String>)> = select(&table, "thead th")
        .iter()
        .map(|th| (cell_text(th), attr(th, "scope"), attr(th, "colspan")))
        .collect();
    let count = format!("連携事業名（{}事業）", registry.project_count());
    let col = Some("col".to_string());
    assert_eq!(
        head,
        [
            ("政策分野".to_string(), col.clone(), None),
            (count, col.clone(), Some("2".into())),
            ("取組状況".into(), col.clone(), None),
            ("取組内容・事業概要".into(), col.clone(), None),
            ("関係市町".into(), col, None),
        ]
    );

    let rows = select(&table, "tbody tr");
    assert_eq!(rows.len(), registry.project_count(), "one row per project");
    let span = |n: usize| (n > 1).then(|| n.to_string());
    let mut r = 0;
    for area in &registry.areas {
        for (ci, category) in area.categories.iter().enumerate() {
            for (pi, project) in category.projects.iter().enumerate() {
                let row = rows[r];
                let ths = select(&row, "th");
                let mut expect_th = Vec::new();
                if ci == 0 && pi == 0 {
                    expect_th.push((area.name.clone(), span(area.project_count())));
                }
                if pi == 0 {
                    expect_th.push((category.name.clone(), span(category.projects.len())));
                }
                let got_th: Vec<(String, Option<String>)> = ths
                    .iter()
                    .map(|th| {
                        assert_eq!(attr(th, "scope").as_deref(), Some("row"));
                        (cell_text(th), attr(th, "rowspan"))
                    })
                    .collect();
                assert_eq!(got_th, expect_th, "row {r}: row headers");
                let tds: Vec<String> = select(&row, "td").iter().map(cell_text).collect();
                assert_eq!(
                    tds,
                    [
                        project.label(),
                        project.status.clone(),
                        project.summary.clone(),
                        registry.town_list(project),
                    ],
                    "row {r}"
                );
                r += 1;
            }
        }
    }
}

fn check_csv(csv_path: &Path, registry: &Registry) {
    let bytes = std::fs::read(csv_path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte order mark, for Excel"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(|f| f.to_string()).collect())
        .collect();
    assert_eq!(records[0][..HEADER.len()], HEADER);
    assert_eq!(records.len(), registry.project_count() + 1);
    let formula = ['=', '+', '-', '@', '\t', '\r'];
    for (record, (area, category, project)) in records[1..].iter().zip(registry.rows()) {
        for field in record {
            assert!(
                !field.starts_with(formula),
                "{field:?} would run as a formula"
            );
        }
        let fields: Vec<&str> = record.iter().map(|f| unprotect(f)).collect();
        assert_eq!(
            fields[..HEADER.len()],
            [
                project.number.to_string().as_str(),
                &area.name,
                &category.name,
                &project.name,
                &project.status,
                &project.summary,
                &registry.town_list(project),
            ]
        );
    }
}

#[test]
fn the_seed_page_and_csv_hold_every_cell_of_the_registry() {
    let dir = build_seed();
    let registry = seed_registry();
    check_page(&dir.path().join("out/registry.html"), &registry);
    check_csv(&dir.path().join("out/registry.csv"), &registry);
}

#[test]
fn markup_quotes_line_breaks_and_formula_starts_survive_the_round_trip() {
    let (dir, registry) = build(TRICKY, "tricky");
    assert!(registry.rows().any(|(_, _, p)| p.summary.contains('\n')));
    check_page(&dir.path().join("out/tricky.html"), &registry);
    check_csv(&dir.path().join("out/tricky.csv"), &registry);
    let csv = std::fs::read_to_string(dir.path().join("out/tricky.csv")).unwrap();
    assert!(csv.contains(",'=生活, 機能\"") || csv.contains(",\"'=生活, 機能\""));
    assert!(csv.contains("\r\n"), "CRLF line ends");
    let html = std::fs::read_to_string(dir.path().join("out/tricky.html")).unwrap();
    assert!(html.contains("2024年11月25日"), "the registry's date");
    assert!(!html.contains("<b>"), "text is escaped, never markup");
}

/// The fields beyond the seed follow the seven columns, as on the workbook's データ
/// sheet: read back by their headers and compared with the registry's values.
#[test]
fn the_csv_carries_the_fields_beyond_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let path = root().join("data/kamikawa-2025.yaml");
    shiryo_ok(dir.path(), &["build", path.to_str().unwrap(), "-o", "out"]);
    let registry = shiryo::registry::load(&path).unwrap();
    let csv_path = dir.path().join("out/kamikawa-2025.csv");
    check_csv(&csv_path, &registry);
    let bytes = std::fs::read(&csv_path).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let number = |v: &shiryo::model::KpiValue| match v {
        shiryo::model::KpiValue::Number(n) => n.to_string(),
        shiryo::model::KpiValue::Word(w) => w.clone(),
    };
    let year = registry
        .fiscal_year
        .expect("kamikawa-2025 has a fiscal year");
    let budget = column(&format!("事業費{year}年度（{}）", registry.unit));
    let mut kpis = 0;
    for (record, (_, _, p)) in reader.records().zip(registry.rows()) {
        let record = record.unwrap();
        let field = |name: &str| unprotect(&record[column(name)]).to_string();
        assert_eq!(field("ID"), p.id.clone().unwrap_or_default());
        let lead = p.lead.map(|t| registry.town(t).name.clone());
        assert_eq!(field("主担当"), lead.unwrap_or_default());
        assert_eq!(field("担当課"), p.department.clone().unwrap_or_default());
        assert_eq!(field("評価"), p.grade.clone().unwrap_or_default());
        assert_eq!(
            field("今後の方向性"),
            p.direction.clone().unwrap_or_default()
        );
        for (n, kpi) in p.kpis.iter().enumerate() {
            let n = n + 1;
            assert_eq!(field(&format!("成果指標{n}")), kpi.indicator);
            assert_eq!(field(&format!("単位{n}")), kpi.unit);
            if let Some(actual) = &kpi.actual {
                assert_eq!(field(&format!("実績値{n}")), number(&actual.value));
                assert_eq!(field(&format!("実績年度{n}")), actual.year.to_string());
            }
            kpis += 1;
        }
        let total = p.budget.total(year).map(|a| a.as_f64().to_string());
        assert_eq!(record[budget].to_string(), total.unwrap_or_default());
    }
    assert!(kpis >= 20, "{kpis} KPIs compared");
}

/// The page is the template's table: with `--template seika` its columns are the
/// 成果指標 table's, as printed, each cell the registry's value.
#[test]
fn the_page_follows_the_templates_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = root().join("data/kamikawa-2025.yaml");
    shiryo_ok(
        dir.path(),
        &[
            "--template",
            "seika",
            "build",
            path.to_str().unwrap(),
            "-o",
            "out",
        ],
    );
    let registry = shiryo::registry::load(&path).unwrap();
    let text = std::fs::read_to_string(dir.path().join("out/kamikawa-2025.html")).unwrap();
    let page = Html::parse_document(&text);
    assert!(page.errors.is_empty(), "parse errors: {:?}", page.errors);
    let root = page.root_element();
    let head: Vec<String> = select(&root, "thead th").iter().map(cell_text).collect();
    assert_eq!(
        head,
        [
            "政策分野".to_string(),
            format!("連携事業名（{}事業）", registry.project_count()),
            "成果指標（基準値・目標値・実績値）".into(),
            "評価".into(),
            "今後の方向性".into(),
            "主担当".into(),
        ]
    );
    let rows = select(&root, "tbody tr");
    assert_eq!(rows.len(), registry.project_count());
    for (row, (_, _, p)) in rows.iter().zip(registry.rows()) {
        let td = |class: &str| cell_text(&select(row, &format!("td.{class}"))[0]);
        assert_eq!(td("name"), p.label());
        assert_eq!(td("grade"), p.grade.clone().unwrap_or_default());
        assert_eq!(td("direction"), p.direction.clone().unwrap_or_default());
        let lead = p.lead.map(|t| registry.town(t).name.clone());
        assert_eq!(td("lead"), lead.unwrap_or_default());
        for kpi in &p.kpis {
            assert!(td("kpi").contains(&kpi.indicator), "{}", td("kpi"));
        }
        assert!(select(row, "td.status").is_empty(), "no 取組状況 column");
    }
}
