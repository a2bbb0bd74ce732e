//! The zip being written: pieces go to the workers and come back in any order, to be
//! appended in theirs, each entry's local header before its first piece (its sizes
//! and CRC filled in at the end), then the central directory.

use std::collections::BTreeMap;
use std::io;
use std::sync::mpsc::{Receiver, SyncSender};

use super::deflate::{Deflated, Job};
use super::{PIECE, WINDOW};

pub(super) const LOCAL: u32 = 0x0403_4b50;
pub(super) const CENTRAL: u32 = 0x0201_4b50;
pub(super) const END: u32 = 0x0605_4b50;
/// General-purpose flag bit 3: sizes and CRC follow the data (set by a streaming
/// writer; this one writes them in the local header).
pub(super) const SIZES_AFTER: u16 = 1 << 3;
const DEFLATED: u16 = 8;

/// An entry of rust_xlsxwriter's zip: its fields, its text's length and CRC-32, its
/// pieces (`pieces.0..pieces.1` among the file's), where its local header is.
pub(super) struct Entry {
    pub name: Vec<u8>,
    pub size: u64,
    pub crc: u32,
    pub pieces: (usize, usize),
    pub fields: Fields,
    pub offset: usize,
}

/// What rust_xlsxwriter's zip says of an entry, kept as it is: from the local header
/// until its central directory is read, then from there.
#[derive(Default, Clone, Copy)]
pub(super) struct Fields {
    pub made_by: u16,
    pub needed: u16,
    pub flags: u16,
    pub time: u16,
    pub date: u16,
    pub internal: u16,
    pub external: u32,
}

pub(super) struct Zip {
    jobs: SyncSender<Job>,
    results: Receiver<Deflated>,
    /// Pieces sent to the workers, appended to `bytes`.
    pub sent: usize,
    appended: usize,
    /// Pieces back from the workers before the ones ahead of them.
    waiting: BTreeMap<usize, Vec<u8>>,
    /// Buffers back from the workers, to use again.
    texts: Vec<Vec<u8>>,
    outs: Vec<Vec<u8>>,
    pub entries: Vec<Entry>,
    /// Entries whose local header is written.
    headers: usize,
    /// The zip so far.
    bytes: Vec<u8>,
}

impl Zip {
    pub fn new(jobs: SyncSender<Job>, results: Receiver<Deflated>) -> Zip {
        Zip {
            jobs,
            results,
            sent: 0,
            appended: 0,
            waiting: BTreeMap::new(),
            texts: Vec::new(),
            outs: Vec::new(),
            entries: Vec::new(),
            headers: 0,
            bytes: Vec::new(),
        }
    }

    /// A buffer for a piece's text and the 32 KiB before it (its contents are stale;
    /// it grows as the text comes).
    pub fn text_buffer(&mut self) -> Vec<u8> {
        (self.texts.pop()).unwrap_or_else(|| Vec::with_capacity(WINDOW + PIECE))
    }

    /// Sends `text[start..end]` to the workers, `text[..start]` its dictionary;
    /// appends the pieces that are back.
    pub fn send(&mut self, text: Vec<u8>, start: usize, end: usize, last: bool) -> io::Result<()> {
        let job = Job {
            index: self.sent,
            text,
            start,
            end,
            last,
            out: self.outs.pop().unwrap_or_default(),
        };
        self.sent += 1;
        self.jobs
            .send(job)
            .map_err(|_| io::Error::other("the deflating threads stopped"))?;
        self.collect(false)
    }

    /// Gives back a buffer that was not sent.
    pub fn unused(&mut self, text: Vec<u8>) {
        self.texts.push(text);
    }

    /// Appends the pieces back from the workers, waiting for all of them if `all`.
    fn collect(&mut self, all: bool) -> io::Result<()> {
        while self.appended < self.sent {
            let back = if all {
                self.results.recv().ok()
            } else {
                self.results.try_recv().ok()
            };
            let Some(Deflated {
                index,
                done,
                text,
                out,
            }) = back
            else {
                if all {
                    return Err(io::Error::other("the deflating threads stopped"));
                }
                return Ok(());
            };
            self.texts.push(text);
            done?;
            self.waiting.insert(index, out);
            while let Some(mut piece) = self.waiting.remove(&self.appended) {
                if let Some(entry) = self.entries.get_mut(self.headers) {
                    if entry.pieces.0 == self.appended {
                        entry.offset = self.bytes.len();
                        local_header(&mut self.bytes, entry);
                        self.headers += 1;
                    }
                }
                self.bytes.extend_from_slice(&piece);
                piece.clear();
                self.outs.push(piece);
                self.appended += 1;
            }
        }
        Ok(())
    }

    /// The zip, once every entry is read: the local headers' sizes and CRCs, then the
    /// central directory.
    pub fn finish(mut self) -> io::Result<Vec<u8>> {
        self.collect(true)?;
        let ends: Vec<usize> = (self.entries.iter().skip(1).map(|e| e.offset))
            .chain([self.bytes.len()])
            .collect();
        let directory: usize = self.entries.iter().map(|e| 46 + e.name.len()).sum();
        let total = self.bytes.len() + directory + 22;
        let too_big = self.entries.len() >= 0xffff
            || total as u64 >= u64::from(u32::MAX)
            || self.entries.iter().any(|e| e.size >= u64::from(u32::MAX));
        if too_big {
            return Err(io::Error::other(
                "the workbook needs a zip over 4 GiB or 65,535 entries (zip64), which shiryo does not write",
            ));
        }
        let mut zip = std::mem::take(&mut self.bytes);
        zip.reserve_exact(directory + 22);
        for (entry, end) in self.entries.iter().zip(ends) {
            let at = entry.offset;
            let size = (end - at - 30 - entry.name.len()) as u32;
            for (i, v) in [entry.crc, size, entry.size as u32].into_iter().enumerate() {
                zip[at + 14 + 4 * i..at + 18 + 4 * i].copy_from_slice(&v.to_le_bytes());
            }
        }
        let directory = zip.len() as u32;
        for entry in &self.entries {
            let f = &entry.fields;
            let at = entry.offset;
            let sizes: [u8; 12] = zip[at + 14..at + 26].try_into().expect("12 bytes");
            put32(&mut zip, CENTRAL);
            for v in [
                f.made_by,
                f.needed,
                f.flags & !SIZES_AFTER,
                DEFLATED,
                f.time,
                f.date,
            ] {
                put16(&mut zip, v);
            }
            // CRC-32 and sizes, as in the local header.
            zip.extend_from_slice(&sizes);
            // Name length; no extra field, comment; disk 0.
            for v in [entry.name.len() as u16, 0, 0, 0, f.internal] {
                put16(&mut zip, v);
            }
            put32(&mut zip, f.external);
            put32(&mut zip, at as u32);
            zip.extend_from_slice(&entry.name);
        }
        let directory_size = zip.len() as u32 - directory;
        put32(&mut zip, END);
        let count = self.entries.len() as u16;
        for v in [0, 0, count, count] {
            put16(&mut zip, v);
        }
        put32(&mut zip, directory_size);
        put32(&mut zip, directory);
        put16(&mut zip, 0);
        Ok(zip)
    }
}

/// `entry`'s local header, its CRC and sizes zero until [`Zip::finish`].
fn local_header(zip: &mut Vec<u8>, entry: &Entry) {
    let f = &entry.fields;
    put32(zip, LOCAL);
    for v in [f.needed, f.flags & !SIZES_AFTER, DEFLATED, f.time, f.date] {
        put16(zip, v);
    }
    for _ in 0..3 {
        put32(zip, 0);
    }
    put16(zip, entry.name.len() as u16);
    put16(zip, 0);
    zip.extend_from_slice(&entry.name);
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
