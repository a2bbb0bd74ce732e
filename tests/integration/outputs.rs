//! Outputs are reproducible and never damaged by a failed or killed run.

use std::process::Command;

use super::common::*;

#[test]
fn the_same_registry_gives_byte_identical_files() {
    let a = build_seed();
    let b = build_seed();
    let (a, b) = (
        snapshot(&a.path().join("out")),
        snapshot(&b.path().join("out")),
    );
    assert_eq!(
        a.len(),
        4 + 8,
        "pdf, xlsx, html, csv and eight town handouts"
    );
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between two runs");
    }
}

#[test]
fn a_handout_is_the_same_whether_built_alone_or_with_the_others() {
    // printpdf numbers its IDs from a process-wide counter: the file must not depend
    // on how many PDFs the process (or another thread) made before.
    let dir = build_seed();
    let registry = seed_registry_path();
    let out = shiryo(
        dir.path(),
        &["pdf", registry.to_str().unwrap(), "-o", "alone.pdf"],
    );
    assert!(out.status.success());
    let alone = std::fs::read(dir.path().join("alone.pdf")).unwrap();
    let built = std::fs::read(dir.path().join("out/registry.pdf")).unwrap();
    assert!(alone == built, "registry.pdf differs from `shiryo pdf`");
}

#[test]
fn source_date_epoch_sets_the_date_when_the_registry_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(seed_registry_path())
        .unwrap()
        .replace("date: 2011-11-01", "");
    std::fs::write(dir.path().join("r.yaml"), yaml).unwrap();
    let run = |epoch: &str, out: &str| {
        let status = Command::new(env!("CARGO_BIN_EXE_shiryo"))
            .args(["pdf", "r.yaml", "-o", out])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let a = run("1700000000", "a.pdf");
    let b = run("1700000000", "b.pdf");
    assert_eq!(a, b);
    // The Info dictionary sits in a compressed object stream: read it back.
    let doc = lopdf::Document::load_mem(&a).unwrap();
    let info = doc.trailer.get(b"Info").unwrap();
    let info = doc.dereference(info).unwrap().1.as_dict().unwrap();
    let created = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert!(
        created.starts_with(b"D:20231114221320"),
        "SOURCE_DATE_EPOCH is the creation date"
    );
}

#[test]
fn a_bad_registry_leaves_the_previous_outputs_untouched() {
    let dir = build_seed();
    let out = dir.path().join("out");
    let before = snapshot(&out);
    let yaml = std::fs::read_to_string(seed_registry_path())
        .unwrap()
        .replacen(
            "towns: [旭川市, 鷹栖町, 東神楽町]",
            "towns: [旭川, 鷹栖町, 東神楽町]",
            1,
        );
    let bad = dir.path().join("registry.yaml");
    std::fs::write(&bad, yaml).unwrap();
    let result = shiryo(dir.path(), &["build", "registry.yaml", "-o", "out"]);
    assert!(!result.status.success());
    assert_eq!(snapshot(&out), before, "nothing written or changed");
    let result = shiryo(
        dir.path(),
        &["pdf", "registry.yaml", "-o", "out/registry.pdf"],
    );
    assert!(!result.status.success());
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_missing_registry_is_named_once_with_its_cause_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, cause) in [
        ("C.UTF-8", "No such file or directory"),
        ("ja_JP.UTF-8", "ファイルまたはフォルダーが見つかりません"),
    ] {
        let out = shiryo_in(lang, dir.path(), &["check", "missing.yaml"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{lang}: {stderr}");
        assert!(stderr.contains("missing.yaml: "), "{lang}: {stderr}");
        assert!(stderr.contains(cause), "{lang}: {stderr}");
        // The cause once: anyhow's chain used to repeat the English text after it.
        assert_eq!(
            stderr.matches("No such file").count(),
            1,
            "{lang}: {stderr}"
        );
    }
}
