//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use shiryo::Registry;

pub mod xlsx_check;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled registry.
pub fn seed_registry_path() -> PathBuf {
    root().join("data/registry.yaml")
}

pub fn seed_registry() -> Registry {
    shiryo::registry::load(&seed_registry_path()).expect("the bundled registry is valid")
}

pub const TOWNS: [&str; 8] = [
    "旭川市",
    "鷹栖町",
    "東神楽町",
    "当麻町",
    "比布町",
    "愛別町",
    "上川町",
    "東川町",
];

/// Runs the shiryo binary with `args` in `dir`, with English messages.
pub fn shiryo(dir: &Path, args: &[&str]) -> Output {
    shiryo_in("C.UTF-8", dir, args)
}

/// [`shiryo`] that must succeed: a failure panics with the run's standard error.
pub fn shiryo_ok(dir: &Path, args: &[&str]) -> Output {
    let out = shiryo(dir, args);
    assert!(
        out.status.success(),
        "shiryo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The binary as run with the locale `LANG=lang` (`ja_JP.UTF-8` for Japanese).
pub fn shiryo_command(lang: &str, dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shiryo"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang);
    command
}

/// Runs the shiryo binary with the locale `LANG=lang`. Every workbook the run writes
/// (under `dir` or named in `args`) is then checked as Excel would read it.
pub fn shiryo_in(lang: &str, dir: &Path, args: &[&str]) -> Output {
    // Only to tell the files this run wrote from older ones; no output depends on it.
    #[allow(clippy::disallowed_methods)]
    let start = std::time::SystemTime::now();
    let out = shiryo_command(lang, dir, args)
        .output()
        .expect("the binary runs");
    let mut written = Vec::new();
    files_under(dir, &mut written);
    written.extend(args.iter().map(|a| dir.join(a)));
    written.sort();
    written.dedup();
    for path in written {
        let fresh = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= start);
        if fresh && path.extension().is_some_and(|e| e == "xlsx") {
            xlsx_check::assert_excel_opens(&path);
        }
    }
    out
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Builds the bundled registry into a fresh folder; returns the folder.
pub fn build_seed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let registry = seed_registry_path();
    let out = shiryo(
        dir.path(),
        &[
            "build",
            registry.to_str().unwrap(),
            "-o",
            dir.path().join("out").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// The text of each page as a reader sees it, extracted by lopdf (via the ToUnicode
/// maps): text drawn unseen (text render mode 3: merged cells put again for poppler's
/// reading order, see `layout::grid::draw`) is left out.
pub fn pdf_pages_text(path: &Path) -> Vec<String> {
    let mut doc = lopdf::Document::load(path).expect("lopdf parses the PDF");
    let pages: Vec<(u32, lopdf::ObjectId)> = doc.get_pages().into_iter().collect();
    for &(_, id) in &pages {
        let mut content = doc.get_and_decode_page_content(id).unwrap();
        let mut hidden = false;
        content.operations.retain(|op| match op.operator.as_str() {
            "Tr" => {
                hidden = op.operands[0].as_i64().unwrap() == 3;
                true
            }
            "Tj" | "TJ" | "'" | "\"" => !hidden,
            _ => true,
        });
        doc.change_page_content(id, content.encode().unwrap())
            .unwrap();
    }
    pages
        .iter()
        .map(|&(p, _)| doc.extract_text(&[p]).expect("text extracts"))
        .collect()
}

/// Text with all white space removed, to compare across line breaks.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[path = "../../support/big_registry.rs"]
mod support;

/// A registry of `n` projects: the seed's areas repeated, projects renumbered.
pub fn big_registry(n: usize) -> String {
    support::big_registry(&std::fs::read_to_string(seed_registry_path()).unwrap(), n)
}

/// Every file under `dir` but the lock file (the folder's, not an output), as
/// (relative path, bytes), sorted; temporaries and the commit journal are listed too,
/// so a test sees what a kill left.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.ends_with(".shiryo.lock") {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The `.yaml` files of a corpus folder under the project root, sorted, at least `min`.
pub fn yaml_cases(folder: &str, min: usize) -> Vec<PathBuf> {
    let dir = root().join(folder);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= min, "{folder} has {} cases", cases.len());
    cases
}

/// Rewrites the workbook's zip entries through `edit(name, bytes)`.
pub fn edit_workbook(path: &Path, mut edit: impl FnMut(&str, &mut Vec<u8>)) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        edit(&name, &mut data);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}
