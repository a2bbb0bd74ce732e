//! The workbook's zip, deflated on every core.
//!
//! rust_xlsxwriter 0.102 assembles the parts, then deflates them one after the other
//! on the saving thread: on a 10,000-project registry that is 90 MB of XML and a
//! quarter of the whole run's instructions, on one core. It offers no way to save the
//! parts uncompressed (its levels are 1 to 9) nor to hand over its XML, so it saves at
//! level 1, the cheapest, into a pipe, and this module, on the other side:
//!
//! ```text
//! rust_xlsxwriter ──level-1 zip──▶ parse + inflate ──512 KiB pieces──▶ workers deflate
//!  (calling thread)                 (its own thread, CRC-32)            (each core)
//!                                                                          │
//!                      the zip: entries in rust_xlsxwriter's order ◀──────┘
//! ```
//! Each entry's text is cut into pieces of [`PIECE`] bytes, deflated independently at
//! [`LEVEL`] with the 32 KiB before it as dictionary and ended by a sync flush (the
//! last one by the end of the stream): the pieces joined are one deflate stream, as
//! pigz makes them. The cuts depend on the text alone, so the file is the same on any
//! number of threads. Everything of rust_xlsxwriter's zip but the compressed data is
//! kept: entry order, names, flags (but "sizes after the data"), dates (its fixed
//! 1980-01-01), version numbers and attributes (its 0o600) come from its headers.
//!
//! deflate.rs  the workers
//! zip.rs      the pieces put back in order, the headers, the central directory
//!
//! A small writer of our own rather than the `zip` crate: the `zip` crate writes
//! pre-compressed data only by copying an entry out of another archive
//! (`raw_copy_file`), which would mean building a one-entry archive per entry.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use flate2::{Decompress, FlushDecompress, Status};
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::error::Result;
use deflate::{deflate_pieces, Deflated, Job};
use zip::{Entry, Fields, Zip, CENTRAL, END, LOCAL, SIZES_AFTER};

mod deflate;
mod zip;

/// The piece of an entry deflated on its own: large enough that restarting the
/// Huffman codes and priming the dictionary cost little (the sphere's file is 1 KB
/// larger than deflated whole), small enough that the last entry (the data sheet,
/// 18 MB on the sphere) keeps every core busy and that the pieces in flight stay
/// small (1 MiB pieces held 5 MB more at the peak).
const PIECE: usize = 1 << 19;
/// Deflate's window: the dictionary a piece is deflated with.
const WINDOW: usize = 32 * 1024;
/// The blocks rust_xlsxwriter's zip is passed over in.
const BLOCK: usize = 64 * 1024;
/// A piece's buffer grows by this much as its text comes: a small part (the seed's
/// are a few KB) touches no more memory than it needs.
const GROW: usize = 64 * 1024;
const DESCRIPTOR: u32 = 0x0807_4b50;

/// Saves `workbook` as an xlsx, its parts deflated on `workers` threads.
pub(super) fn save_on(workbook: &mut Workbook, workers: usize) -> Result<Vec<u8>> {
    workbook.set_zip_compression_level(1);
    let workers = workers.max(1);
    let (blocks, stream) = mpsc::sync_channel::<Vec<u8>>(8);
    let (used_blocks, spare_blocks) = mpsc::channel::<Vec<u8>>();
    let (jobs, queue) = mpsc::sync_channel::<Job>(workers);
    let queue = Arc::new(Mutex::new(queue));
    let (done, results) = mpsc::channel::<Deflated>();
    let (saved, zip) = std::thread::scope(|scope| {
        for _ in 0..workers {
            let (queue, done) = (Arc::clone(&queue), done.clone());
            scope.spawn(move || deflate_pieces(&queue, &done));
        }
        drop(done);
        let reader = scope.spawn(move || {
            let mut stream = Stream {
                blocks: stream,
                block: Vec::new(),
                at: 0,
                used: used_blocks,
            };
            let mut zip = Zip::new(jobs, results);
            let parsed = parse(&mut stream, &mut zip);
            // Unblocks the saver if parsing stopped early.
            drop(stream);
            parsed.and_then(|()| zip.finish())
        });
        // rust_xlsxwriter saves on this thread, whose heap holds what the sheets freed.
        let mut pipe = Pipe {
            blocks,
            block: Vec::with_capacity(BLOCK),
            spare: spare_blocks,
        };
        let saved = workbook
            .save_to_writer(&mut pipe)
            .and_then(|()| pipe.send().map_err(XlsxError::IoError));
        drop(pipe);
        let zip = reader
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (saved, zip)
    });
    match (saved, zip) {
        (Ok(()), zip) => Ok(zip.map_err(XlsxError::IoError)?),
        // The saver stopped because the reader did: the reader says why.
        (Err(XlsxError::IoError(e)), Err(zip)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Err(XlsxError::IoError(zip).into())
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// rust_xlsxwriter's side of the pipe: its zip in blocks of [`BLOCK`] bytes. Blocks
/// come back to be filled again (see [`deflate::deflate_pieces`] on memory).
struct Pipe {
    blocks: SyncSender<Vec<u8>>,
    block: Vec<u8>,
    spare: Receiver<Vec<u8>>,
}

impl Pipe {
    fn send(&mut self) -> io::Result<()> {
        if self.block.is_empty() {
            return Ok(());
        }
        let spare = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BLOCK));
        let block = std::mem::replace(&mut self.block, spare);
        self.blocks
            .send(block)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the zip's reader stopped"))
    }
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(BLOCK - self.block.len());
        self.block.extend_from_slice(&buf[..n]);
        if self.block.len() == BLOCK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The reader's side of the pipe.
struct Stream {
    blocks: Receiver<Vec<u8>>,
    block: Vec<u8>,
    at: usize,
    used: mpsc::Sender<Vec<u8>>,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(buf.len());
            buf[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Stream {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.block.len() {
            match self.blocks.recv() {
                Ok(block) => {
                    let mut used = std::mem::replace(&mut self.block, block);
                    self.at = 0;
                    used.clear();
                    // Fails once the saver is done: the block is freed here.
                    let _ = self.used.send(used);
                }
                // The saver is done (or failed, and says so itself).
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at += n;
    }
}

/// Reads rust_xlsxwriter's zip, sending each entry's text to the workers in pieces.
fn parse(stream: &mut Stream, zip: &mut Zip) -> io::Result<()> {
    let mut inflate = Decompress::new(false);
    let mut signature = u32_at(stream)?;
    while signature == LOCAL {
        let header = array::<26>(stream)?;
        let u16_at = |i: usize| u16::from_le_bytes([header[i], header[i + 1]]);
        let (flags, method, extra) = (u16_at(2), u16_at(4), u16_at(24));
        let declared_crc = u32::from_le_bytes([header[10], header[11], header[12], header[13]]);
        let name = bytes(stream, u16_at(22) as usize)?;
        let entry_name = String::from_utf8_lossy(&name).into_owned();
        if method != 8 || extra != 0 {
            return Err(unexpected(format!(
                "entry {entry_name} is not plainly deflated (method {method}, {extra} bytes of extra fields)"
            )));
        }
        zip.entries.push(Entry {
            name,
            size: 0,
            crc: 0,
            pieces: (zip.sent, zip.sent),
            fields: Fields {
                needed: u16_at(0),
                flags,
                time: u16_at(6),
                date: u16_at(8),
                ..Fields::default()
            },
            offset: 0,
        });
        inflate.reset(false);
        let (size, crc) = inflate_entry(stream, &mut inflate, zip)?;
        let crc_said = if flags & SIZES_AFTER != 0 {
            let mut word = u32_at(stream)?;
            if word == DESCRIPTOR {
                word = u32_at(stream)?;
            }
            let _compressed = u32_at(stream)?;
            if u64::from(u32_at(stream)?) != size {
                return Err(unexpected(format!("entry {entry_name} is not whole")));
            }
            word
        } else {
            declared_crc
        };
        if crc_said != crc {
            return Err(unexpected(format!("entry {entry_name} fails its CRC")));
        }
        let sent = zip.sent;
        let entry = zip.entries.last_mut().expect("pushed above");
        (entry.size, entry.crc, entry.pieces.1) = (size, crc, sent);
        signature = u32_at(stream)?;
    }
    for entry in &mut zip.entries {
        if signature != CENTRAL {
            return Err(unexpected("the central directory is short".into()));
        }
        let header = array::<42>(stream)?;
        let u16_at = |i: usize| u16::from_le_bytes([header[i], header[i + 1]]);
        let name = bytes(stream, u16_at(24) as usize)?;
        let extra_and_comment = u16_at(26) as usize + u16_at(28) as usize;
        if name != entry.name || extra_and_comment != 0 {
            return Err(unexpected(format!(
                "the central directory disagrees on {}",
                String::from_utf8_lossy(&entry.name)
            )));
        }
        entry.fields = Fields {
            made_by: u16_at(0),
            needed: u16_at(2),
            flags: u16_at(4),
            time: u16_at(8),
            date: u16_at(10),
            internal: u16_at(32),
            external: u32::from_le_bytes([header[34], header[35], header[36], header[37]]),
        };
        signature = u32_at(stream)?;
    }
    if signature != END {
        return Err(unexpected(
            "no end of central directory where expected".into(),
        ));
    }
    let end = array::<18>(stream)?;
    bytes(stream, u16::from_le_bytes([end[16], end[17]]) as usize)?;
    if !stream.fill_buf()?.is_empty() {
        return Err(unexpected("bytes after the end of the zip".into()));
    }
    Ok(())
}

/// Inflates one entry from `stream`, sending its text in pieces of [`PIECE`] bytes
/// (the last one shorter, or empty for an empty entry), each in a buffer after the
/// [`WINDOW`] bytes before it. Returns the entry's size and CRC-32.
fn inflate_entry(
    stream: &mut Stream,
    inflate: &mut Decompress,
    zip: &mut Zip,
) -> io::Result<(u64, u32)> {
    let mut crc = crc32fast::Hasher::new();
    let mut text = zip.text_buffer();
    // The piece is text[start..end].
    let (mut start, mut end) = (0, 0);
    // A full piece waits until the entry turns out to go on after it, so that where
    // the pieces end does not depend on how the input arrived.
    let mut full: Option<(Vec<u8>, usize)> = None;
    loop {
        let input = stream.fill_buf()?;
        if input.is_empty() {
            return Err(unexpected("the zip ends inside an entry".into()));
        }
        let room = (start + PIECE).min(end + GROW);
        if text.len() < room {
            text.resize(room, 0);
        }
        let room = text.len().min(start + PIECE);
        let (read, wrote) = (inflate.total_in(), inflate.total_out());
        let status = inflate
            .decompress(input, &mut text[end..room], FlushDecompress::None)
            .map_err(|e| unexpected(e.to_string()))?;
        stream.consume((inflate.total_in() - read) as usize);
        let new = (inflate.total_out() - wrote) as usize;
        crc.update(&text[end..end + new]);
        end += new;
        if new > 0 {
            if let Some((text, start)) = full.take() {
                zip.send(text, start, start + PIECE, false)?;
            }
        }
        if status == Status::StreamEnd {
            match full.take() {
                Some((full, full_start)) if end == start => {
                    zip.unused(text);
                    zip.send(full, full_start, full_start + PIECE, true)?;
                }
                Some((full, full_start)) => {
                    zip.send(full, full_start, full_start + PIECE, false)?;
                    zip.send(text, start, end, true)?;
                }
                None => zip.send(text, start, end, true)?,
            }
            return Ok((inflate.total_out(), crc.finalize()));
        }
        if end == start + PIECE {
            let mut next = zip.text_buffer();
            if next.len() < WINDOW {
                next.resize(WINDOW, 0);
            }
            next[..WINDOW].copy_from_slice(&text[end - WINDOW..end]);
            full = Some((std::mem::replace(&mut text, next), start));
            (start, end) = (WINDOW, WINDOW);
        }
    }
}

fn array<const N: usize>(stream: &mut Stream) -> io::Result<[u8; N]> {
    let mut a = [0; N];
    stream.read_exact(&mut a).map_err(short)?;
    Ok(a)
}

fn bytes(stream: &mut Stream, n: usize) -> io::Result<Vec<u8>> {
    let mut v = vec![0; n];
    stream.read_exact(&mut v).map_err(short)?;
    Ok(v)
}

fn u32_at(stream: &mut Stream) -> io::Result<u32> {
    array::<4>(stream).map(u32::from_le_bytes)
}

fn short(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        unexpected("the zip ends early".into())
    } else {
        e
    }
}

/// rust_xlsxwriter's zip is not laid out as this module reads it: a change of
/// rust_xlsxwriter or of `zip`, never of the registry.
fn unexpected(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("rust_xlsxwriter's zip is not as expected: {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    use std::io::Cursor;

    /// A workbook whose sheets span several pieces, one sheet of them in constant
    /// memory (as the real workbooks' sheets are), and an empty-ish one.
    fn workbook() -> Workbook {
        let mut workbook = Workbook::new();
        // Not now: the saves must agree.
        let date = ExcelDateTime::from_ymd(2025, 11, 20).unwrap();
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&date));
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet();
        sheet.set_name("資料2").unwrap();
        for row in 0..40_000u32 {
            sheet
                .write_string(row, 0, format!("連携事業 {row} の概要（{}）", row % 97))
                .unwrap();
            sheet
                .write_number_with_format(row, 1, f64::from(row), &bold)
                .unwrap();
        }
        let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
        for row in 0..20_000u32 {
            sheet
                .write_string(row, 0, format!("町 {}", row * 7919 % 10_007))
                .unwrap();
        }
        workbook.add_worksheet();
        workbook
    }

    /// What rust_xlsxwriter's own save and ours agree on: the entries, their order,
    /// names, texts, dates and permissions; ours is deflated at our level and is the
    /// same on one worker and on three.
    #[test]
    fn the_zip_keeps_rust_xlsxwriters_entries_and_does_not_depend_on_the_workers() {
        let theirs = workbook().save_to_buffer().unwrap();
        let one = save_on(&mut workbook(), 1).unwrap();
        let three = save_on(&mut workbook(), 3).unwrap();
        assert!(one == three, "the file depends on the number of workers");
        let mut theirs = ::zip::ZipArchive::new(Cursor::new(theirs)).unwrap();
        let mut ours = ::zip::ZipArchive::new(Cursor::new(one)).unwrap();
        assert_eq!(theirs.len(), ours.len());
        let mut pieces = 0;
        for i in 0..ours.len() {
            let mut a = theirs.by_index(i).unwrap();
            let mut b = ours.by_index(i).unwrap();
            assert_eq!(a.name(), b.name());
            assert_eq!(a.last_modified(), b.last_modified(), "{}", a.name());
            assert_eq!(a.unix_mode(), b.unix_mode(), "{}", a.name());
            assert_eq!(b.unix_mode(), Some(0o100600), "{}", b.name());
            assert_eq!(b.compression(), ::zip::CompressionMethod::Deflated);
            assert_eq!(a.crc32(), b.crc32(), "{}", a.name());
            pieces += b.size().div_ceil(PIECE as u64);
            let (mut ta, mut tb) = (Vec::new(), Vec::new());
            a.read_to_end(&mut ta).unwrap();
            // Reading to the end checks the CRC against the text.
            b.read_to_end(&mut tb).unwrap();
            assert!(ta == tb, "{} differs", a.name());
        }
        assert!(
            pieces > ours.len() as u64 + 2,
            "no entry was cut into pieces"
        );
    }

    /// The workbook reader of `shiryo import` (zip-bomb checks, calamine) takes it.
    #[test]
    fn shiryo_reads_the_zip_back() {
        let bytes = save_on(&mut workbook(), 2).unwrap();
        let mut book = crate::workbook_in::Book::from_bytes("t.xlsx".as_ref(), bytes).unwrap();
        let sheet = book.head("資料2", 2).unwrap();
        assert_eq!(sheet[1][0], "連携事業 1 の概要（1）");
    }
}
