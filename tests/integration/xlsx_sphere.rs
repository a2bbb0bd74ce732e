//! The workbook of the sphere example read back with calamine: the 成果指標 and 事業費
//! sheets and each town sheet's budget share, values and the cached results of their
//! formulas.

use calamine::{open_workbook, Data, Reader, Xlsx};

use shiryo::model::{KpiValue, Registry};

use super::common::*;

fn build() -> (
    tempfile::TempDir,
    Registry,
    Xlsx<std::io::BufReader<std::fs::File>>,
) {
    let path = root().join("data/kamikawa-2025.yaml");
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("k.xlsx");
    let out = shiryo(
        dir.path(),
        &["xlsx", path.to_str().unwrap(), "-o", xlsx.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wb = open_workbook(&xlsx).expect("calamine opens the workbook");
    (dir, shiryo::registry::load(&path).unwrap(), wb)
}

fn number(range: &calamine::Range<Data>, row: u32, col: u32) -> Option<f64> {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

fn string(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        _ => String::new(),
    }
}

#[test]
fn the_sheets_follow_participation_when_the_registry_has_kpis_and_budgets() {
    let (_dir, _, wb) = build();
    let names = wb.sheet_names();
    let at = |n: &str| names.iter().position(|s| s == n).unwrap();
    assert_eq!(at("成果指標"), at("参加状況") + 1);
    assert_eq!(at("事業費"), at("成果指標") + 1);
    // The seed has neither: its workbook is unchanged.
    let seed = build_seed();
    let wb: Xlsx<_> = open_workbook(seed.path().join("out/registry.xlsx")).unwrap();
    assert!(!wb
        .sheet_names()
        .iter()
        .any(|s| s == "成果指標" || s == "事業費"));
}

#[test]
fn kpi_sheet_has_one_row_per_kpi_with_live_achievement_rates() {
    let (_dir, registry, mut wb) = build();
    let values = wb.worksheet_range("成果指標").unwrap();
    let formulas = wb.worksheet_formula("成果指標").unwrap();
    assert_eq!(string(&values, 1, 2), "成果指標");
    assert_eq!(string(&values, 1, 10), "達成率");
    let mut row = 1;
    let mut rates = 0;
    for p in registry.projects() {
        for k in &p.kpis {
            row += 1;
            assert_eq!(number(&values, row, 0), Some(f64::from(p.number)));
            assert_eq!(string(&values, row, 1), p.name);
            assert_eq!(string(&values, row, 2), k.indicator);
            assert_eq!(string(&values, row, 3), k.unit);
            for (col, point) in [(4, &k.baseline), (6, &k.target), (8, &k.actual)] {
                let point = point.as_ref().unwrap();
                match &point.value {
                    KpiValue::Number(n) => assert_eq!(number(&values, row, col), Some(*n)),
                    KpiValue::Word(w) => assert_eq!(&string(&values, row, col), w),
                }
                let year = shiryo::wareki::format_fiscal_year(point.year, false).unwrap();
                assert_eq!(string(&values, row, col + 1), year);
            }
            match k.achievement() {
                Some(r) => {
                    rates += 1;
                    let cached = number(&values, row, 10).expect("a cached rate");
                    assert!(
                        (cached - r).abs() < 1e-12,
                        "{}: {cached} vs {r}",
                        k.indicator
                    );
                    let formula = formulas.get_value((row, 10)).unwrap();
                    assert_eq!(
                        format!("={formula}"),
                        shiryo::render::xlsx::kpi::rate_formula(row)
                    );
                }
                None => assert_eq!(number(&values, row, 10), None),
            }
            assert_eq!(
                string(&values, row, 11),
                p.grade.clone().unwrap_or_default()
            );
        }
    }
    assert!(rates >= 20);
    assert_eq!(values.end().unwrap().0, row, "no rows after the last KPI");
}

#[test]
fn budget_sheet_has_each_year_with_row_and_column_totals_as_formulas() {
    let (_dir, registry, mut wb) = build();
    let values = wb.worksheet_range("事業費").unwrap();
    let formulas = wb.worksheet_formula("事業費").unwrap();
    let towns = registry.towns.len() as u32;
    let total_col = 2 + towns;
    let mut row = 1;
    for year in registry.budget_years() {
        row += 1;
        let caption = string(&values, row, 0);
        let era = shiryo::wareki::format_fiscal_year(year, true).unwrap();
        assert!(
            caption.starts_with(&era) && caption.contains("千円"),
            "{caption}"
        );
        row += 1;
        assert_eq!(string(&values, row, 2), registry.towns[0].name);
        assert_eq!(string(&values, row, total_col), "計");
        for p in registry.projects() {
            let Some(line) = p.budget.year(year) else {
                continue;
            };
            row += 1;
            assert_eq!(number(&values, row, 0), Some(f64::from(p.number)));
            for town in registry.town_ids() {
                let cell = number(&values, row, 2 + town.0 as u32);
                assert_eq!(cell, line.amount(town).map(|a| a.as_f64()));
            }
            assert_eq!(number(&values, row, total_col), Some(line.total().as_f64()));
            let formula = formulas.get_value((row, total_col)).unwrap();
            assert!(formula.starts_with("SUM("), "{formula}");
        }
        row += 1;
        assert_eq!(string(&values, row, 0), "計");
        for town in registry.town_ids() {
            let col = 2 + town.0 as u32;
            let expected = registry.budget_town_total(year, town).as_f64();
            assert_eq!(number(&values, row, col), Some(expected));
            assert!(formulas.get_value((row, col)).unwrap().starts_with("SUM("));
        }
        let all = registry.budget_total(year).as_f64();
        assert_eq!(number(&values, row, total_col), Some(all));
        // The grand total is both the sum of the rows and of the columns.
        let by_town: f64 = (0..towns)
            .map(|t| number(&values, row, 2 + t).unwrap())
            .sum();
        assert_eq!(by_town, all);
    }
    assert_eq!(registry.budget_years().len(), 3);
}

#[test]
fn each_town_sheet_shows_its_budget_share_with_a_total() {
    let (_dir, registry, mut wb) = build();
    let year = registry.fiscal_year.unwrap();
    for town in registry.town_ids() {
        let name = &registry.town(town).name;
        let values = wb.worksheet_range(name).unwrap();
        let col = (0..40)
            .find(|&c| string(&values, 1, c).starts_with("負担額"))
            .unwrap_or_else(|| panic!("{name}: no 負担額 column"));
        let mut row = 1;
        let mut sum = 0.0;
        for p in registry.projects().filter(|p| p.has_town(town)) {
            row += 1;
            assert_eq!(number(&values, row, 0), Some(f64::from(p.number)), "{name}");
            let amount = p.budget.amount(year, town).map(|a| a.as_f64());
            assert_eq!(number(&values, row, col), amount, "{name} {}", p.number);
            sum += amount.unwrap_or(0.0);
        }
        let total = number(&values, row + 1, col).unwrap();
        assert_eq!(
            total,
            registry.budget_town_total(year, town).as_f64(),
            "{name}"
        );
        assert_eq!(total, sum);
    }
}

/// A KPI value as the data sheet holds it: a number where the registry has one.
fn point_value(range: &calamine::Range<Data>, row: u32, col: u32) -> Option<KpiValue> {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => Some(KpiValue::Number(*f)),
        Some(Data::String(s)) => Some(KpiValue::Word(s.clone())),
        None | Some(Data::Empty) => None,
        other => panic!("R{row}C{col}: {other:?}"),
    }
}

#[test]
fn data_sheet_holds_every_field_of_the_registry_one_value_per_cell() {
    let (_dir, registry, mut wb) = build();
    let range = wb.worksheet_range("データ").unwrap();
    let kpis = registry.projects().map(|p| p.kpis.len()).max().unwrap();
    let years = registry.budget_years();
    assert!(kpis >= 2 && years.len() >= 3, "the example has every field");
    // The seed's columns and the towns first, then the new fields.
    let first = 6 + registry.towns.len() as u32;
    let mut header: Vec<String> = ["ID", "主担当", "担当課", "評価", "今後の方向性"]
        .map(String::from)
        .to_vec();
    for n in 1..=kpis {
        for name in [
            "成果指標",
            "単位",
            "基準値",
            "基準年度",
            "目標値",
            "目標年度",
            "実績値",
            "実績年度",
        ] {
            header.push(format!("{name}{n}"));
        }
    }
    header.extend(
        years
            .iter()
            .map(|y| format!("事業費{y}年度（{}）", registry.unit)),
    );
    let got: Vec<String> = (first..range.width() as u32)
        .map(|c| string(&range, 0, c))
        .collect();
    assert_eq!(got, header);
    let col = |h: &str| first + header.iter().position(|x| x == h).unwrap() as u32;
    let mut rows = 0;
    for (k, (area, category, p)) in registry.rows().enumerate() {
        let row = 1 + k as u32;
        let at = format!("project {} (row {})", p.number, row + 1);
        assert_eq!(string(&range, row, 0), area.name, "{at}");
        assert_eq!(string(&range, row, 1), category.name, "{at}");
        assert_eq!(number(&range, row, 2), Some(f64::from(p.number)), "{at}");
        assert_eq!(string(&range, row, 3), p.name, "{at}");
        assert_eq!(string(&range, row, 4), p.status, "{at}");
        assert_eq!(string(&range, row, 5), p.summary, "{at}");
        for town in registry.town_ids() {
            let mark = if p.has_town(town) { "○" } else { "" };
            assert_eq!(string(&range, row, 6 + town.0 as u32), mark, "{at}");
        }
        let text = |c: u32| string(&range, row, c);
        assert_eq!(text(col("ID")), p.id.clone().unwrap_or_default(), "{at}");
        let lead = p.lead.map(|t| registry.town(t).name.clone());
        assert_eq!(text(col("主担当")), lead.unwrap_or_default(), "{at}");
        let department = p.department.clone().unwrap_or_default();
        assert_eq!(text(col("担当課")), department, "{at}");
        assert_eq!(
            text(col("評価")),
            p.grade.clone().unwrap_or_default(),
            "{at}"
        );
        let direction = p.direction.clone().unwrap_or_default();
        assert_eq!(text(col("今後の方向性")), direction, "{at}");
        for n in 0..kpis {
            let c = |name: &str| col(&format!("{name}{}", n + 1));
            let Some(kpi) = p.kpis.get(n) else {
                for name in ["成果指標", "単位", "基準値", "基準年度", "目標値", "実績値"]
                {
                    assert_eq!(range.get_value((row, c(name))), Some(&Data::Empty), "{at}");
                }
                continue;
            };
            assert_eq!(text(c("成果指標")), kpi.indicator, "{at}");
            assert_eq!(text(c("単位")), kpi.unit, "{at}");
            for (name, point) in [
                ("基準", &kpi.baseline),
                ("目標", &kpi.target),
                ("実績", &kpi.actual),
            ] {
                let value = point_value(&range, row, c(&format!("{name}値")));
                assert_eq!(
                    value,
                    point.as_ref().map(|p| p.value.clone()),
                    "{at} {name}"
                );
                let year = number(&range, row, c(&format!("{name}年度")));
                assert_eq!(
                    year,
                    point.as_ref().map(|p| f64::from(p.year)),
                    "{at} {name}"
                );
            }
        }
        for year in &years {
            let total = p.budget.total(*year).map(|a| a.as_f64());
            let h = format!("事業費{year}年度（{}）", registry.unit);
            assert_eq!(number(&range, row, col(&h)), total, "{at} {year}");
        }
        rows += 1;
    }
    assert_eq!(range.height(), 1 + rows);
    assert_eq!(range.width(), first as usize + header.len());
    wb.load_merged_regions().unwrap();
    assert!(wb.merged_regions_by_sheet("データ").is_empty());
}
