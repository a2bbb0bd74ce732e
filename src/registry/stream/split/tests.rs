//! The two-thread reading gives the one-thread reading's result, or gives way to it.

use super::*;

use crate::registry::big_support as support;

/// The one-thread reading, as text to compare.
fn one_thread(text: &str) -> String {
    match from_str::<RawRegistry>(text) {
        Ok(r) => shown(&r),
        Err(e) => format!("{e:?}"),
    }
}

fn shown(r: &Read<RawRegistry>) -> String {
    format!("{:?}", (&r.value, &r.errors, &r.ignored))
}

/// Cuts `text` at every line that looks like an area's first line: each reading taken
/// equals the one-thread reading. Returns how many were taken.
fn every_cut(text: &str) -> usize {
    let Some(areas) = AreaLines::find(text) else {
        return 0;
    };
    let expected = one_thread(text);
    let mut taken = 0;
    for &cut in &areas.items {
        if let Some(read) = read_cut(text, &areas, cut) {
            let line = text[..cut].lines().count() + 1;
            assert_eq!(shown(&read), expected, "cut at line {line} of\n{text}");
            taken += 1;
        }
    }
    taken
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn root() -> &'static std::path::Path {
    env!("CARGO_MANIFEST_DIR").as_ref()
}

#[test]
fn every_registry_of_the_repository_reads_the_same_cut_anywhere() {
    let mut paths = Vec::new();
    files(&root().join("data"), &mut paths);
    files(&root().join("tests"), &mut paths);
    assert!(paths.len() > 100, "{}", paths.len());
    let mut cut = Vec::new();
    for path in &paths {
        // A few bad cases are not UTF-8.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if every_cut(&text) > 0 {
            cut.push(path.strip_prefix(root()).unwrap().to_path_buf());
        }
    }
    // The valid registries with several areas are read on two threads.
    for valid in [
        "data/registry.yaml",
        "data/kamikawa-2025.yaml",
        "tests/fixtures/beyond_seed.yaml",
        "tests/layout/registries/seika.yaml",
    ] {
        assert!(cut.iter().any(|p| p.ends_with(valid)), "{valid} not cut");
    }
}

#[test]
fn large_registries_are_read_on_two_threads_with_the_same_result() {
    let seed = std::fs::read_to_string(root().join("data/registry.yaml")).unwrap();
    for text in [
        support::big_registry(&seed, 3000),
        support::big_sphere(&seed, 2000),
    ] {
        assert!(text.len() >= TWO_THREADS_BYTES);
        let areas = AreaLines::find(&text).expect("areas");
        let read = read_cut(&text, &areas, areas.middle()).expect("cut in the middle");
        assert_eq!(shown(&read), one_thread(&text));
        assert_eq!(shown(&read_registry(&text).unwrap()), one_thread(&text));
        // The middle item halves the list.
        let (first, end) = (areas.items[0], areas.end);
        let middle = areas.middle();
        assert!((middle - first).abs_diff(end - middle) < (end - first) / 50);
    }
}

/// A registry of four areas, a project each, the second written in block style.
const BASE: &str = "title: T
label: L
towns: [a, b]
areas:
  - name: A1
    categories:
      - name: C
        projects:
          - {number: 1, name: P, status: 実施中, towns: [a]}
  - name: A2
    categories:
      - name: C
        projects:
          - number: 2
            name: P
            status: 実施中
            towns: [a]
  - name: A3
    categories:
      - name: C
        projects:
          - {number: 3, name: P, status: 実施中, towns: [b]}
  - name: A4
    categories:
      - name: C
        projects:
          - {number: 4, name: P, status: 実施中, towns: [b]}
";

#[test]
fn the_base_is_cut_at_each_area() {
    assert_eq!(every_cut(BASE), 4);
}

/// Lines that make a look-alike area line, or end, hide or change the list.
const AWKWARD: &[&str] = &[
    "  - name: fake",
    "# - name: fake",
    "",
    "  ",
    "\t- name: fake",
    "  - \"quoted",
    "  - 'single",
    "    name: \"A\n  - name: inside\"",
    "    name: 'A\n  - name: inside'",
    "    name: [A,\n  - b]",
    "  - {name: A5, categories: [\n  - x]}",
    "  - {name: A5, categories: [{name: C, projects: [{number: 9, name: P, status: 実施中, towns: [a]}]}]}",
    "    summary: |\n  - name: fake",
    "    name: >\n      - name: fake",
    "  - name: &x A5\n    categories: []",
    "extra: *x",
    "author: &x X",
    "towns: *x",
    "  - *x",
    "  - name: !!str A5\n    categories: []",
    "---",
    "...",
    "extra: 1",
    "areas:",
    "notes: [n]",
    "%YAML 1.2",
    "  -",
    "  -   name: A5\n      categories: []",
    "    - name: deeper",
    " - name: shallower",
    "- name: col0",
    "  - number: 7",
];

#[test]
fn awkward_lines_anywhere_read_the_same() {
    let lines: Vec<&str> = BASE.lines().collect();
    for awkward in AWKWARD {
        for at in 0..=lines.len() {
            let mut text = lines[..at].join("\n");
            if at > 0 {
                text.push('\n');
            }
            text += awkward;
            text.push('\n');
            for line in &lines[at..] {
                text += line;
                text.push('\n');
            }
            every_cut(&text);
        }
    }
}

#[test]
fn anchors_and_aliases_leave_the_reading_to_one_thread_unless_they_stay_in_the_first_part() {
    // An anchor before the list, used in the third area: the second part must not
    // hold that area.
    let text = BASE
        .replace("towns: [a, b]", "towns: &all [a, b]")
        .replacen("towns: [b]", "towns: *all", 1);
    assert_eq!(every_cut(&text), 1, "only the cut after A3");
    // An anchor redefined in the second part and used after the list.
    let text = format!(
        "{}extra: *n\n",
        BASE.replace("label: L", "label: &n L")
            .replace("name: A4", "name: &n A4")
    );
    let areas = AreaLines::find(&text).unwrap();
    let last = *areas.items.last().unwrap();
    assert!(read_cut(&text, &areas, last).is_none());
    every_cut(&text);
}

#[test]
fn line_ends_indentation_and_what_follows_the_list() {
    every_cut(&BASE.replace('\n', "\r\n"));
    every_cut(BASE.trim_end());
    let indentless: String = BASE
        .lines()
        .map(|l| {
            l.strip_prefix("  ")
                .filter(|_| l.starts_with("  "))
                .unwrap_or(l)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(every_cut(&indentless), 4);
    let deeper: String = BASE
        .lines()
        .map(|l| {
            if l.starts_with(' ') {
                format!("  {l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_eq!(every_cut(&deeper), 4);
    // Warnings after the list keep their lines.
    let after = format!("{BASE}extra: 1\nnotes: [n]\n# end\n");
    assert_eq!(every_cut(&after), 4);
    let read = read_cut(
        &after,
        &AreaLines::find(&after).unwrap(),
        2_usize.max(AreaLines::find(&after).unwrap().middle()),
    )
    .unwrap();
    assert_eq!(read.ignored[0].at.line, 28);
}

#[test]
fn nesting_is_counted_as_in_the_whole_file() {
    // Root, areas, area, categories, category, projects, project, towns: 8 levels.
    for extra in 118..=122 {
        let towns = format!("towns: {}b{}", "[".repeat(extra), "]".repeat(extra));
        let text = BASE.replacen("towns: [b]", &towns, 1);
        every_cut(&text);
    }
}

#[test]
fn a_look_alike_list_in_quoted_text_is_not_cut() {
    // `areas:` and the first item are inside the quoted town: the lines after it
    // continue `towns`, which the one-thread reading refuses (a mapping as a town).
    let text = "title: T\nlabel: L\ntowns:\n- \"a\nareas:\n- b\"\n- {name: A, categories: [{name: C, projects: [{number: 1, name: P, status: s, towns: [a]}]}]}\nareas:\n- {name: A, categories: [{name: C, projects: [{number: 2, name: P, status: s, towns: [a]}]}]}\n";
    assert!(
        one_thread(text).contains("expected a string"),
        "{}",
        one_thread(text)
    );
    let areas = AreaLines::find(text).unwrap();
    assert_eq!(areas.items.len(), 2);
    assert!(read_cut(text, &areas, areas.items[1]).is_none());
    assert_eq!(every_cut(text), 0);
}

#[test]
fn aliases_deep_inside_deep_anchors_read_on_the_second_thread_as_on_the_first() {
    // 60 levels of lists anchored, used 60 levels deep: 120 levels of recursion.
    let deep = |inner: &str| format!("{}{inner}{}", "[".repeat(60), "]".repeat(60));
    let text = BASE.replacen("towns: [b]", &format!("towns: &d {}", deep("b")), 1);
    let text = text.replacen("towns: [b]", &format!("towns: {}", deep("*d")), 1);
    let read = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || every_cut(&text))
        .unwrap()
        .join()
        .unwrap();
    // Read and refused (an anchor in the second part), without running out of stack.
    assert_eq!(read, 0);
}
