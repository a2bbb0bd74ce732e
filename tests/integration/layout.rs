//! The seed's layout against a reviewed golden dump, and layouts of unusual registries.

use shiryo::layout::{layout_handout, Fonts};
use shiryo::Template;

use super::common::*;

#[test]
fn seed_layout_matches_the_golden_dump() {
    let fonts = Fonts::bundled().unwrap();
    let handout = layout_handout(&seed_registry(), &Template::default(), &fonts);
    let dump = handout.dump();
    let path = root().join("tests/golden/registry.layout.txt");
    if std::env::var_os("UPDATE").is_some() {
        std::fs::write(&path, &dump).unwrap();
    }
    let golden = std::fs::read_to_string(&path).expect("golden dump (UPDATE=1 writes it)");
    if dump != golden {
        let first = dump.lines().zip(golden.lines()).position(|(a, b)| a != b);
        panic!("layout changed at line {first:?}; review and rerun with UPDATE=1");
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_and_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    let long =
        "圏域の環境、景観を保全するため、登山道整備や避難小屋等の維持管理を進める。".repeat(60);
    let yaml = std::fs::read_to_string(seed_registry_path())
        .unwrap()
        .replacen(
            "summary: 浄水施設の共同使用により、水道水を供給する。",
            &format!("summary: {long}"),
            1,
        );
    std::fs::write(dir.path().join("long.yaml"), yaml).unwrap();
    let out = shiryo(dir.path(), &["pdf", "long.yaml", "-o", "long.pdf"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages = pdf_pages_text(&dir.path().join("long.pdf"));
    assert!(pages.len() >= 4, "{} pages", pages.len());
    // Read in page order, each page continues the summary where the last one stopped,
    // and together they give it back whole.
    let mut rest: Vec<char> = long.chars().collect();
    for page in &pages {
        let page = squeeze(page);
        let mut n = 0;
        while n < rest.len() && page.contains(&rest[..=n].iter().collect::<String>()) {
            n += 1;
        }
        rest.drain(..n);
    }
    assert!(
        rest.is_empty(),
        "not found in order: {}",
        rest.iter().collect::<String>()
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed_registry_path()).unwrap();
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    std::fs::write(dir.path().join("win.yaml"), windows).unwrap();
    let out = shiryo(dir.path(), &["check", "win.yaml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = shiryo::registry::load(&dir.path().join("win.yaml")).unwrap();
    let b = seed_registry();
    let summaries = |r: &shiryo::Registry| {
        r.rows()
            .map(|(_, _, p)| p.summary.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(summaries(&a), summaries(&b), "no stray \\r in the text");
    assert_eq!(a.title, b.title);
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    std::fs::write(&path, line.repeat(50 * 1024 * 1024 / line.len())).unwrap();
    let out = shiryo(dir.path(), &["check", "huge.yaml"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("huge.yaml: the file is 52428") && err.contains("the limit is 16777216"),
        "{err}"
    );
}

#[test]
fn a_template_changes_sheet_names_and_widths() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = shiryo::template::DEFAULT_TEMPLATE
        .replace("participation_sheet: 参加状況", "participation_sheet: 一覧")
        .replace(
            "area:     {header: 政策分野, width: 25}",
            "area:     {header: 分野, width: 25}",
        );
    std::fs::write(dir.path().join("t.yaml"), tpl).unwrap();
    let registry = seed_registry_path();
    let out = shiryo(
        dir.path(),
        &[
            "--template",
            "t.yaml",
            "build",
            registry.to_str().unwrap(),
            "-o",
            "out",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wb: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("out/registry.xlsx")).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names().last().unwrap(), "一覧");
    let pages = pdf_pages_text(&dir.path().join("out/registry.pdf"));
    assert!(squeeze(&pages[0]).contains("分野連携事業名"));

    std::fs::write(dir.path().join("bad.yaml"), "pdf: {}\n").unwrap();
    let out = shiryo(
        dir.path(),
        &[
            "--template",
            "bad.yaml",
            "check",
            registry.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.yaml:1:"),
        "located template error"
    );
}
