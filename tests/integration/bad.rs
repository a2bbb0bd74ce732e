//! The corpus of bad registries (tests/bad/): each gets exactly the message in its
//! `.expected` file (English) and `.ja.expected` file (Japanese, `LANG=ja_JP.UTF-8`),
//! a non-zero exit, and no output. `UPDATE=1` rewrites the expectations (review the
//! diff).

use super::common::*;

#[test]
fn every_bad_registry_gets_its_message() {
    let dir = root().join("tests/bad");
    let cases = yaml_cases("tests/bad", 30);
    let update = std::env::var_os("UPDATE").is_some();
    let mut failures = Vec::new();
    for (case, (lang, suffix)) in cases
        .iter()
        .flat_map(|c| [("C.UTF-8", "expected"), ("ja_JP.UTF-8", "ja.expected")].map(|l| (c, l)))
    {
        let name = case.file_name().unwrap().to_str().unwrap();
        let out_dir = tempfile::tempdir().unwrap();
        // A bound on a hang, not a timing measurement; no output depends on it.
        #[allow(clippy::disallowed_methods)]
        let started = std::time::Instant::now();
        let out = shiryo_in(
            lang,
            &dir,
            &["build", name, "-o", out_dir.path().to_str().unwrap()],
        );
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{name} was accepted");
        assert_eq!(
            std::fs::read_dir(out_dir.path()).unwrap().count(),
            0,
            "{name} wrote output"
        );
        // Not a timing test: a generous bound that only a hang or blow-up would cross.
        assert!(elapsed.as_secs() < 20, "{name} took {elapsed:?}");
        let expected_path = case.with_extension(suffix);
        if update {
            std::fs::write(&expected_path, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if stderr != expected {
            failures.push(format!(
                "{name} ({lang}):\n--- expected\n{expected}--- got\n{stderr}"
            ));
        }
        let located = stderr.contains(&format!("{name}:"));
        assert!(located, "{name}: the message names the file: {stderr}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_finds_text_longer_than_an_excel_cell_at_its_line() {
    // Too big for a corpus file: a summary of 40,000 characters (Excel holds 32,767).
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(seed_registry_path()).unwrap();
    let at = seed.find("summary: ").expect("the seed has summaries");
    let line = seed[..at].matches('\n').count() + 1;
    let column = seed[..at].rsplit('\n').next().unwrap().chars().count() + 1 + "summary: ".len();
    let yaml = format!(
        "{}summary: {}{}",
        &seed[..at],
        "あ".repeat(40_000),
        &seed[seed[at..].find('\n').unwrap() + at..]
    );
    std::fs::write(dir.path().join("r.yaml"), yaml).unwrap();
    let out = shiryo(dir.path(), &["check", "r.yaml"]);
    assert!(
        !out.status.success(),
        "check accepted a summary Excel cannot hold"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "r.yaml:{line}:{column}: project 1 summary is 40000 characters long"
        )),
        "{stderr}"
    );
}

#[test]
fn an_unknown_top_level_key_is_a_warning_and_the_build_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(seed_registry_path()).unwrap();
    let at = seed.find("towns:").expect("the seed lists towns");
    let line = seed[..at].matches('\n').count() + 1;
    // `data:` for `date:`, and an extra a registry may carry (no "did you mean").
    let yaml = format!(
        "{}data: 2025-11-20\nsecretariat: 旭川市企画政策課\n{}",
        &seed[..at],
        &seed[at..]
    );
    std::fs::write(dir.path().join("r.yaml"), yaml).unwrap();
    for (lang, word, hint) in [
        ("C.UTF-8", "warning", "help: did you mean `date`?"),
        ("ja_JP.UTF-8", "警告", "ヒント: `date` のことですか？"),
    ] {
        let out = shiryo_in(lang, dir.path(), &["build", "r.yaml", "-o", "out"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(dir.path().join("out/r.pdf").is_file());
        let (next, tail) = (line + 1, format!("{word}: r.yaml:{line}:1: "));
        assert!(stderr.contains(&tail), "{stderr}");
        assert!(
            stderr.contains(&format!("r.yaml:{line}:1: ")) && stderr.contains(hint),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("r.yaml:{next}:1: ")), "{stderr}");
        assert_eq!(stderr.matches(word).count(), 2, "{stderr}");
    }
    // The documented extras are read, not warned about.
    let out = shiryo(
        root().as_path(),
        &["check", "tests/fixtures/beyond_seed.yaml"],
    );
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
