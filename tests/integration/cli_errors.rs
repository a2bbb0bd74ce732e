//! clap's refusals of a command line (tests/cli/): an unknown option or command, a
//! missing argument or value, a value not allowed, one argument too many. Each gets
//! exactly its `.expected` text in English and its `.ja.expected` text in Japanese,
//! with status 2. `UPDATE=1` rewrites the expectations (review the diff).

use super::common::*;

#[test]
fn every_refused_command_line_gets_its_message_in_both_languages() {
    let dir = root().join("tests/cli");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "args"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "the corpus has {} cases", cases.len());
    let update = std::env::var_os("UPDATE").is_some();
    let mut failures = Vec::new();
    let work = tempfile::tempdir().unwrap();
    for case in &cases {
        let name = case.file_stem().unwrap().to_str().unwrap();
        let args = std::fs::read_to_string(case).unwrap();
        let args: Vec<&str> = args.lines().collect();
        for (lang, suffix) in [("C.UTF-8", "expected"), ("ja_JP.UTF-8", "ja.expected")] {
            let out = shiryo_command(lang, work.path(), &args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(out.status.code(), Some(2), "{name} ({lang}): {stderr}");
            assert!(out.stdout.is_empty(), "{name} ({lang}): output on stdout");
            let path = case.with_extension(suffix);
            if update {
                std::fs::write(&path, &stderr).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if stderr != expected {
                failures.push(format!(
                    "{name} ({lang}):\n--- expected\n{expected}--- got\n{stderr}"
                ));
            }
            if lang.starts_with("ja") {
                // No English left but option names, file names and value names.
                for english in ["error:", "Usage", "tip:", "For more information", "found"] {
                    assert!(!stderr.contains(english), "{name}: {english:?} in {stderr}");
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
