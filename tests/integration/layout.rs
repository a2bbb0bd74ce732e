//! Layouts of unusual registries, roles and reading order, templates and faces (the
//! reviewed golden dumps are in layout_cases.rs).

use shiryo::layout::{layout_handout, Artifact, CellKind, CellRef, Fonts, Pagination, Role};
use shiryo::Template;

use super::common::*;

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
    shiryo_ok(dir.path(), &["pdf", "long.yaml", "-o", "long.pdf"]);
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
    shiryo_ok(dir.path(), &["check", "win.yaml"]);
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
            "{key: area,     header: 政策分野, width: 25}",
            "{key: area,     header: 分野別, width: 25}",
        );
    assert!(
        tpl.contains("header: 分野別"),
        "the template line was replaced"
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
    assert!(wb.sheet_names().iter().any(|n| n == "一覧"));
    let pages = pdf_pages_text(&dir.path().join("out/registry.pdf"));
    assert!(squeeze(&pages[0]).contains("分野別連携事業名"));

    // A template states what it changes (the rest is shiryo2's); what is wrong in it
    // is reported at its place.
    for (text, place) in [
        ("pdf: {font: comic}\n", "bad.yaml:1:"),
        (
            "# columns only\ncolumns:\n  - {key: area, header: 分野, width: 400}\n",
            "bad.yaml:2:1:",
        ),
        (
            "columns:\n  - {key: area, header: 分野, width: 100}\n  - {key: area, header: 区分, width: 100}\n",
            "bad.yaml:3:11:",
        ),
    ] {
        std::fs::write(dir.path().join("bad.yaml"), text).unwrap();
        let out = shiryo(
            dir.path(),
            &[
                "--template",
                "bad.yaml",
                "check",
                registry.to_str().unwrap(),
            ],
        );
        assert!(!out.status.success(), "{text}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(place), "{text}: {stderr}");
    }
    std::fs::write(dir.path().join("short.yaml"), "pdf: {font: mincho}\n").unwrap();
    let out = shiryo(
        dir.path(),
        &[
            "--template",
            "short.yaml",
            "pdf",
            registry.to_str().unwrap(),
            "-o",
            "short.pdf",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages = pdf_pages_text(&dir.path().join("short.pdf"));
    assert!(squeeze(&pages[0]).contains("取組内容・事業概要"));
}

/// Every content cell of `handout`, in the order drawn: (role, its lines joined).
fn cells_in_order(handout: &shiryo::layout::Handout) -> Vec<(usize, CellRef, String)> {
    let mut out: Vec<(usize, CellRef, String)> = Vec::new();
    for (i, page) in handout.pages.iter().enumerate() {
        for t in &page.texts {
            if let Role::Cell(c) = t.role {
                match out.last_mut() {
                    Some((p, last, text)) if *p == i && *last == c => *text += &t.text,
                    _ => out.push((i, c, t.text.clone())),
                }
            }
        }
    }
    out
}

#[test]
fn every_drawn_item_says_what_it_is_in_reading_order() {
    let fonts = Fonts::bundled().unwrap();
    let registry = seed_registry();
    let handout = layout_handout(&registry, &Template::default(), &fonts);
    assert!(handout.pages.len() >= 2, "the seed needs a page break");
    assert_eq!(handout.table.columns, 6);
    assert_eq!(handout.table.header_rows, 1);
    assert_eq!(handout.table.body_rows, registry.project_count());
    let cells = cells_in_order(&handout);

    // Within a page, content comes row by row, left to right.
    for page in 0..handout.pages.len() {
        let order: Vec<(usize, usize)> = cells
            .iter()
            .filter(|(p, _, _)| *p == page)
            .map(|(_, c, _)| (c.row, c.column))
            .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "page {}: {order:?}",
            page + 1
        );
    }

    // Each project's data cells hold the registry's text; each area and category is
    // one row header spanning its projects, printed as content once.
    let unbroken = |s: &str| s.replace('\n', "");
    let mut row = 0;
    for area in &registry.areas {
        let heads: Vec<&(usize, CellRef, String)> = cells
            .iter()
            .filter(|(_, c, _)| c.column == 0 && c.row == 1 + row)
            .collect();
        assert_eq!(heads.len(), 1, "{}", area.name);
        assert_eq!(heads[0].1.kind, CellKind::RowHeader);
        assert_eq!(heads[0].1.rowspan, area.project_count());
        assert_eq!(heads[0].2, area.name);
        for cat in &area.categories {
            let head = cells
                .iter()
                .find(|(_, c, _)| c.column == 1 && c.row == 1 + row)
                .expect("category cell");
            assert_eq!(
                (head.1.kind, head.1.rowspan),
                (CellKind::RowHeader, cat.projects.len())
            );
            assert_eq!(head.2, cat.name);
            for p in &cat.projects {
                let text = |col: usize| -> String {
                    cells
                        .iter()
                        .filter(|(_, c, _)| c.column == col && c.row == 1 + row)
                        .inspect(|(_, c, _)| {
                            assert_eq!((c.kind, c.project), (CellKind::Data, Some(row)))
                        })
                        .map(|(_, _, t)| t.as_str())
                        .collect()
                };
                assert_eq!(text(2), p.label());
                assert_eq!(text(3), p.status);
                assert_eq!(text(4), unbroken(&p.summary));
                assert_eq!(text(5), registry.town_list(p));
                row += 1;
            }
        }
    }

    // The header row is content on page 1 and an artifact after; 連携事業名 spans two columns.
    for (i, page) in handout.pages.iter().enumerate() {
        let headers: Vec<CellRef> = page
            .texts
            .iter()
            .filter_map(|t| t.role.cell())
            .filter(|c| c.kind == CellKind::ColumnHeader)
            .collect();
        assert_eq!(headers.len(), 5, "page {}", i + 1);
        assert!(headers.iter().any(|c| c.column == 1 && c.colspan == 2));
        let content = page
            .texts
            .iter()
            .any(|t| matches!(t.role, Role::Cell(c) if c.kind == CellKind::ColumnHeader));
        assert_eq!(content, i == 0, "page {}", i + 1);
        let furniture: Vec<Role> = page
            .texts
            .iter()
            .map(|t| t.role)
            .filter(|r| r.cell().is_none())
            .collect();
        let title = if i == 0 {
            Role::Title
        } else {
            Role::Artifact(Artifact::Pagination(Pagination::Title))
        };
        assert_eq!(
            furniture,
            [
                Role::Artifact(Artifact::Pagination(Pagination::Label)),
                title,
                Role::Artifact(Artifact::Pagination(Pagination::PageNumber)),
            ]
        );
        assert!(page
            .boxes
            .iter()
            .all(|b| b.role == Role::Artifact(Artifact::Layout)));
    }

    // The pages list the project rows they show, each once, in order.
    let rows: Vec<usize> = handout.pages.iter().flat_map(|p| p.rows.clone()).collect();
    assert_eq!(rows, (0..registry.project_count()).collect::<Vec<_>>());
}

#[test]
fn a_merged_cell_cut_by_a_page_break_is_repeated_as_an_artifact() {
    let fonts = Fonts::bundled().unwrap();
    let registry = seed_registry();
    let handout = layout_handout(&registry, &Template::default(), &fonts);
    // The seed's second page continues an area (or category) from the first.
    let first_row = handout.pages[1].rows[0];
    let repeated: Vec<CellRef> = handout.pages[1]
        .texts
        .iter()
        .filter_map(|t| match t.role {
            Role::Artifact(Artifact::Pagination(Pagination::ContinuedCell(c))) => Some(c),
            _ => None,
        })
        .collect();
    assert!(!repeated.is_empty());
    for c in &repeated {
        assert_eq!(c.kind, CellKind::RowHeader);
        assert!(
            c.row < 1 + first_row && 1 + first_row < c.row + c.rowspan,
            "{c:?}"
        );
    }
}

#[test]
fn a_template_by_name_and_the_mincho_face() {
    let dir = tempfile::tempdir().unwrap();
    let registry = seed_registry_path();
    let registry = registry.to_str().unwrap();
    let by_name = shiryo(
        dir.path(),
        &["--template", "shiryo2", "pdf", registry, "-o", "named.pdf"],
    );
    assert!(
        by_name.status.success(),
        "{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    let default = shiryo(dir.path(), &["pdf", registry, "-o", "default.pdf"]);
    assert!(default.status.success());
    assert_eq!(
        std::fs::read(dir.path().join("named.pdf")).unwrap(),
        std::fs::read(dir.path().join("default.pdf")).unwrap(),
        "shiryo2 is the default"
    );
    let unknown = shiryo(dir.path(), &["--template", "nosuch", "check", registry]);
    assert!(!unknown.status.success());

    let tpl = shiryo::template::DEFAULT_TEMPLATE.replace("font: gothic", "font: mincho");
    assert_ne!(tpl, shiryo::template::DEFAULT_TEMPLATE);
    std::fs::write(dir.path().join("mincho.yaml"), tpl).unwrap();
    shiryo_ok(
        dir.path(),
        &[
            "--template",
            "mincho.yaml",
            "pdf",
            registry,
            "-o",
            "mincho.pdf",
        ],
    );
    let doc = lopdf::Document::load(dir.path().join("mincho.pdf")).unwrap();
    let mut fonts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0"))
        .filter_map(|d| d.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|n| {
            String::from_utf8_lossy(n)
                .split('+')
                .nth(1)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    fonts.sort();
    assert_eq!(fonts, ["BIZUDGothic-Bold", "BIZUDMincho-Regular"]);
    let text = squeeze(&pdf_pages_text(&dir.path().join("mincho.pdf")).concat());
    assert!(
        text.contains("二次救急医療の連携"),
        "text reads back in mincho"
    );
}
