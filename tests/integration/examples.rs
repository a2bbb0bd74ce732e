//! The example registries in data/: each is valid and builds, and the sphere example
//! (data/kamikawa-2025.yaml) carries every field beyond the seed.

use shiryo::model::{KpiValue, DEFAULT_ROLE};

use super::common::*;

fn examples() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 2, "the seed and at least one sphere example");
    paths
}

#[test]
fn every_example_checks_and_builds_with_each_project_in_the_handout() {
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let check = shiryo(dir.path(), &["check", path.to_str().unwrap()]);
        assert!(check.status.success(), "{name}: {check:?}");
        let out = dir.path().join("out");
        let build = shiryo(
            dir.path(),
            &["build", path.to_str().unwrap(), "-o", out.to_str().unwrap()],
        );
        assert!(
            build.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&build.stderr)
        );
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let registry = shiryo::registry::load(&path).unwrap();
        let pages = pdf_pages_text(&out.join(format!("{stem}.pdf")));
        let all = squeeze(&pages.concat());
        for p in registry.projects() {
            assert!(all.contains(&squeeze(&p.label())), "{name}: {}", p.label());
        }
        assert!(out.join(format!("{stem}.xlsx")).is_file(), "{name}");
        for town in &registry.towns {
            let handout = out.join("towns").join(format!("{}.pdf", town.name));
            assert!(handout.is_file(), "{name}: {}", handout.display());
        }
    }
}

#[test]
fn the_sphere_example_carries_every_field_beyond_the_seed() {
    let r = shiryo::registry::load(&root().join("data/kamikawa-2025.yaml")).unwrap();
    assert!(r.project_count() >= 20);
    assert_eq!(r.fiscal_year, Some(2025));
    assert!(r.date.is_some() && r.meeting.is_some() && r.revision.is_some());
    assert!(r.towns.iter().any(|t| t.role != DEFAULT_ROLE));
    assert!(r.grades.len() >= 3 && r.directions.len() >= 4 && !r.notes.is_empty());
    let projects: Vec<_> = r.projects().collect();
    assert!(projects.iter().all(|p| p.id.is_some()
        && p.lead.is_some()
        && p.department.is_some()
        && p.direction.is_some()
        && !p.kpis.is_empty()));
    assert!(projects.iter().filter(|p| p.grade.is_some()).count() >= 15);
    // Every grade of the legend and several directions are used.
    for g in &r.grades {
        assert!(
            projects.iter().any(|p| p.grade.as_deref() == Some(&g.key)),
            "{}",
            g.key
        );
    }
    let kpis: Vec<_> = projects.iter().flat_map(|p| &p.kpis).collect();
    assert!(kpis
        .iter()
        .any(|k| matches!(k.actual.as_ref().map(|a| &a.value), Some(KpiValue::Word(_)))));
    assert!(kpis.iter().filter(|k| k.achievement().is_some()).count() >= 20);
    // Budgets over three fiscal years, with the central city's share the largest.
    assert_eq!(r.budget_years(), [2023, 2024, 2025]);
    let total = r.budget_total(2025);
    let by_town: shiryo::model::Amount = r.town_ids().map(|t| r.budget_town_total(2025, t)).sum();
    assert_eq!(total, by_town, "row and column totals agree");
    let city = r.budget_town_total(2025, shiryo::model::TownId(0));
    assert!(r.town_ids().all(|t| r.budget_town_total(2025, t) <= city));
}

#[test]
fn the_seika_handout_of_the_sphere_example_prints_its_kpis_and_legend() {
    let path = root().join("data/kamikawa-2025.yaml");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("seika.pdf");
    let out = shiryo(
        dir.path(),
        &[
            "--template",
            "seika",
            "pdf",
            path.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = squeeze(&pdf_pages_text(&pdf).concat());
    let r = shiryo::registry::load(&path).unwrap();
    for k in r.projects().flat_map(|p| &p.kpis) {
        assert!(all.contains(&squeeze(&k.indicator)), "{}", k.indicator);
    }
    for g in &r.grades {
        assert!(all.contains(&squeeze(&g.meaning)), "legend: {}", g.meaning);
    }
    assert!(all.contains("令和7年11月20日"));
}
