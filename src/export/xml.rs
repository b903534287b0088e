//! The quick-xml helpers both XML formats use: escaped text, CDATA, simple elements.

use std::borrow::Cow;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesText, Event};

/// The writer both XML formats use: into memory, because QTI zips its documents and the
/// caller decides where the bytes go.
pub(super) type Xml<'w> = Writer<&'w mut dyn io::Write>;

/// A writer into `out` that indents by two spaces, with the XML declaration written.
pub(super) fn document(out: &mut dyn io::Write) -> io::Result<Xml<'_>> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// Ends the document with a newline.
pub(super) fn finish(w: Xml<'_>) -> io::Result<()> {
    w.into_inner().write_all(b"\n")
}

/// `<name>value</name>`, escaped.
pub(super) fn element(w: &mut Xml<'_>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&safe(value)))?;
    Ok(())
}

/// Escaped text inside the element being written.
pub(super) fn text(w: &mut Xml<'_>, value: &str) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::new(&safe(value))))
}

/// CDATA, split so that a `]]>` in the text cannot end it; empty text stays empty.
pub(super) fn cdata(w: &mut Xml<'_>, value: &str) -> io::Result<()> {
    if value.is_empty() {
        return w.write_event(Event::Text(BytesText::new("")));
    }
    let value = safe(value);
    for section in BytesCData::escaped(&value) {
        w.write_event(Event::CData(section))?;
    }
    Ok(())
}

/// The few characters XML 1.0 cannot hold at all (most control characters, which TOML escapes
/// can produce) become U+FFFD, visibly, rather than making the whole file unreadable.
pub(super) fn safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}')) || matches!(c, '\t' | '\n' | '\r')
    };
    if text.chars().all(allowed) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if allowed(c) { c } else { '\u{fffd}' })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_is_split_around_its_terminator() {
        let mut bytes = Vec::new();
        let mut w: Xml<'_> = Writer::new(&mut bytes);
        cdata(&mut w, "a]]>b").unwrap();
        drop(w);
        let out = String::from_utf8(bytes).unwrap();
        assert_eq!(out, "<![CDATA[a]]]]><![CDATA[>b]]>");
    }

    #[test]
    fn text_is_escaped_and_control_characters_are_made_visible() {
        let mut bytes = Vec::new();
        let mut w: Xml<'_> = Writer::new(&mut bytes);
        element(&mut w, "t", "a < b & \"c\" \u{7}é中").unwrap();
        drop(w);
        let out = String::from_utf8(bytes).unwrap();
        assert_eq!(out, "<t>a &lt; b &amp; &quot;c&quot; \u{fffd}é中</t>");
    }
}
