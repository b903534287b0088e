//! Post-processing of every rendered page.

/// Template output without trailing spaces or runs of blank lines, ending in one newline, so
/// templates can be laid out for reading without that showing in the output.
pub(super) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut in_pre = false;
    for line in text.lines() {
        if line.contains("<pre") {
            in_pre = true;
        }
        if line.contains("</pre>") {
            in_pre = false;
        }
        let line = if in_pre { line } else { line.trim_end() };
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}
