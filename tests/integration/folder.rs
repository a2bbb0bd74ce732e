//! The output folder under kills, signals, concurrent builds and hostile paths: it
//! always holds one complete set (old or new), never a mix, and nothing is written
//! outside it or over an input.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::common::*;

fn names(set: &[(String, Vec<u8>)]) -> Vec<&str> {
    set.iter().map(|(n, _)| n.as_str()).collect()
}

/// Two registries whose outputs differ (the label is on every page and sheet).
struct Versions {
    dir: tempfile::TempDir,
    sets: [Vec<(String, Vec<u8>)>; 2],
}

fn versions(projects: usize) -> Versions {
    let dir = tempfile::tempdir().unwrap();
    let yaml = big_registry(projects);
    let mut sets = [Vec::new(), Vec::new()];
    for (i, label) in ["資料2", "資料3"].iter().enumerate() {
        let sub = dir.path().join(format!("v{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join("registry.yaml"),
            yaml.replace("label: 資料2", &format!("label: {label}")),
        )
        .unwrap();
        let out = shiryo(&sub, &["build", "registry.yaml", "-o", "ref"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        sets[i] = snapshot(&sub.join("ref"));
    }
    // Every handout and the workbook differ (the CSV has no label and may not).
    let differ = sets[0].iter().zip(&sets[1]).filter(|(a, b)| a.1 != b.1);
    assert!(differ.count() >= sets[0].len() - 1);
    Versions { dir, sets }
}

impl Versions {
    fn registry(&self, i: usize) -> String {
        self.dir
            .path()
            .join(format!("v{i}/registry.yaml"))
            .display()
            .to_string()
    }

    fn spawn(&self, i: usize, out: &Path) -> Child {
        shiryo_command(
            "C.UTF-8",
            self.dir.path(),
            &["build", &self.registry(i), "-o", out.to_str().unwrap()],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
    }

    /// Which version `set` is, if it is exactly one of them.
    fn which(&self, set: &[(String, Vec<u8>)]) -> Option<usize> {
        self.sets.iter().position(|s| s.as_slice() == set)
    }
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_set_and_the_next_run_cleans_up() {
    let v = versions(600);
    let out = v.dir.path().join("out");
    let first = v.spawn(0, &out).wait_with_output().unwrap();
    assert!(first.status.success());
    let mut seen = [0, 0];
    // From before parsing to after the last rename.
    for (round, delay_ms) in [0, 30, 100, 250, 500, 900, 1400].into_iter().enumerate() {
        let mut child = v.spawn((round + 1) % 2, &out);
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let after = snapshot(&out);
        let outputs: Vec<_> = after
            .iter()
            .filter(|(n, _)| !n.contains(".shiryo-"))
            .cloned()
            .collect();
        let journal = after.iter().any(|(n, _)| n == ".shiryo-commit");
        match v.which(&outputs) {
            Some(i) => seen[i] += 1,
            // Only a kill between two renames can leave a mix, and then the journal
            // says how to finish.
            None => assert!(
                journal,
                "mixed set without a journal after {delay_ms} ms: {:?}",
                names(&after)
            ),
        }
        // The next run into the folder recovers first, then writes its own set.
        let next = v.spawn(round % 2, &out).wait_with_output().unwrap();
        assert!(
            next.status.success(),
            "{}",
            String::from_utf8_lossy(&next.stderr)
        );
        let after = snapshot(&out);
        assert_eq!(
            v.which(&after),
            Some(round % 2),
            "after the next run: {:?}",
            names(&after)
        );
    }
    // Not an assertion on timing: which side each kill lands on depends on the
    // machine; the guarantee above holds for both.
    eprintln!("kills that left the old set / the new set: {seen:?}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_build_and_removes_its_temporaries() {
    let v = versions(600);
    let out = v.dir.path().join("out");
    assert!(v.spawn(0, &out).wait().unwrap().success());
    for delay_ms in [100, 600] {
        let child = v.spawn(1, &out);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let result = child.wait_with_output().unwrap();
        let after = snapshot(&out);
        // Either the signal came in time (old set, exit 130) or the build had finished.
        match result.status.code() {
            Some(130) => {
                let stderr = String::from_utf8_lossy(&result.stderr);
                assert!(stderr.contains("interrupted"), "{stderr}");
                assert_eq!(
                    v.which(&after),
                    Some(0),
                    "after SIGTERM at {delay_ms} ms: {:?}",
                    names(&after)
                );
            }
            Some(0) => assert_eq!(v.which(&after), Some(1)),
            other => panic!(
                "exit {other:?}: {}",
                String::from_utf8_lossy(&result.stderr)
            ),
        }
        // Back to the old set for the next round.
        assert!(v.spawn(0, &out).wait().unwrap().success());
    }
}

#[test]
fn two_builds_into_one_folder_never_mix() {
    let v = versions(300);
    let out = v.dir.path().join("out");
    for _ in 0..3 {
        let a = v.spawn(0, &out);
        let b = v.spawn(1, &out);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success() && b.status.success());
        let after = snapshot(&out);
        assert!(v.which(&after).is_some(), "mixed: {:?}", names(&after));
    }
}

#[test]
fn a_registry_that_never_ends_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = shiryo(dir.path(), &["check", "/dev/zero"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/dev/zero: is not a regular file"),
        "{stderr}"
    );
    #[cfg(unix)]
    {
        // A FIFO nobody writes to would block the open forever.
        let fifo = dir.path().join("registry.yaml");
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let out = shiryo(dir.path(), &["check", "registry.yaml"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }
}

#[test]
fn outputs_that_are_the_registry_or_not_files_are_refused_and_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("r.yaml");
    std::fs::copy(seed_registry_path(), &registry).unwrap();
    let before = std::fs::read(&registry).unwrap();
    for (command, out) in [
        ("pdf", "r.yaml"),
        ("xlsx", "./r.yaml"),
        ("pdf", "/dev/stdout"),
        ("xlsx", "/dev/null"),
    ] {
        let result = shiryo(dir.path(), &[command, "r.yaml", "-o", out]);
        assert!(!result.status.success(), "{command} -o {out} was accepted");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            stderr.contains("input of this run") || stderr.contains("not a regular file"),
            "{command} -o {out}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read(&registry).unwrap(),
        before,
        "the registry is untouched"
    );
    // `-o -` writes the same bytes as a file.
    let piped = shiryo(dir.path(), &["pdf", "r.yaml", "-o", "-"]);
    assert!(piped.status.success());
    assert!(shiryo(dir.path(), &["pdf", "r.yaml", "-o", "r.pdf"])
        .status
        .success());
    assert!(piped.stdout == std::fs::read(dir.path().join("r.pdf")).unwrap());
    let piped = shiryo(dir.path(), &["xlsx", "r.yaml", "-o", "-"]);
    assert!(piped.status.success() && piped.stdout.starts_with(b"PK"));
}

#[cfg(unix)]
#[test]
fn a_towns_link_out_of_the_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("旭川市.pdf"), "not ours").unwrap();
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("out/towns")).unwrap();
    let registry = seed_registry_path();
    let result = shiryo(
        dir.path(),
        &["build", registry.to_str().unwrap(), "-o", "out"],
    );
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(
        std::fs::read(elsewhere.join("旭川市.pdf")).unwrap(),
        b"not ours"
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
    let ja = shiryo_in(
        "ja_JP.UTF-8",
        dir.path(),
        &["build", registry.to_str().unwrap(), "-o", "out"],
    );
    let stderr = String::from_utf8_lossy(&ja.stderr);
    assert!(stderr.contains("シンボリックリンク"), "{stderr}");
}

#[test]
fn a_build_names_the_files_it_did_not_write() {
    let dir = build_seed();
    std::fs::write(
        dir.path().join("out/towns/札幌市.pdf"),
        "an earlier registry's",
    )
    .unwrap();
    let registry = seed_registry_path();
    let result = shiryo(
        dir.path(),
        &["build", registry.to_str().unwrap(), "-o", "out"],
    );
    assert!(result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("warning: out/towns/札幌市.pdf: not written by this build"),
        "{stderr}"
    );
    // Only that file: the build's own files are not listed.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_write_that_fails_leaves_every_old_output() {
    // CI runs as root, where a read-only folder stops nothing: a file where the
    // towns folder must be makes the town handouts fail after the handout and the
    // workbook were written to temporaries.
    let dir = tempfile::tempdir().unwrap();
    let registry = seed_registry_path();
    let args = ["build", registry.to_str().unwrap(), "-o", "out"];
    assert!(shiryo(dir.path(), &args).status.success());
    let out = dir.path().join("out");
    std::fs::remove_dir_all(out.join("towns")).unwrap();
    std::fs::write(out.join("towns"), "in the way").unwrap();
    std::fs::write(out.join("registry.pdf"), "old").unwrap();
    let before = snapshot(&out);
    let result = shiryo(dir.path(), &args);
    assert!(!result.status.success());
    assert_eq!(snapshot(&out), before, "nothing changed, no temporary left");
}
