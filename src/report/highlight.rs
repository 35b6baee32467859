//! Highlighted text: marks (mentions, time expressions, quotes, event
//! triggers, evidence) laid over the article text in one sorted sweep over
//! span boundaries.
//!
//! Marks may nest (a mention inside a quote) or cross (a time expression
//! that starts inside a quote and ends after it). The sweep keeps a stack of
//! open marks; when a mark ends below the top of the stack, the marks above
//! it are closed and reopened after it, so the output is always well nested.
//! A mark split this way carries its id only on its first piece. Text
//! between boundaries is escaped; the text is never searched or replaced.

use super::html::{esc, esc_attr, push_esc};
use crate::document::Span;
use std::fmt::Write;

/// One highlighted span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub span: Span,
    /// When two marks cover the same span, the lower rank is drawn outside.
    pub rank: u8,
    /// The class attribute (made by this module, never from the input).
    pub class: String,
    /// Anchor id (first piece only).
    pub id: Option<String>,
    /// Tooltip text (escaped here).
    pub tip: Option<String>,
}

impl Mark {
    fn open_tag(&self, out: &mut String, with_id: bool) {
        out.push_str("<span class=\"");
        push_esc(out, &self.class);
        out.push('"');
        if with_id {
            if let Some(id) = &self.id {
                let _ = write!(out, " id=\"{}\"", esc(id));
            }
        }
        if let Some(t) = &self.tip {
            let _ = write!(out, " data-tip=\"{}\"", esc_attr(t));
        }
        out.push('>');
    }
}

/// True when `span` can be laid over `text`.
fn valid(text: &str, s: Span) -> bool {
    s.start <= s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
}

/// Render `text` with `marks` as escaped HTML. Marks whose span does not fit
/// the text (out of range, not on a char boundary) are left out.
pub fn render(text: &str, marks: &[Mark]) -> String {
    // (position, phase: 0 close, 1 point, 2 open, mark)
    let mut bounds: Vec<(usize, u8, usize)> = Vec::with_capacity(marks.len() * 2);
    for (i, m) in marks.iter().enumerate() {
        if !valid(text, m.span) {
            continue;
        }
        if m.span.is_empty() {
            bounds.push((m.span.start, 1, i));
        } else {
            bounds.push((m.span.start, 2, i));
            bounds.push((m.span.end, 0, i));
        }
    }
    bounds.sort_unstable();
    let mut out = String::with_capacity(text.len() * 2 + marks.len() * 80);
    let mut stack: Vec<usize> = Vec::new();
    let mut ending = vec![false; marks.len()];
    let mut opened = vec![false; marks.len()];
    let mut cur = 0;
    let mut k = 0;
    while k < bounds.len() {
        let pos = bounds[k].0;
        push_esc(&mut out, &text[cur..pos]);
        cur = pos;
        // closes at pos
        let mut pending = 0;
        while k < bounds.len() && bounds[k].0 == pos && bounds[k].1 == 0 {
            ending[bounds[k].2] = true;
            pending += 1;
            k += 1;
        }
        let mut to_open: Vec<usize> = Vec::new();
        while pending > 0 {
            let Some(top) = stack.pop() else { break };
            out.push_str("</span>");
            if ending[top] {
                pending -= 1;
            } else {
                to_open.push(top);
            }
        }
        // zero-width anchors
        while k < bounds.len() && bounds[k].0 == pos && bounds[k].1 == 1 {
            let m = &marks[bounds[k].2];
            m.open_tag(&mut out, true);
            out.push_str("</span>");
            k += 1;
        }
        // opens at pos (and marks reopened after a crossing close)
        while k < bounds.len() && bounds[k].0 == pos && bounds[k].1 == 2 {
            to_open.push(bounds[k].2);
            k += 1;
        }
        to_open.sort_by(|&a, &b| {
            let (ma, mb) = (&marks[a], &marks[b]);
            mb.span
                .end
                .cmp(&ma.span.end)
                .then(ma.rank.cmp(&mb.rank))
                .then(a.cmp(&b))
        });
        for i in to_open {
            marks[i].open_tag(&mut out, !opened[i]);
            opened[i] = true;
            stack.push(i);
        }
    }
    push_esc(&mut out, &text[cur..]);
    for _ in stack {
        out.push_str("</span>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(s: usize, e: usize, class: &str) -> Mark {
        Mark {
            span: Span::new(s, e),
            rank: 0,
            class: class.into(),
            id: Some(format!("{class}{s}")),
            tip: None,
        }
    }

    #[test]
    fn nests_and_splits_crossing_marks() {
        let text = "ab <cd> ef";
        let marks = vec![mark(0, 7, "q"), mark(3, 7, "m"), mark(5, 10, "t")];
        let html = render(text, &marks);
        assert_eq!(
            html,
            "<span class=\"q\" id=\"q0\">ab <span class=\"m\" id=\"m3\">&lt;c\
             <span class=\"t\" id=\"t5\">d&gt;</span></span></span>\
             <span class=\"t\"> ef</span>"
        );
    }

    #[test]
    fn skips_bad_spans_and_keeps_text() {
        let text = "héllo";
        // 2 is inside 'é'
        let marks = vec![mark(0, 2, "x"), mark(3, 99, "y"), mark(1, 1, "z")];
        let html = render(text, &marks);
        assert_eq!(html, "h<span class=\"z\" id=\"z1\"></span>éllo");
    }
}
