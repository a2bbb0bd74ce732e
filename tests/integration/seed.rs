//! The bundled registry against the official document's text.

use super::common::*;

struct SeedProject {
    number: u32,
    name: String,
    status: String,
    summary: String,
    towns: Vec<String>,
}

/// The project lines of the extracted 資料2 text: `…\t<no> <name>\t<status>\t<summary>\t<towns>`.
fn seed_projects() -> Vec<SeedProject> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/seed.txt")).unwrap();
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let n = f.len();
            if n < 4 {
                return None;
            }
            let (number, name) = f[n - 4].split_once(' ')?;
            Some(SeedProject {
                number: number.parse().ok()?,
                name: name.to_string(),
                status: f[n - 3].to_string(),
                summary: f[n - 2].to_string(),
                towns: f[n - 1].split('、').map(str::to_string).collect(),
            })
        })
        .collect()
}

#[test]
fn every_project_matches_the_seed_character_for_character() {
    let registry = seed_registry();
    let seed = seed_projects();
    assert_eq!(seed.len(), 18);
    let projects: Vec<_> = registry.rows().map(|(_, _, p)| p).collect();
    assert_eq!(projects.len(), seed.len());
    for (p, s) in projects.iter().zip(&seed) {
        assert_eq!(p.number, s.number);
        assert_eq!(p.name, s.name, "project {}", s.number);
        assert_eq!(p.status, s.status, "project {}", s.number);
        assert_eq!(p.summary, s.summary, "project {}", s.number);
        let towns: Vec<&str> = p
            .towns
            .iter()
            .map(|&t| registry.town(t).name.as_str())
            .collect();
        assert_eq!(towns, s.towns, "project {}", s.number);
    }
}

/// Areas with their categories and the numbers of their projects.
type Shape = Vec<(String, Vec<(String, Vec<u32>)>)>;

#[test]
fn areas_and_categories_are_those_of_the_printed_table() {
    let registry = seed_registry();
    assert_eq!(registry.title, "上川中部定住自立圏連携事業の進捗状況等");
    assert_eq!(registry.label, "資料2");
    let towns: Vec<&str> = registry.towns.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(towns, TOWNS);
    let shape: Shape = registry
        .areas
        .iter()
        .map(|a| {
            let cats = a
                .categories
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        c.projects.iter().map(|p| p.number).collect(),
                    )
                })
                .collect();
            (a.name.clone(), cats)
        })
        .collect();
    let expected = vec![
        (
            "生活機能の強化",
            vec![
                ("ア、医療", vec![1, 2]),
                ("イ、福祉", vec![3, 4, 5]),
                ("ウ、教育", vec![6, 7, 8]),
                ("エ、産業振興", vec![9]),
                ("オ、その他", (10..=15).collect()),
            ],
        ),
        (
            "結びつきやネットワークの強化",
            vec![
                ("ア、地域の生産者や消費者等の連携による地産地消", vec![16]),
                ("イ、地域内外の住民との交流・移住促進", vec![17]),
            ],
        ),
        (
            "圏域マネジメント能力の強化",
            vec![("ア、人材育成", vec![18])],
        ),
    ];
    let expected: Shape = expected
        .into_iter()
        .map(|(a, cs)| {
            (
                a.to_string(),
                cs.into_iter().map(|(c, ns)| (c.to_string(), ns)).collect(),
            )
        })
        .collect();
    assert_eq!(shape, expected);
}
