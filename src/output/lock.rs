//! One build at a time per folder: an advisory lock on `DIR/.shiryo.lock`.
//!
//! The lock is the operating system's (flock on Unix, LockFileEx on Windows), so it
//! is released when the process ends however it ends, SIGKILL included: a killed run
//! never leaves a folder locked. The file itself stays and holds the holder's process
//! id, which a waiting run names.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;

use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::tr;

/// The lock file's name in an output folder.
pub const LOCK_FILE: &str = ".shiryo.lock";

/// Held while a run writes into a folder; released on drop (or when the process ends).
pub struct FolderLock {
    file: File,
    path: PathBuf,
}

impl FolderLock {
    /// Locks `dir`, waiting for another run that holds it; `notice` is told once whom
    /// it waits for.
    ///
    /// # Errors
    /// [`Error::Io`] when the lock file cannot be created or locked.
    pub fn acquire(dir: &Path, notice: &mut dyn FnMut(&Text)) -> Result<FolderLock> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim().to_string();
                let dir = dir.display();
                notice(&tr!(
                    "{dir}: another shiryo (process {holder}) is writing here; waiting for it to finish",
                    "{dir}: 別の shiryo（プロセス {holder}）が書き込み中です。終わるのを待ちます"
                ));
                FileExt::lock(&file).map_err(|e| Error::io(&path, e))?;
            }
            Err(fs4::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        // Who holds it, for the next run that has to wait.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(FolderLock { file, path })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = FileExt::unlock(&self.file);
        let _ = &self.path;
    }
}
