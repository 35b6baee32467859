//! HTML escaping. Everything that comes from the input (article text, file
//! names, entity names inferred from the text, values) goes through
//! [`esc`] before it reaches the page, in text and in attribute values
//! alike (attributes are always double-quoted).

use std::fmt::Write;

/// Escape `s` for HTML text and double- or single-quoted attribute values.
/// Control characters other than tab, newline and carriage return are
/// dropped (NUL and C1 controls have no business on the page).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_esc(&mut out, s);
    out
}

/// [`esc`] appending to `out`.
pub fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// Escape for an attribute value that should keep line breaks visible in a
/// tooltip: newlines become `&#10;`.
pub fn esc_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for line in s.split('\n').enumerate() {
        if line.0 > 0 {
            out.push_str("&#10;");
        }
        push_esc(&mut out, line.1);
    }
    out
}

/// Shorten to at most `max` characters, with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// `<td>` with escaped text.
pub fn td(out: &mut String, s: &str) {
    out.push_str("<td>");
    push_esc(out, s);
    out.push_str("</td>");
}

/// `<a href="#anchor">text</a>` (anchor made by this module, text escaped).
pub fn link(out: &mut String, anchor: &str, text: &str) {
    let _ = write!(out, "<a href=\"#{}\">", esc(anchor));
    push_esc(out, text);
    out.push_str("</a>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(esc("a\u{0}b\u{1A}c\nd"), "abc\nd");
        assert_eq!(esc_attr("a\n<b>"), "a&#10;&lt;b&gt;");
    }

    #[test]
    fn shortens_on_char_boundaries() {
        assert_eq!(shorten("héllo wörld", 5), "héll…");
        assert_eq!(shorten("a  b", 5), "a b");
    }
}
