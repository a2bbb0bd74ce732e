//! `shiryo diff`: the 新旧対照表 of two registries made from the seed, read back.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::{seed_registry_path, shiryo};

#[path = "../support/seed_pairs.rs"]
pub mod seed_pairs;

use seed_pairs::{all_at_once, EDITS};

/// A cell's text as runs of (text, underlined).
type Runs = Vec<(String, bool)>;

fn seed() -> String {
    std::fs::read_to_string(seed_registry_path()).unwrap()
}

/// Writes `old.yaml` and `new.yaml` into a fresh folder and runs `shiryo diff`.
pub fn run_diff(old: &str, new: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), old).unwrap();
    std::fs::write(dir.path().join("new.yaml"), new).unwrap();
    // Japanese messages: the terminal then says what the document says.
    let out = shiryo(
        dir.path(),
        &["--lang", "ja", "diff", "old.yaml", "new.yaml", "-o", "out"],
    );
    (dir, out)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of every `<t>` element in `xml`, concatenated.
fn texts(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<t") {
        let after = &rest[i..];
        let open = after.find('>').unwrap();
        let close = after.find("</t>").unwrap();
        out += &unescape(&after[open + 1..close]);
        rest = &after[close + 4..];
    }
    out
}

/// The inline string cells of the first sheet, by reference (`A4`), as runs, read
/// from the sheet XML itself: the underlines are rich-text runs with `<u/>`.
pub fn sheet_runs(xlsx: &Path) -> BTreeMap<String, Runs> {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut cells = BTreeMap::new();
    for cell in xml.split("<c r=\"").skip(1) {
        let reference = cell[..cell.find('"').unwrap()].to_string();
        let (Some(start), Some(end)) = (cell.find("<is>"), cell.find("</is>")) else {
            continue;
        };
        let body = &cell[start + 4..end];
        let runs: Runs = if body.contains("<r>") {
            body.split("<r>")
                .skip(1)
                .map(|run| (texts(run), run.contains("<u/>")))
                .collect()
        } else {
            vec![(texts(body), false)]
        };
        cells.insert(reference, runs);
    }
    cells
}

pub fn underlined_text(runs: &Runs) -> String {
    runs.iter().filter(|r| r.1).map(|r| r.0.as_str()).collect()
}

fn plain(runs: &Runs) -> String {
    runs.iter().map(|r| r.0.as_str()).collect()
}

fn xlsx_path(dir: &Path) -> PathBuf {
    dir.join("out/new.diff.xlsx")
}

/// The body rows (from row 4) as (新, 旧, 備考) runs.
fn body(cells: &BTreeMap<String, Runs>) -> Vec<[Runs; 3]> {
    (4..)
        .map_while(|r| {
            let get = |c: &str| cells.get(&format!("{c}{r}")).cloned();
            Some([get("A")?, get("B")?, get("C")?])
        })
        .collect()
}

#[test]
fn each_change_alone_underlines_exactly_the_changed_characters() {
    let seed = seed();
    for edit in &EDITS {
        let (dir, out) = run_diff(&seed, &(edit.apply)(&seed));
        assert!(
            out.status.success(),
            "{}: {}",
            edit.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let cells = sheet_runs(&xlsx_path(dir.path()));
        let rows = body(&cells);
        assert_eq!(rows.len(), 1, "{}: {rows:?}", edit.name);
        let [new, old, remarks] = &rows[0];
        assert_eq!(
            plain(remarks).lines().next(),
            Some(edit.remark),
            "{}",
            edit.name
        );
        assert_eq!(underlined_text(remarks), "", "備考 is never underlined");
        match edit.new_marked {
            Some(m) => assert_eq!(underlined_text(new), m, "{} 新", edit.name),
            // An added project: every value underlined, the labels not.
            None => {
                let text = plain(new);
                assert!(text.starts_with(&format!("{} ", edit.number)));
                let values: String = text
                    .lines()
                    .map(|l| l.split_once('：').map_or(l, |(_, v)| v))
                    .collect();
                assert_eq!(underlined_text(new), values, "{}", edit.name);
                assert_eq!(plain(old), "（追加）");
            }
        }
        match edit.old_marked {
            Some(m) => assert_eq!(underlined_text(old), m, "{} 旧", edit.name),
            None => {
                assert!(underlined_text(old).starts_with(&format!("{} ", edit.number)));
                assert_eq!(plain(new), "（削除）");
            }
        }
        assert_eq!(
            plain(&cells["A5"]),
            "下線は変更された文字（新：加わった文字、旧：除かれた文字）"
        );
        // The counts above the table.
        let note = plain(&cells["A2"]);
        assert!(note.contains("旧：old.yaml　新：new.yaml"), "{note}");
        assert!(note.contains("変更 1 事業"), "{note}");
    }
}

#[test]
fn all_changes_at_once_are_rows_in_the_new_tables_order() {
    let seed = seed();
    let (dir, out) = run_diff(&seed, &all_at_once(&seed));
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Uncertain matches are stated on the terminal too.
    assert!(
        stdout.contains("18 → 20: 名称が同じため番号変更とみなしました"),
        "{stdout}"
    );
    assert!(stdout.contains("変更 9 事業（追加 1、削除 1、変更 7）、変更なし 10 事業"));
    let rows = body(&sheet_runs(&xlsx_path(dir.path())));
    let numbers: Vec<String> = rows
        .iter()
        .map(|r| {
            let text = if plain(&r[0]) == "（削除）" {
                plain(&r[1])
            } else {
                plain(&r[0])
            };
            text.split(' ').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(numbers, ["1", "2", "4", "5", "6", "7", "9", "19", "20"]);
    let remarks: Vec<String> = rows.iter().map(|r| plain(&r[2])).collect();
    assert!(remarks[8].contains("※18 → 20: 名称が同じため番号変更とみなしました"));
    // calamine reads the same values.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(xlsx_path(dir.path())).unwrap();
    let range = wb.worksheet_range("新旧対照表").unwrap();
    assert_eq!(range.get_value((2, 0)).unwrap().to_string(), "新");
    assert_eq!(
        range.get_value((3, 2)).unwrap().to_string(),
        plain(&rows[0][2])
    );
    assert_eq!(
        range.get_value((3, 0)).unwrap().to_string(),
        plain(&rows[0][0])
    );
}

#[test]
fn nothing_changed_still_writes_the_workbook_saying_so() {
    let seed = seed();
    let (dir, out) = run_diff(&seed, &seed);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("変更はありません"));
    let cells = sheet_runs(&xlsx_path(dir.path()));
    assert_eq!(
        plain(&cells["A4"]),
        "変更はありません（18 事業すべて変更なし）"
    );
}

#[test]
fn bad_registries_are_refused_naming_their_side_and_nothing_is_written() {
    let seed = seed();
    let bad = seed.replace("status: 準備中", "status: 完了");
    let (dir, out) = run_diff(&bad, &bad.replace("title: ", "titel: "));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // (run_diff asks for Japanese; build_since_refuses_a_bad_old_registry_naming_it
    // checks the English.)
    assert!(
        stderr.contains("旧台帳: old.yaml:") && stderr.contains("完了"),
        "{stderr}"
    );
    assert!(stderr.contains("新台帳: new.yaml:"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_workbook_is_the_same_bytes_every_time() {
    let seed = seed();
    let new = all_at_once(&seed);
    let (a, _) = run_diff(&seed, &new);
    let (b, _) = run_diff(&seed, &new);
    assert_eq!(
        std::fs::read(xlsx_path(a.path())).unwrap(),
        std::fs::read(xlsx_path(b.path())).unwrap()
    );
}
