//! A large registry for benchmarks and tests: the seed's areas repeated until at
//! least `n` projects, renumbered 1, 2, … (shared by benches/ and tests/ via `#[path]`).

// Each includer uses only some of these.
#![allow(dead_code)]

/// `seed` with its `areas:` block repeated until at least `n` projects.
pub fn big_registry(seed: &str, n: usize) -> String {
    let at = seed.find("areas:\n").expect("a registry has areas") + "areas:\n".len();
    let (head, areas) = seed.split_at(at);
    let mut out = head.to_string();
    let mut number = 0;
    while number < n {
        for line in areas.lines() {
            if line.starts_with("          - number: ") {
                number += 1;
                out += &format!("          - number: {number}\n");
            } else {
                out += line;
                out.push('\n');
            }
        }
    }
    out
}

/// The member towns of [`big_sphere`], as in the seed.
const TOWNS: [&str; 8] = [
    "旭川市",
    "鷹栖町",
    "東神楽町",
    "当麻町",
    "比布町",
    "愛別町",
    "上川町",
    "東川町",
];

/// A registry of `n` projects carrying every field beyond the seed, as a sphere's
/// 成果指標 table would: each project with an id, lead town and department, grade,
/// direction, 2 KPIs (one value a word now and then) and budgets over three fiscal
/// years for each of its towns. Names and summaries are the seed's (`seed`), cycled
/// and numbered, so the text is as hard to lay out as the real table's.
pub fn big_sphere(seed: &str, n: usize) -> String {
    // (name, summary) of each seed project, read without a YAML parser.
    let mut texts: Vec<(String, String)> = Vec::new();
    for line in seed.lines() {
        let line = line.trim_start();
        // Areas and categories are list items (`- name:`); projects' names are not.
        if let Some(name) = line.strip_prefix("name: ") {
            texts.push((name.to_string(), String::new()));
        } else if let Some(summary) = line.strip_prefix("summary: ") {
            if let Some(last) = texts.last_mut() {
                last.1 = summary.to_string();
            }
        }
    }
    let mut out = String::with_capacity(n * 1100);
    out += "title: 上川中部定住自立圏共生ビジョン連携事業の進捗状況及び成果指標\n";
    out += "label: 資料2\nfiscal_year: 2025\ndate: 2025-11-20\n";
    out += "meeting: 令和7年度第2回上川中部定住自立圏共生ビジョン懇談会\nrevision: 差し替え\n";
    out += &format!("towns: [{}]\n", TOWNS.join(", "));
    out += "roles: {旭川市: 中心市}\n";
    out += "grades: {A: 目標を達成, B: 目標の8割以上を達成, C: 目標の8割未満}\n";
    out += "directions: [拡大, 改善して継続, 継続, 縮小, 終了]\n";
    out += "notes:\n  - 事業費は各年度の当初予算額（単位：千円）。\n";
    out += "  - 成果指標の実績値は令和6年度末の数値。\n";
    out += "areas:\n";
    const AREAS: [&str; 3] = [
        "生活機能の強化",
        "結びつきやネットワークの強化",
        "圏域マネジメント能力の強化",
    ];
    const PER_CATEGORY: usize = 10;
    const CATEGORIES_PER_AREA: usize = 10;
    let mut number = 0;
    while number < n {
        let area = AREAS[(number / (PER_CATEGORY * CATEGORIES_PER_AREA)) % AREAS.len()];
        out += &format!("  - name: {area}\n    categories:\n");
        for c in 0..CATEGORIES_PER_AREA {
            if number >= n {
                break;
            }
            let letter = ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ'][c];
            out += &format!("      - name: {letter}、分野{}\n        projects:\n", c + 1);
            for _ in 0..PER_CATEGORY {
                if number >= n {
                    break;
                }
                number += 1;
                sphere_project(&mut out, number, &texts);
            }
        }
    }
    out
}

fn sphere_project(out: &mut String, number: usize, texts: &[(String, String)]) {
    let (name, summary) = &texts[(number - 1) % texts.len()];
    // Between 3 and 8 towns, always the central city first (it leads most projects).
    let count = 3 + number % 6;
    let towns = &TOWNS[..count];
    let lead = towns[number % count];
    let grade = ["A", "B", "C"][number % 3];
    let direction = ["拡大", "改善して継続", "継続", "縮小"][number % 4];
    let target = 1000 + (number % 97) * 10;
    let actual = target * (70 + number % 40) / 100;
    out.push_str(&format!(
        "          - number: {number}
            id: p{number}
            name: {name}（{number}）
            status: 実施中
            summary: {summary}
            towns: [{towns}]
            lead: {lead}
            department: 総合政策部地域連携課
            grade: {grade}
            direction: {direction}
            kpis:
              - indicator: 事業の利用者数
                unit: 人
                baseline: {{year: 2019, value: {baseline}}}
                target: {{year: 2025, value: {target}}}
                actual: {{year: 2024, value: {actual}}}
              - indicator: 満足度
                unit: ％
                baseline: {{year: 2019, value: 62.5}}
                target: {{year: 2025, value: 80}}
                actual: {{year: 2024, value: {word}}}
            budget:
",
        towns = towns.join(", "),
        baseline = target * 8 / 10,
        word = if number % 10 == 0 {
            "集計中".to_string()
        } else {
            format!("{}.5", 60 + number % 30)
        },
    ));
    for (i, year) in [2023, 2024, 2025].iter().enumerate() {
        let amounts: Vec<String> = towns
            .iter()
            .enumerate()
            .map(|(t, town)| {
                let base = if t == 0 { 12000 } else { 300 + 40 * t };
                format!("{town}: {}", base + 10 * (number % 50) + 100 * i)
            })
            .collect();
        out.push_str(&format!(
            "              {year}: {{{}}}\n",
            amounts.join(", ")
        ));
    }
}
