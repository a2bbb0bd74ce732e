//! What the document says about itself, written so that PDF/A-2 and PDF/UA-1 readers
//! accept it: the header version, the Info dictionary, the XMP metadata stream that
//! must agree with it, the sRGB output intent, the catalog's /Lang and viewer
//! preferences, and the file identifier.
//!
//! printpdf writes an Info dictionary with an empty `/GTS_PDFXVersion` (a PDF/X claim
//! the file does not meet) and raw UTF-8 in `/Identifier`; both are replaced here.

use crate::render::escape_markup as escape;
use lopdf::{Dictionary, Object, Stream, StringFormat};

use super::PdfInfo;
use crate::error::{Error, Result};

/// The language of every handout: the registry is Japanese.
pub(super) const LANG: &str = "ja-JP";

/// The sRGB IEC61966-2.1 display profile (ICC v2) from Debian's icc-profiles-free,
/// zlib licence: `icc/LICENSE.txt`. PDF/A wants an output intent for any
/// device-dependent colour; the handout draws only DeviceGray, which any intent covers.
const SRGB_ICC: &[u8] = include_bytes!("../../../icc/sRGB.icc");

/// A calendar instant, in the two notations the file needs.
struct Date {
    /// `D:YYYYMMDDHHmmSS+00'00'` (ISO 32000-1 §7.9.4).
    pdf: String,
    /// `YYYY-MM-DDTHH:MM:SSZ` (XMP, ISO 8601).
    xmp: String,
}

fn date(timestamp: i64) -> Result<Date> {
    let t = time::OffsetDateTime::from_unix_timestamp(timestamp).map_err(|e| Error::Font {
        name: "document date".into(),
        message: e.to_string(),
    })?;
    let (y, mo, d) = (t.year(), u8::from(t.month()), t.day());
    let (h, mi, s) = (t.hour(), t.minute(), t.second());
    Ok(Date {
        pdf: format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}+00'00'"),
        xmp: format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
    })
}

/// The producer named in Info and XMP.
fn producer() -> String {
    format!("shiryo {}", env!("CARGO_PKG_VERSION"))
}

/// The conformance the XMP declares: only what the file meets (an archived record
/// that claims more than it is, is worse than one that claims nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Claim {
    /// PDF/A-2u: the document level (fonts, colour, metadata) and every glyph mapped
    /// to Unicode.
    #[cfg_attr(not(test), allow(dead_code))] // claimed before the writer tagged
    A2u,
    /// PDF/A-2a and PDF/UA-1: also tagged, with the structure tree.
    A2aUa1,
}

/// Makes printpdf's document a PDF/A-2 / PDF/UA-1 one at the document level: version,
/// Info, XMP, output intent, language, DisplayDocTitle. Call before compressing (the
/// metadata stream stays uncompressed, as PDF/A requires of it).
///
/// # Errors
/// [`Error::Font`] if the date cannot be represented.
pub(super) fn conform(pdf: &mut lopdf::Document, info: &PdfInfo, claim: Claim) -> Result<()> {
    // 1.7: the version PDF/A-2 and PDF/UA-1 are based on (printpdf writes 1.3).
    pdf.version = "1.7".into();
    let date = date(info.timestamp)?;

    if let Ok(old) = pdf.trailer.get(b"Info").and_then(Object::as_reference) {
        pdf.objects.remove(&old);
    }
    let info_id = pdf.add_object(info_dictionary(info, &date));
    pdf.trailer.set("Info", Object::Reference(info_id));

    let xmp = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(info, &date, claim).into_bytes(),
    )
    // lopdf would otherwise be free to compress it; PDF/A forbids filters here.
    .with_compression(false);
    let xmp_id = pdf.add_object(xmp);

    let icc = Stream::new(
        Dictionary::from_iter([("N", Object::Integer(3))]),
        SRGB_ICC.to_vec(),
    );
    let icc_id = pdf.add_object(icc);
    let intent = Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", ascii("sRGB IEC61966-2.1")),
        ("RegistryName", ascii("http://www.color.org")),
        ("Info", ascii("sRGB IEC61966-2.1")),
        ("DestOutputProfile", Object::Reference(icc_id)),
    ]);

    let catalog = pdf.catalog_mut().map_err(|e| Error::Font {
        name: "PDF".into(),
        message: e.to_string(),
    })?;
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set("OutputIntents", Object::Array(vec![intent.into()]));
    catalog.set("Lang", ascii(LANG));
    // PDF/UA: the title bar shows the title, not the file name.
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
    );
    Ok(())
}

fn ascii(text: &str) -> Object {
    Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
}

/// The Info dictionary: text strings in PDFDocEncoding when ASCII, else UTF-16BE with
/// a byte order mark (what every reader decodes), each mirrored in the XMP.
fn info_dictionary(info: &PdfInfo, date: &Date) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Title", lopdf::text_string(&info.title));
    if !info.author.is_empty() {
        dict.set("Author", lopdf::text_string(&info.author));
    }
    if !info.subject.is_empty() {
        dict.set("Subject", lopdf::text_string(&info.subject));
    }
    dict.set("Creator", ascii("shiryo"));
    dict.set("Producer", ascii(&producer()));
    dict.set("CreationDate", ascii(&date.pdf));
    dict.set("ModDate", ascii(&date.pdf));
    dict
}

/// The XMP packet (ISO 16684-1): Dublin Core, XMP basic and PDF properties equal to the
/// Info dictionary's, the PDF/A-2a and PDF/UA-1 identification, and the extension
/// schema that PDF/A requires for `pdfuaid` (not one of the schemas PDF/A predefines).
fn xmp(info: &PdfInfo, date: &Date, claim: Claim) -> String {
    let identification = match claim {
        Claim::A2u => {
            "   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>U</pdfaid:conformance>\n"
        }
        Claim::A2aUa1 => UA_IDENTIFICATION,
    };
    let title = escape(&info.title);
    let creator = if info.author.is_empty() {
        String::new()
    } else {
        format!(
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            escape(&info.author)
        )
    };
    let description = if info.subject.is_empty() {
        String::new()
    } else {
        format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            escape(&info.subject)
        )
    };
    let d = &date.xmp;
    let producer = escape(&producer());
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">
  <rdf:Description rdf:about=\"\"
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"
    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"
    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"
    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"
    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"
    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>
{creator}{description}   <dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>shiryo</xmp:CreatorTool>
   <xmp:CreateDate>{d}</xmp:CreateDate>
   <xmp:ModifyDate>{d}</xmp:ModifyDate>
   <xmp:MetadataDate>{d}</xmp:MetadataDate>
   <pdf:Producer>{producer}</pdf:Producer>
{identification}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end=\"r\"?>"
    )
}

/// PDF/A-2a and PDF/UA-1, with the extension schema PDF/A requires for `pdfuaid`.
const UA_IDENTIFICATION: &str = "   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType=\"Resource\">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType=\"Resource\">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
";

/// Replaces printpdf's file identifier (ISO 32000-1 §14.4), which comes from a
/// process-wide counter: the same handout would get another /ID when built after
/// other PDFs, or on another thread. Ours is a digest of what the file says.
///
/// `deflated`: the digests of the streams that were deflated as they were written
/// (the page contents), of their bytes before deflating, which is what the /ID has
/// always been made from.
pub(super) fn set_document_id(
    pdf: &mut lopdf::Document,
    info: &PdfInfo,
    deflated: &std::collections::HashMap<lopdf::ObjectId, crc32fast::Hasher>,
) {
    let mut digest = crc32fast::Hasher::new();
    for text in [&info.title, &info.subject, &info.author] {
        digest.update(text.as_bytes());
    }
    digest.update(&info.timestamp.to_be_bytes());
    for (id, object) in &pdf.objects {
        if let Object::Stream(stream) = object {
            match deflated.get(id) {
                Some(raw) => digest.combine(raw),
                None => digest.update(&stream.content),
            }
        }
    }
    let first = digest.finalize();
    // Four differently salted digests make the customary 16 bytes.
    let id: String = (0u8..4)
        .map(|salt| {
            let mut h = crc32fast::Hasher::new_with_initial(first);
            h.update(&[salt]);
            format!("{:08X}", h.finalize())
        })
        .collect();
    let id = Object::String(id.into_bytes(), StringFormat::Literal);
    pdf.trailer.set("ID", Object::Array(vec![id.clone(), id]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> PdfInfo {
        PdfInfo {
            title: "表 <A&B>".into(),
            subject: "資料2".into(),
            author: String::new(),
            timestamp: 1_320_105_600,
        }
    }

    #[test]
    fn dates_in_both_notations() {
        let d = date(1_320_105_600).unwrap();
        assert_eq!(d.pdf, "D:20111101000000+00'00'");
        assert_eq!(d.xmp, "2011-11-01T00:00:00Z");
    }

    #[test]
    fn xmp_escapes_text_and_leaves_out_an_absent_author() {
        let x = xmp(&info(), &date(0).unwrap(), Claim::A2aUa1);
        assert!(x.contains(">表 &lt;A&amp;B&gt;</rdf:li>"), "{x}");
        assert!(!x.contains("dc:creator"));
        assert!(x.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
        assert!(x.contains("<pdfuaid:part>1</pdfuaid:part>"));
        let b = xmp(&info(), &date(0).unwrap(), Claim::A2u);
        assert!(b.contains("<pdfaid:conformance>U</pdfaid:conformance>"));
        assert!(
            !b.contains("<pdfuaid:part>"),
            "no PDF/UA claim for an untagged file"
        );
    }

    #[test]
    fn info_strings_are_utf16_with_a_byte_order_mark_when_not_ascii() {
        let dict = info_dictionary(&info(), &date(0).unwrap());
        let title = dict.get(b"Title").unwrap().as_str().unwrap();
        assert!(title.starts_with(&[0xFE, 0xFF]));
        assert_eq!(
            dict.get(b"Creator").unwrap().as_str().unwrap(),
            b"shiryo".as_slice()
        );
        assert!(dict.get(b"Author").is_err());
        assert!(dict.get(b"GTS_PDFXVersion").is_err());
    }
}
