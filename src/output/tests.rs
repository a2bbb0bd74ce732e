//! The output folder's guarantees, each with the failure it guards against.

use super::*;

fn files(dir: &Path, version: &str, towns: &[&str]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = vec![
        (dir.join("r.pdf"), format!("pdf {version}").into_bytes()),
        (dir.join("r.xlsx"), format!("xlsx {version}").into_bytes()),
    ];
    for town in towns {
        files.push((
            dir.join("towns").join(format!("{town}.pdf")),
            format!("{town} {version}").into_bytes(),
        ));
    }
    files
}

/// Every file under `dir` but shiryo's lock, as (relative path, contents).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.ends_with(LOCK_FILE) {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn write(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<Report> {
    write_set(dir, files, &[], &mut |_| {})
}

#[test]
fn replaces_the_files_and_leaves_no_temporary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &files(&dir, "1", &["a", "b"])).unwrap();
    write(&dir, &files(&dir, "2", &["a", "b"])).unwrap();
    assert_eq!(
        snapshot(&dir),
        snapshot_of(&dir, &files(&dir, "2", &["a", "b"]))
    );
}

fn snapshot_of(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = files
        .iter()
        .map(|(p, b)| {
            (
                p.strip_prefix(dir).unwrap().display().to_string(),
                b.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_write_that_fails_changes_nothing() {
    // As root, permissions stop nothing: a file where the towns folder must be makes
    // the third write fail after two temporaries were written.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &files(&dir, "1", &[])).unwrap();
    fs::write(dir.join("towns"), "in the way").unwrap();
    let before = snapshot(&dir);
    let err = write(&dir, &files(&dir, "2", &["a"])).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert_eq!(
        snapshot(&dir),
        before,
        "old set untouched, no temporary left"
    );
}

#[test]
fn a_commit_killed_between_renames_is_finished_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let old = files(&dir, "1", &["a", "b"]);
    let new = files(&dir, "2", &["a", "b"]);
    write(&dir, &old).unwrap();
    // What a SIGKILL after the journal and the first rename leaves.
    let temps = write_temps(&new).unwrap();
    let journal: String = temps
        .iter()
        .map(|t| {
            let rel = |p: &Path| p.strip_prefix(&dir).unwrap().display().to_string();
            format!("{}\t{}\n", rel(&t.temp), rel(&t.target))
        })
        .collect();
    fs::write(dir.join(JOURNAL), journal).unwrap();
    fs::rename(&temps[0].temp, &temps[0].target).unwrap();
    pending().temps.clear();
    assert_ne!(snapshot(&dir), snapshot_of(&dir, &new));
    // The next run (here one writing a single unrelated file) rolls forward first.
    let extra = vec![(dir.join("note.pdf"), b"n".to_vec())];
    write(&dir, &extra).unwrap();
    let mut expected = snapshot_of(&dir, &new);
    expected.extend(snapshot_of(&dir, &extra));
    expected.sort();
    assert_eq!(snapshot(&dir), expected);
}

#[test]
fn temporaries_of_a_killed_run_are_removed_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &files(&dir, "1", &["a"])).unwrap();
    fs::write(dir.join(".shiryo-abc123.tmp"), "partial").unwrap();
    fs::write(dir.join("towns/.shiryo-def456.tmp"), "partial").unwrap();
    write(&dir, &files(&dir, "2", &["a"])).unwrap();
    assert_eq!(snapshot(&dir), snapshot_of(&dir, &files(&dir, "2", &["a"])));
}

#[cfg(unix)]
#[test]
fn a_towns_folder_that_is_a_link_is_never_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&dir).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("a.pdf"), "precious").unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("towns")).unwrap();
    let err = write(&dir, &files(&dir, "1", &["a"])).unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read(elsewhere.join("a.pdf")).unwrap(), b"precious");
    assert!(!dir.join("r.pdf").exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn targets_that_are_links_folders_or_inputs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let registry = dir.join("r.yaml");
    fs::write(&registry, "title: x").unwrap();
    // The registry itself, under another name (a hard link).
    fs::hard_link(&registry, dir.join("alias.pdf")).unwrap();
    let err = write_atomic(&dir.join("alias.pdf"), b"pdf", &[&registry]).unwrap_err();
    assert!(err.to_string().contains("input"), "{err}");
    // A link (like /dev/stdout) and a folder.
    std::os::unix::fs::symlink(&registry, dir.join("link.pdf")).unwrap();
    fs::create_dir(dir.join("folder.pdf")).unwrap();
    for name in ["link.pdf", "folder.pdf"] {
        let err = write_atomic(&dir.join(name), b"pdf", &[]).unwrap_err();
        assert!(
            err.to_string().contains("not a regular file"),
            "{name}: {err}"
        );
    }
    assert_eq!(fs::read_to_string(&registry).unwrap(), "title: x");
    let err = write_atomic(Path::new("/dev/null"), b"pdf", &[]).unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
}

#[cfg(unix)]
#[test]
fn a_rebuilt_output_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.pdf");
    write_atomic(&path, b"one", &[]).unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o644
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    write_atomic(&path, b"two", &[]).unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(fs::read(&path).unwrap(), b"two");
}

#[test]
fn files_of_an_earlier_registry_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    write(&dir, &files(&dir, "1", &["a", "b"])).unwrap();
    let report = write(&dir, &files(&dir, "2", &["a"])).unwrap();
    assert_eq!(report.not_written, [dir.join("towns").join("b.pdf")]);
}

#[test]
fn a_second_run_waits_for_the_lock_and_says_who_holds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let held = FolderLock::acquire(&dir, &mut |_| panic!("free at first")).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let mut heard = Vec::new();
            let lock = FolderLock::acquire(&dir, &mut |t| heard.push(t.en.clone()));
            tx.send(()).unwrap();
            drop(lock);
            heard
        })
    };
    // Not a timing assertion: the waiter cannot finish while the lock is held, however
    // long this sleep is; the sleep only gives it the chance to get it wrong.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        rx.try_recv().is_err(),
        "the second run got the lock while it was held"
    );
    drop(held);
    rx.recv().unwrap();
    let heard = waiter.join().unwrap();
    let pid = std::process::id().to_string();
    assert!(
        heard.len() == 1 && heard[0].contains(&pid),
        "names the holder: {heard:?}"
    );
}
