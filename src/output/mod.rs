//! Writing outputs so that a failed, interrupted or killed run never leaves a mixed or
//! damaged set, and never writes outside the folder it was given.
//!
//! [`write_set`] writes a whole set of files (one build) in three phases:
//!
//! ```text
//! check     every target is a regular file or absent, not an input, not behind a
//!           link inside the folder; the folder is locked (another run waits)
//! write     each file goes to DIR/…/.shiryo-XXXXXX.tmp and is synced to disk;
//!           a failure or SIGINT/SIGTERM removes the temporary files: nothing changed
//! commit    the journal DIR/.shiryo-commit (temp → target pairs) is synced, every
//!           temporary file is renamed over its target, the folders are synced, the
//!           journal removed. A kill here leaves the journal: the next run into the
//!           folder finishes the renames before anything else (roll forward).
//! ```
//!
//! Temporary files of a killed run are removed by the next run into the folder.

mod lock;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub use lock::{FolderLock, LOCK_FILE};

use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::tr;

/// The journal of a commit in progress, in the output folder.
pub const JOURNAL: &str = ".shiryo-commit";
const TMP_PREFIX: &str = ".shiryo-";
const TMP_SUFFIX: &str = ".tmp";

/// What a finished [`write_set`] found beside the files it wrote.
#[derive(Debug, Default)]
pub struct Report {
    /// Files in the folder (and its `towns/`) that this run did not write: outputs of
    /// an earlier registry, which look current but are not.
    pub not_written: Vec<PathBuf>,
}

/// Temporary files of this process not yet renamed; a signal handler removes them.
struct Pending {
    temps: Vec<PathBuf>,
    /// A commit of this process has finished: outputs did change.
    committed: bool,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    temps: Vec::new(),
    committed: false,
});

fn pending() -> MutexGuard<'static, Pending> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// For a SIGINT/SIGTERM handler: removes this process's temporary files and returns
/// holding the guard, so that no new temporary file appears before the process exits.
/// A commit in progress holds the guard, so it finishes first: the set is never left
/// half renamed by a signal that can be handled. The flag says whether a commit
/// finished (outputs did change).
pub fn abandon() -> (bool, impl Drop) {
    let mut state = pending();
    for temp in state.temps.drain(..) {
        let _ = fs::remove_file(temp);
    }
    (state.committed, state)
}

/// Replaces `path` with `bytes`, atomically (one file: `shiryo pdf`, `shiryo xlsx`).
///
/// # Errors
/// As [`write_set`].
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    let (dir, path) = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => (d, path.to_path_buf()),
        _ => (Path::new("."), Path::new(".").join(path)),
    };
    let files = [(path, bytes.to_vec())];
    write_set(dir, &files, inputs, &mut |_| {}).map(|_| ())
}

/// Writes `files` (paths inside `dir`) all or nothing; see the module comment.
/// `inputs` are files this run read: never overwritten. `notice` hears about waiting.
///
/// # Errors
/// [`Error::Refused`] for a target that is an input, not a regular file, outside
/// `dir` or behind a symbolic link; [`Error::Io`] when a folder or file cannot be
/// created or written (nothing is changed then); [`Error::Interrupted`] never (a
/// signal ends the process from its handler).
pub fn write_set(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    inputs: &[&Path],
    notice: &mut dyn FnMut(&Text),
) -> Result<Report> {
    for (path, _) in files {
        check_target(dir, path, inputs)?;
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let _lock = FolderLock::acquire(dir, notice)?;
    recover(dir)?;
    // Checked again under the lock: another run may have changed the folder.
    for (path, _) in files {
        check_target(dir, path, inputs)?;
    }
    let temps = write_temps(files)?;
    commit(dir, &temps)?;
    Ok(Report {
        not_written: not_written(dir, files),
    })
}

/// Refuses a target that would write through a link, onto an input, or onto
/// something that is not a regular file (`/dev/stdout`, a FIFO, a folder).
fn check_target(dir: &Path, path: &Path, inputs: &[&Path]) -> Result<()> {
    let refuse = |reason: Text, help: Option<Text>| Err(Error::refused(path, reason, help));
    let Ok(inside) = path.strip_prefix(dir) else {
        return refuse(
            tr!("is outside the output folder", "出力フォルダーの外です"),
            None,
        );
    };
    // Every folder between `dir` and the file must be a real folder of `dir`.
    let mut at = dir.to_path_buf();
    let parts: Vec<_> = inside.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        if let Ok(meta) = fs::symlink_metadata(&at) {
            if meta.file_type().is_symlink() {
                let link = at.display();
                return refuse(
                    tr!(
                        "{link} is a symbolic link; shiryo never writes through a link out of the output folder",
                        "{link} はシンボリックリンクです。shiryo はリンクをたどって出力フォルダーの外に書き込みません"
                    ),
                    Some(tr!(
                        "remove the link, or give its target folder as the output folder",
                        "リンクを削除するか、リンク先のフォルダーを出力フォルダーに指定してください"
                    )),
                );
            }
        }
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(_) => return Ok(()), // absent: it will be created
    };
    if !meta.file_type().is_file() {
        return refuse(
            tr!(
                "is not a regular file (a link, device, pipe or folder); shiryo only replaces files it can replace whole",
                "通常のファイルではありません（リンク、デバイス、パイプ、フォルダー）。shiryo は丸ごと置き換えられるファイルにだけ書き込みます"
            ),
            Some(tr!(
                "write to a file name, or use `-o -` for standard output",
                "ファイル名を指定するか、標準出力には `-o -` を使ってください"
            )),
        );
    }
    if inputs.iter().any(|input| same_file(input, path)) {
        return refuse(
            tr!(
                "is an input of this run; writing there would destroy it",
                "この実行の入力ファイルです。書き込むと入力が失われます"
            ),
            Some(tr!(
                "choose another output name",
                "別の出力先を指定してください"
            )),
        );
    }
    Ok(())
}

/// Whether two paths name one file (hard links and `./x` vs `x` included).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// A written and synced temporary file and the target it replaces.
struct Temp {
    temp: PathBuf,
    target: PathBuf,
}

/// Writes every file to a synced temporary beside its target. On failure every
/// temporary written so far is removed and the targets are untouched.
fn write_temps(files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<Temp>> {
    let mut done: Vec<Temp> = Vec::with_capacity(files.len());
    let remove_all = |done: &[Temp]| {
        let mut state = pending();
        for t in done {
            let _ = fs::remove_file(&t.temp);
            state.temps.retain(|p| p != &t.temp);
        }
    };
    let mut opened: Vec<fs::File> = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match write_temp(path, bytes) {
            Ok((temp, file)) => {
                done.push(temp);
                opened.push(file);
            }
            Err(e) => {
                remove_all(&done);
                return Err(e);
            }
        }
    }
    // Synced together, not one after another: the file system commits concurrent
    // syncs in one journal transaction, so ten files cost about one sync's wait
    // (the survey's 8 workbooks: 90 ms → 35 ms wall on this machine's disk).
    let synced: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = opened
            .iter()
            .map(|file| scope.spawn(move || file.sync_all()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("sync panicked")))
            })
            .collect()
    });
    if let Some((i, Err(e))) = synced.into_iter().enumerate().find(|(_, r)| r.is_err()) {
        let path = done[i].target.clone();
        remove_all(&done);
        return Err(Error::io(&path, e));
    }
    Ok(done)
}

/// Writes one temporary beside `path`, not yet synced (the caller syncs them all).
fn write_temp(path: &Path, bytes: &[u8]) -> Result<(Temp, fs::File)> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // `create_dir`, not `create_dir_all`: check_target saw every folder above.
    if !dir.is_dir() {
        fs::create_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(TMP_PREFIX).suffix(TMP_SUFFIX);
    // A rebuilt output keeps its permissions; a new one is readable by colleagues
    // sharing the folder (tempfile's default 0600 would not be).
    let keep = fs::metadata(path).ok().map(|m| m.permissions());
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    // Created and registered under the guard: a signal handler sees every temporary.
    let (file, temp) = {
        let mut state = pending();
        let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
        let (file, temp) = tmp.keep().map_err(|e| Error::io(dir, e.error))?;
        state.temps.push(temp.clone());
        (file, temp)
    };
    let fail = |e: std::io::Error| {
        let _ = fs::remove_file(&temp);
        pending().temps.retain(|p| p != &temp);
        Error::io(path, e)
    };
    let mut file = file;
    file.write_all(bytes).map_err(fail)?;
    if let Some(perms) = keep {
        file.set_permissions(perms).map_err(fail)?;
    }
    Ok((
        Temp {
            temp,
            target: path.to_path_buf(),
        },
        file,
    ))
}

/// Renames every temporary over its target, behind a journal that lets the next run
/// finish the renames if this process is killed in between.
fn commit(dir: &Path, temps: &[Temp]) -> Result<()> {
    // Held throughout: a SIGINT/SIGTERM handler waits for the renames to finish.
    let mut state = pending();
    // Paths relative to `dir`, so a run from another working folder can finish it.
    let relative = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    let journal: String = temps
        .iter()
        .map(|t| format!("{}\t{}\n", relative(&t.temp), relative(&t.target)))
        .collect();
    let journal_path = dir.join(JOURNAL);
    let journal_tmp = dir.join(format!("{JOURNAL}{TMP_SUFFIX}"));
    let write_journal = || -> std::io::Result<()> {
        let mut f = fs::File::create(&journal_tmp)?;
        f.write_all(journal.as_bytes())?;
        f.sync_all()?;
        fs::rename(&journal_tmp, &journal_path)?;
        sync_dir(dir)
    };
    if let Err(e) = write_journal() {
        let _ = fs::remove_file(&journal_tmp);
        for t in temps {
            let _ = fs::remove_file(&t.temp);
        }
        state.temps.clear();
        return Err(Error::io(&journal_path, e));
    }
    finish(dir, &journal)?;
    state.temps.clear();
    state.committed = true;
    Ok(())
}

/// Performs the renames a journal lists (those not done yet), syncs the folders and
/// removes the journal.
fn finish(dir: &Path, journal: &str) -> Result<()> {
    let mut folders: Vec<PathBuf> = vec![dir.to_path_buf()];
    for line in journal.lines() {
        let Some((temp, target)) = line.split_once('\t') else {
            continue;
        };
        let (temp, target) = (dir.join(temp), dir.join(target));
        if temp.exists() {
            fs::rename(&temp, &target).map_err(|e| Error::io(&target, e))?;
        }
        if let Some(parent) = target.parent() {
            if !folders.iter().any(|f| f == parent) {
                folders.push(parent.to_path_buf());
            }
        }
    }
    for folder in &folders {
        sync_dir(folder).map_err(|e| Error::io(folder, e))?;
    }
    let journal_path = dir.join(JOURNAL);
    fs::remove_file(&journal_path).map_err(|e| Error::io(&journal_path, e))?;
    sync_dir(dir).map_err(|e| Error::io(dir, e))
}

/// Makes renames in `dir` durable (a no-op where folders cannot be opened).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// What a killed run left: a journal is rolled forward (its temporaries are complete
/// and synced), then every other temporary file is removed.
fn recover(dir: &Path) -> Result<()> {
    let journal_path = dir.join(JOURNAL);
    if let Ok(journal) = fs::read_to_string(&journal_path) {
        finish(dir, &journal)?;
    }
    for folder in [dir.to_path_buf(), dir.join("towns")] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let is_temp = name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX);
            if is_temp && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// Regular files in `dir` and `dir/towns` that are not among `files` (dot files, the
/// lock and the journal, are shiryo's own and not listed).
fn not_written(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Vec<PathBuf> {
    let mut others = Vec::new();
    for folder in [dir.to_path_buf(), dir.join("towns")] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let file = entry.file_type().is_ok_and(|t| t.is_file());
            if file && !hidden && !files.iter().any(|(p, _)| p == &path) {
                others.push(path);
            }
        }
    }
    others.sort();
    others
}

#[cfg(test)]
mod tests;
