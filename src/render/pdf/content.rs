//! Page content streams, written straight to bytes (ISO 32000-1 §8–9, §14.6).
//!
//! printpdf turns each glyph of a `ShowText` into its own lopdf string object and
//! formats every number through `fmt`: a third of a large handout's time went there.
//! The handout needs a handful of operators (rules, text runs, marked content), so
//! they are written here and the streams replace printpdf's after it has built the
//! document (as the ToUnicode maps are). Numbers are written with at most three
//! decimals (a thousandth of a point), which is what a viewer can use.

/// One page's content stream being written.
#[derive(Debug, Default)]
pub(super) struct Content {
    bytes: Vec<u8>,
}

impl Content {
    pub fn new() -> Content {
        Content {
            bytes: Vec::with_capacity(16 * 1024),
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// A number and a space: at most three decimals, no trailing zeros.
    fn num(&mut self, v: f32) {
        let milli = (f64::from(v) * 1000.0).round() as i64;
        if milli < 0 {
            self.bytes.push(b'-');
        }
        let milli = milli.unsigned_abs();
        self.int(milli / 1000);
        let frac = milli % 1000;
        if frac != 0 {
            self.bytes.push(b'.');
            let digits = [frac / 100, frac / 10 % 10, frac % 10];
            let len = if frac % 100 == 0 {
                1
            } else if frac % 10 == 0 {
                2
            } else {
                3
            };
            self.bytes
                .extend(digits[..len].iter().map(|&d| b'0' + d as u8));
        }
        self.bytes.push(b' ');
    }

    fn int(&mut self, v: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut v = v;
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes.extend_from_slice(&buf[i..]);
    }

    fn op(&mut self, operator: &[u8]) {
        self.bytes.extend_from_slice(operator);
        self.bytes.push(b'\n');
    }

    fn name(&mut self, name: &str) {
        // Names here are ours (structure types, font resource names): letters,
        // digits, '+' and '-', none of which needs a # escape.
        debug_assert!(name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-'));
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b' ');
    }

    /// `w`: the line width of strokes.
    pub fn line_width(&mut self, w: f32) {
        self.num(w);
        self.op(b"w");
    }

    /// `G`: the stroking colour, a DeviceGray level.
    pub fn stroke_gray(&mut self, g: f32) {
        self.num(g);
        self.op(b"G");
    }

    /// A rectangle's outline (`re S`), from its lower-left corner.
    pub fn stroke_rect(&mut self, x: f32, y: f32, width: f32, height: f32) {
        for v in [x, y, width, height] {
            self.num(v);
        }
        self.op(b"re S");
    }

    /// A straight stroke (`m l S`).
    pub fn stroke_line(&mut self, (x0, y0): (f32, f32), (x1, y1): (f32, f32)) {
        self.num(x0);
        self.num(y0);
        self.op(b"m");
        self.num(x1);
        self.num(y1);
        self.op(b"l S");
    }

    pub fn begin_text(&mut self) {
        self.op(b"BT");
    }

    pub fn end_text(&mut self) {
        self.op(b"ET");
    }

    /// `Tf`: the font resource `name` at `size`.
    pub fn font(&mut self, name: &str, size: f32) {
        self.name(name);
        self.num(size);
        self.op(b"Tf");
    }

    /// `Tr`: the text rendering mode (0 fill, 3 neither fill nor stroke: unseen).
    pub fn render_mode(&mut self, mode: u8) {
        self.int(u64::from(mode));
        self.bytes.push(b' ');
        self.op(b"Tr");
    }

    /// `Tm`: the next glyphs start at (`x`, `y`), unscaled.
    pub fn text_at(&mut self, x: f32, y: f32) {
        self.bytes.extend_from_slice(b"1 0 0 1 ");
        self.num(x);
        self.num(y);
        self.op(b"Tm");
    }

    /// `Tj` of two-byte glyph ids (Identity-H), as a hexadecimal string.
    pub fn show_glyphs(&mut self, glyphs: impl IntoIterator<Item = u16>) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.bytes.push(b'<');
        for g in glyphs {
            for shift in [12, 8, 4, 0] {
                self.bytes.push(HEX[usize::from((g >> shift) & 0xF)]);
            }
        }
        self.bytes.extend_from_slice(b"> ");
        self.op(b"Tj");
    }

    /// `BDC` of a structure element's content: `/TAG <</MCID n>>`.
    pub fn begin_tagged(&mut self, tag: &str, mcid: usize) {
        self.name(tag);
        self.bytes.extend_from_slice(b"<</MCID ");
        self.int(mcid as u64);
        self.bytes.extend_from_slice(b">> ");
        self.op(b"BDC");
    }

    /// `BDC` of an artifact: `/Artifact <</Type /kind [/Subtype /subtype]>>`.
    pub fn begin_artifact(&mut self, kind: &str, subtype: Option<&str>) {
        self.bytes.extend_from_slice(b"/Artifact <</Type ");
        self.name(kind);
        if let Some(s) = subtype {
            self.bytes.extend_from_slice(b"/Subtype ");
            self.name(s);
        }
        self.bytes.extend_from_slice(b">> ");
        self.op(b"BDC");
    }

    /// `BDC` of a span whose glyphs stand for `text`: `/Span <</ActualText <FEFF…>>>`
    /// (UTF-16BE with its byte order mark; an empty `text` makes the glyphs stand for
    /// nothing).
    pub fn begin_actual_text(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.bytes.extend_from_slice(b"/Span <</ActualText <FEFF");
        for u in text.encode_utf16() {
            for shift in [12, 8, 4, 0] {
                self.bytes.push(HEX[usize::from((u >> shift) & 0xF)]);
            }
        }
        self.bytes.extend_from_slice(b">>> ");
        self.op(b"BDC");
    }

    /// `EMC`: ends the open marked-content sequence.
    pub fn end_marked(&mut self) {
        self.op(b"EMC");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_three_decimals_and_no_trailing_zeros() {
        let mut c = Content::new();
        for v in [0.0, 12.0, -3.5, 0.25, 595.2756, 0.0004, -0.0006, 1e6] {
            c.num(v);
        }
        assert_eq!(
            String::from_utf8(c.into_bytes()).unwrap(),
            "0 12 -3.5 0.25 595.276 0 -0.001 1000000 "
        );
    }

    #[test]
    fn operators_read_back_with_lopdf() {
        let mut c = Content::new();
        c.line_width(0.5);
        c.stroke_gray(0.0);
        c.begin_artifact("Pagination", Some("Footer"));
        c.stroke_rect(10.0, 20.5, 100.0, 8.25);
        c.stroke_line((1.0, 2.0), (3.0, 2.0));
        c.end_marked();
        c.begin_text();
        c.begin_tagged("TD", 7);
        c.font("ABCDEF+BIZUDGothic-Regular", 8.5);
        c.text_at(187.654, 500.0);
        c.show_glyphs([0x0102, 0xABCD]);
        c.end_marked();
        c.end_text();
        let ops = lopdf::content::Content::decode(&c.into_bytes())
            .unwrap()
            .operations;
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(
            names,
            [
                "w", "G", "BDC", "re", "S", "m", "l", "S", "EMC", "BT", "BDC", "Tf", "Tm", "Tj",
                "EMC", "ET"
            ]
        );
        let mcid = ops[10].operands[1].as_dict().unwrap().get(b"MCID").unwrap();
        assert_eq!(mcid.as_i64().unwrap(), 7);
        assert_eq!(ops[12].operands[4].as_float().unwrap(), 187.654);
        assert_eq!(ops[13].operands[0].as_str().unwrap(), [1, 2, 0xAB, 0xCD]);
        let artifact = ops[2].operands[1].as_dict().unwrap();
        assert_eq!(
            artifact.get(b"Subtype").unwrap().as_name().unwrap(),
            b"Footer"
        );
    }
}
