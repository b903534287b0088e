//! Any text as a Markdown body: every entry point of the renderer; no raw tag and no unsafe
//! link reach the HTML.
#![no_main]
use coursepack::markdown::{
    Placement, escape_raw_html, place, prefix_footnotes, render, to_inline_html,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rendered = render(
        text,
        Placement {
            level: 2,
            id_prefix: "m-s1",
        },
    );
    for level in [1, 4, 6] {
        let _ = place(&rendered.html, &rendered.headings, level);
    }
    let lower = rendered.html.to_ascii_lowercase();
    assert!(
        !lower.contains("<script"),
        "a script tag: {}",
        rendered.html
    );
    // Text may say `href="javascript:` (it is text, escaped or not); a tag may not.
    for tag in tags(&lower) {
        assert!(
            !tag.contains("href=\"javascript:") && !tag.contains("src=\"javascript:"),
            "a javascript link: {tag} in {}",
            rendered.html
        );
    }
    let _ = to_inline_html(text);
    let _ = prefix_footnotes(text, "p");
    let escaped = escape_raw_html(text);
    // Escaping the Markdown copy changes what is shown as text only: never what the HTML is.
    let _ = render(&escaped, Placement::default());
});

/// Every tag of `html`, from its `<` to the `>` that closes it outside quoted attribute values.
/// Text holds no raw `<`, so every `<` starts a tag.
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open..];
        let mut quote = None;
        let mut end = tag.len();
        for (i, c) in tag.char_indices().skip(1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        tags.push(&tag[..end]);
        rest = &tag[end..];
    }
    tags
}
