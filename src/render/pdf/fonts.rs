//! Embedded fonts: each face subset to the glyphs drawn, and a ToUnicode map written
//! from the characters drawn with each glyph, never from the font's cmap in reverse
//! (BIZ UDGothic shares glyphs between 日 and ⽇).

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{FontId, ParsedFont, PdfDocument};
use subsetter::GlyphRemapper;

use crate::error::{Error, Result};
use crate::layout::{FontFace, Style};

/// One embedded face: its resource id and glyph ids in the subset.
pub(super) struct Embedded {
    pub id: FontId,
    pub glyphs: BTreeMap<char, u16>,
    /// The same for the Basic Multilingual Plane, indexed by code point: looked up
    /// for every character drawn.
    bmp: Vec<u16>,
}

impl Embedded {
    fn new(id: FontId, glyphs: BTreeMap<char, u16>) -> Embedded {
        let len = glyphs
            .keys()
            .map(|&c| c as usize + 1)
            .filter(|&n| n <= 0x10000)
            .max()
            .unwrap_or(0);
        let mut bmp = vec![0; len];
        for (&c, &g) in &glyphs {
            if let Some(slot) = bmp.get_mut(c as usize) {
                *slot = g;
            }
        }
        Embedded { id, glyphs, bmp }
    }

    /// The glyph id in the subset of `c`, a character drawn with this face.
    pub fn glyph(&self, c: char) -> u16 {
        match self.bmp.get(c as usize) {
            Some(&g) => g,
            None => self.glyphs.get(&c).copied().unwrap_or(0),
        }
    }
}

/// Gives every embedded font a ToUnicode map written from the text drawn with it.
pub(super) fn replace_to_unicode(pdf: &mut lopdf::Document, embedded: &BTreeMap<Style, Embedded>) {
    let mut targets = Vec::new();
    for dict in pdf.objects.values().filter_map(|o| o.as_dict().ok()) {
        let Ok(base) = dict.get(b"BaseFont").and_then(lopdf::Object::as_name) else {
            continue;
        };
        let Some(font) = embedded.values().find(|e| e.id.0.as_bytes() == base) else {
            continue;
        };
        if let Ok(id) = dict.get(b"ToUnicode").and_then(lopdf::Object::as_reference) {
            targets.push((id, to_unicode_cmap(&font.glyphs)));
        }
    }
    for (id, cmap) in targets {
        pdf.objects.insert(
            id,
            lopdf::Object::Stream(lopdf::Stream::new(
                lopdf::Dictionary::new(),
                cmap.into_bytes(),
            )),
        );
    }
}

/// A ToUnicode CMap (Adobe technical note 5411) mapping each glyph to the character
/// it was drawn for. Where two characters share a glyph (日 and the Kangxi radical ⽇
/// in BIZ UDGothic), the ordinary character wins.
fn to_unicode_cmap(glyphs: &BTreeMap<char, u16>) -> String {
    let radical = |c: char| ('\u{2E80}'..='\u{2FDF}').contains(&c);
    let mut by_glyph: BTreeMap<u16, char> = BTreeMap::new();
    for (&c, &g) in glyphs {
        let keep = by_glyph.get(&g).is_some_and(|&old| !radical(old));
        if !keep {
            by_glyph.insert(g, c);
        }
    }
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, char)> = by_glyph.into_iter().collect();
    for chunk in entries.chunks(100) {
        out += &format!("{} beginbfchar\n", chunk.len());
        for (g, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            out += &format!("<{g:04X}> <{hex}>\n");
        }
        out += "endbfchar\n";
    }
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    out
}

/// Subsets `face` to `chars` and adds it to `doc`.
pub(super) fn embed(
    doc: &mut PdfDocument,
    face: &FontFace,
    chars: &BTreeSet<char>,
) -> Result<Embedded> {
    let fail = |message: String| Error::Font {
        name: face.name.into(),
        message,
    };
    let originals: BTreeMap<char, u16> = chars
        .iter()
        .map(|&c| (c, face.glyph(c).map_or(0, |g| g.0)))
        .collect();
    let mut remapper = GlyphRemapper::new();
    let gids: BTreeSet<u16> = originals.values().copied().collect();
    for &g in &gids {
        remapper.remap(g);
    }
    let subset = subsetter::subset(face.data, 0, &remapper).map_err(|e| fail(e.to_string()))?;
    let glyphs = originals
        .iter()
        .map(|(&c, &g)| (c, remapper.get(g).unwrap_or(0)))
        .collect();

    let mut warnings = Vec::new();
    let parsed = ParsedFont::from_bytes(&subset, 0, &mut warnings)
        .ok_or_else(|| fail("the subset font does not parse".into()))?;
    let id = FontId(format!("{}+{}", subset_tag(face.name, &gids), face.name));
    doc.resources
        .fonts
        .map
        .insert(id.clone(), printpdf::PdfFont::new(parsed));
    Ok(Embedded::new(id, glyphs))
}

/// Six capital letters that identify the subset (ISO 32000-1 §9.6.4), from its glyphs.
fn subset_tag(name: &str, gids: &BTreeSet<u16>) -> String {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(name.as_bytes());
    for g in gids {
        hasher.update(&g.to_be_bytes());
    }
    let mut n = hasher.finalize();
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (n % 26) as u8);
            n /= 26;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_maps_from_the_text_and_prefers_ordinary_characters() {
        let glyphs: BTreeMap<char, u16> = [('日', 5), ('\u{2F47}', 5), ('A', 1), ('😀', 2)].into();
        let cmap = to_unicode_cmap(&glyphs);
        assert!(cmap.contains("<0005> <65E5>"), "{cmap}");
        assert!(!cmap.contains("<2F47>"));
        assert!(cmap.contains("<0002> <D83DDE00>"), "surrogate pair");
        assert!(cmap.contains("3 beginbfchar"));
    }

    #[test]
    fn glyphs_are_found_inside_and_outside_the_basic_plane() {
        let glyphs: BTreeMap<char, u16> = [('A', 3), ('日', 7), ('😀', 9)].into();
        let e = Embedded::new(FontId("F".into()), glyphs);
        assert_eq!(e.bmp.len(), '日' as usize + 1);
        assert_eq!((e.glyph('A'), e.glyph('日'), e.glyph('😀')), (3, 7, 9));
    }

    #[test]
    fn subset_tags_are_six_capitals_and_depend_on_the_glyphs() {
        let a: BTreeSet<u16> = [1, 2, 3].into();
        let b: BTreeSet<u16> = [1, 2, 4].into();
        let tag = subset_tag("F", &a);
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(tag, subset_tag("F", &a));
        assert_ne!(tag, subset_tag("F", &b));
    }
}
