//! The workers: each deflates pieces of the parts' text until the queue closes.

use std::io;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Mutex;

use flate2::{Compress, Compression, FlushCompress, Status};

/// The deflate level of the parts: on the 10,008-project workbook level 5 gave a file
/// a little smaller than the default 6 in 0.1 s less; level 4 saved little more for a
/// file 8 % larger (the workbook goes to the towns by e-mail).
const LEVEL: u32 = 5;

/// A piece of an entry's text to deflate: `text[..start]` is the 32 KiB before it
/// (the dictionary; nothing for an entry's first piece), `text[start..end]` the piece.
/// `index` is its place among all the file's pieces. `out` is a buffer to deflate into.
pub(super) struct Job {
    pub index: usize,
    pub text: Vec<u8>,
    pub start: usize,
    pub end: usize,
    pub last: bool,
    pub out: Vec<u8>,
}

/// A piece deflated (`out`), with the job's buffers, to be used again.
pub(super) struct Deflated {
    pub index: usize,
    pub done: io::Result<()>,
    pub text: Vec<u8>,
    pub out: Vec<u8>,
}

/// One worker: deflates pieces until the queue closes. The buffers go back with the
/// result to the thread that made them: the allocator keeps a heap per thread, and
/// buffers freed on another thread than their own made the save's memory grow by
/// 40 MB on the sphere.
pub(super) fn deflate_pieces(queue: &Mutex<Receiver<Job>>, done: &Sender<Deflated>) {
    loop {
        let job = match queue.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        let mut out = job.out;
        let result = deflate_piece(&job.text[..job.end], job.start, job.last, &mut out);
        let back = Deflated {
            index: job.index,
            done: result,
            text: job.text,
            out,
        };
        if done.send(back).is_err() {
            return;
        }
    }
}

/// `text[start..]` as deflate blocks, `text[..start]` its dictionary: ended by a sync
/// flush (an empty stored block, so that the next piece starts on a byte), or for an
/// entry's last piece by the final block.
///
/// A new compressor for each piece: with one per worker, reset between pieces, the
/// file differed between one worker and four (same sizes, other bytes), so it
/// depended on which worker had deflated what before.
fn deflate_piece(text: &[u8], start: usize, last: bool, out: &mut Vec<u8>) -> io::Result<()> {
    let mut deflate = Compress::new(Compression::new(LEVEL), false);
    if start > 0 {
        deflate
            .set_dictionary(&text[..start])
            .map_err(io::Error::other)?;
    }
    let text = &text[start..];
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    out.clear();
    out.reserve(text.len() / 4 + 64);
    loop {
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity());
        }
        let read = deflate.total_in() as usize;
        let status = deflate
            .compress_vec(&text[read..], out, flush)
            .map_err(io::Error::other)?;
        let all_read = deflate.total_in() as usize == text.len();
        // A flush is complete when it leaves room in the output.
        let complete = if last {
            status == Status::StreamEnd
        } else {
            all_read && out.len() < out.capacity()
        };
        if complete {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Pieces deflated apart, each with the 32 KiB before it, joined: one stream that
    /// inflates to the whole text, and of about the size of the text deflated whole.
    #[test]
    fn pieces_joined_are_one_deflate_stream() {
        let text: Vec<u8> = (0..300_000u32)
            .flat_map(|i| format!("<c r=\"A{i}\"><v>{}</v></c>", i % 977).into_bytes())
            .collect();
        let piece = 1 << 20;
        let mut joined = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let end = (at + piece).min(text.len());
            let start = at.saturating_sub(32 * 1024);
            let mut out = Vec::new();
            deflate_piece(&text[start..end], at - start, end == text.len(), &mut out).unwrap();
            joined.extend_from_slice(&out);
            at = end;
        }
        assert!(text.len() > 5 * piece);
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&joined[..])
            .read_to_end(&mut back)
            .unwrap();
        assert!(back == text, "the joined pieces inflate to other text");
        let mut whole = Vec::new();
        deflate_piece(&text, 0, true, &mut whole).unwrap();
        assert!(
            joined.len() < whole.len() + whole.len() / 50,
            "joined {} bytes, whole {}",
            joined.len(),
            whole.len()
        );
    }
}
