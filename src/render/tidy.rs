//! The one thing done to every rendered page after its template: its ending.

/// The page with exactly one trailing newline, and otherwise as the template wrote it.
///
/// Nothing inside the page is touched: in Markdown, trailing spaces are hard breaks and blank
/// lines in a fenced code block are content, and only the template knows which is which. The
/// templates lay themselves out with Tera's whitespace control instead.
pub(super) fn tidy(mut page: String) -> String {
    page.truncate(page.trim_end_matches('\n').len());
    page.push('\n');
    page
}

/// [`tidy`] of a page held as bytes (kept parts are copied as the last build wrote them).
pub(super) fn tidy_bytes(mut page: Vec<u8>) -> Vec<u8> {
    let body = page.len() - page.iter().rev().take_while(|&&b| b == b'\n').count();
    page.truncate(body);
    page.push(b'\n');
    page
}

/// [`tidy`] as a writer: what is written to it reaches `inner` with its trailing newlines held
/// back, and [`Tidy::finish`] ends it with exactly one.
pub(super) struct Tidy<W> {
    inner: W,
    /// Newlines written but not passed on: they end the page unless more text follows.
    held: usize,
}

impl<W: std::io::Write> Tidy<W> {
    pub(super) fn new(inner: W) -> Self {
        Tidy { inner, held: 0 }
    }

    /// Ends the page with one newline.
    pub(super) fn finish(mut self) -> std::io::Result<()> {
        self.inner.write_all(b"\n")?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> std::io::Write for Tidy<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let body = buf.len() - buf.iter().rev().take_while(|&&b| b == b'\n').count();
        if body > 0 {
            for _ in 0..self.held {
                self.inner.write_all(b"\n")?;
            }
            self.inner.write_all(&buf[..body])?;
            self.held = 0;
        }
        self.held += buf.len() - body;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn bytes_end_as_text_does() {
        for page in ["", "\n", "a", "a\n", "a\n\n\n", "\n\na \n b\n\n"] {
            assert_eq!(
                tidy_bytes(page.as_bytes().to_vec()),
                tidy(page.to_owned()).into_bytes(),
                "{page:?}"
            );
        }
    }

    #[test]
    fn the_writer_ends_a_page_as_tidy_does() {
        for pieces in [
            &["a\n\n", "", "\n"][..],
            &["a", "\n\nb\n", "\n"],
            &[""],
            &["\n\n"],
            &["x\n", "\n", "y"],
        ] {
            let mut out = Vec::new();
            let mut page = Tidy::new(&mut out);
            for piece in pieces {
                page.write_all(piece.as_bytes()).unwrap();
            }
            page.finish().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                tidy(pieces.concat()),
                "{pieces:?}"
            );
        }
    }
}
