//! How a TOML string value is written: shared by the rules that map offsets in a value back to
//! the file ([`super::links`], [`super::vars`]).

/// A string value as written (`raw`, quotes included): the length of its delimiter, whether it
/// is a literal string (no escapes), and where its value starts in `raw` (after the delimiter
/// and the newline that may follow an opening `"""` or `'''`). `None` when `raw` is not quoted.
pub(super) fn opening(raw: &str) -> Option<(usize, bool, usize)> {
    let (delimiter, literal) = if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with("\"\"\"") {
        ("\"\"\"", false)
    } else if raw.starts_with('\'') {
        ("'", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else {
        return None;
    };
    let mut start = delimiter.len();
    if delimiter.len() == 3 {
        let rest = &raw[start..];
        if rest.starts_with("\r\n") {
            start += 2;
        } else if rest.starts_with('\n') {
            start += 1;
        }
    }
    Some((delimiter.len(), literal, start))
}
