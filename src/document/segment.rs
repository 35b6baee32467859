//! Paragraphs, sentences and tokens in one left-to-right pass per layer.

use super::{Dateline, DocumentModel, Paragraph, Sentence, Span, Token, TokenKind};

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Trim white space off both ends of `[s, e)` in `text`.
fn trim(text: &str, s: usize, e: usize) -> Option<Span> {
    let t = &text[s..e];
    let lead = t.len() - t.trim_start().len();
    let body = t.trim();
    if body.is_empty() {
        None
    } else {
        Some(Span::new(s + lead, s + lead + body.len()))
    }
}

/// A single line that is a section head ("- End 'downward spiral' -", "###").
fn looks_like_section_head(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("- ") && t.ends_with(" -"))
        || (!t.is_empty() && t.chars().all(|c| !c.is_alphanumeric()))
}

/// Split the text into paragraphs: blank lines and indented lines start a
/// new one; lines up to the dateline, the byline and the dateline itself are
/// heading paragraphs of their own.
pub(super) fn paragraphs(
    text: &str,
    dateline: Option<&Dateline>,
    byline: Option<Span>,
) -> Vec<Paragraph> {
    let head_end = dateline
        .map(|d| d.span.end)
        .into_iter()
        .chain(byline.map(|b| b.end))
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    let push = |out: &mut Vec<Paragraph>, s: usize, e: usize, heading: bool| {
        if let Some(sp) = trim(text, s, e) {
            let single_line = !text[sp.start..sp.end].contains('\n');
            let heading =
                heading || (single_line && looks_like_section_head(&text[sp.start..sp.end]));
            out.push(Paragraph { span: sp, heading });
        }
    };
    for line in text.split_inclusive('\n') {
        let ls = pos;
        let le = pos + line.len();
        pos = le;
        if is_blank(line) {
            if let Some(s) = start.take() {
                push(&mut out, s, ls, false);
            }
            continue;
        }
        // Heading region: each line (or the dateline part of a line) alone.
        if ls < head_end {
            if let Some(s) = start.take() {
                push(&mut out, s, ls, false);
            }
            let split = dateline.map(|d| d.span.end).filter(|&e| e > ls && e < le);
            match split {
                Some(e) if trim(text, e, le).is_some() => {
                    push(&mut out, ls, e, true);
                    start = Some(e);
                }
                _ => push(&mut out, ls, le, true),
            }
            continue;
        }
        let indented = line.starts_with("  ") || line.starts_with('\t');
        if indented {
            if let Some(s) = start.take() {
                push(&mut out, s, ls, false);
            }
        }
        if start.is_none() {
            start = Some(ls);
        }
    }
    if let Some(s) = start {
        push(&mut out, s, text.len(), false);
    }
    out
}

/// Tokenize a free-standing string the way documents are tokenized
/// (used to compile lexicon phrases).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, Span::new(0, text.len()), &mut out, 0);
    out
}

fn tokenize_into(text: &str, span: Span, out: &mut Vec<Token>, sentence: usize) {
    let s = &text[span.start..span.end];
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            let mut has_alpha = c.is_alphabetic();
            // letters/digits; internal '.' or ',' between digits; "U.S." style
            loop {
                let rest = &s[end..];
                let mut ch = rest.chars();
                match ch.next() {
                    Some(n) if n.is_alphanumeric() => {
                        has_alpha |= n.is_alphabetic();
                        end += n.len_utf8();
                    }
                    Some(p @ ('.' | ',')) => {
                        let next = ch.next();
                        let prev = s[..end].chars().next_back().unwrap_or(' ');
                        let digits =
                            prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit());
                        // "U.S." / "a.m.": single letters separated by periods
                        let seg_start = s[..end]
                            .char_indices()
                            .rfind(|&(_, ch)| !ch.is_alphanumeric())
                            .map(|(k, ch)| k + ch.len_utf8())
                            .unwrap_or(0);
                        let single = s[seg_start..end].chars().count() == 1;
                        let dotted = p == '.'
                            && prev.is_alphabetic()
                            && single
                            && next.is_some_and(|n| n.is_alphabetic())
                            && s[end + 1..]
                                .chars()
                                .nth(1)
                                .is_some_and(|n| n == '.' || !n.is_alphanumeric());
                        if digits {
                            end += 1;
                        } else if dotted {
                            end += 1;
                            // take the letter and its period
                            let n = next.unwrap();
                            end += n.len_utf8();
                            if s[end..].starts_with('.') {
                                end += 1;
                                // continue only if another "X." follows
                                let more =
                                    s[end..].chars().next().is_some_and(|c| c.is_alphabetic())
                                        && s[end..].chars().nth(1) == Some('.');
                                if !more {
                                    break;
                                }
                            }
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            while it.peek().is_some_and(|&(j, _)| j < end) {
                it.next();
            }
            out.push(Token {
                span: Span::new(span.start + i, span.start + end),
                kind: if has_alpha {
                    TokenKind::Word
                } else {
                    TokenKind::Number
                },
                sentence,
            });
        } else {
            out.push(Token {
                span: Span::new(span.start + i, span.start + i + c.len_utf8()),
                kind: TokenKind::Punct,
                sentence,
            });
        }
    }
}

fn is_closer(t: &str) -> bool {
    matches!(t, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn starts_sentence(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || matches!(t, "\"" | "“" | "'" | "‘" | "`" | "(" | "«" | "-" | "—")
}

/// Sentences and tokens of every paragraph.
pub(super) fn sentences_and_tokens(
    model: &DocumentModel,
    text: &str,
    paragraphs: &[Paragraph],
) -> (Vec<Sentence>, Vec<Token>) {
    let mut sentences = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut para_tokens = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        para_tokens.clear();
        tokenize_into(text, p.span, &mut para_tokens, 0);
        if p.heading {
            let first = tokens.len();
            let si = sentences.len();
            tokens.extend(para_tokens.iter().map(|t| Token { sentence: si, ..*t }));
            sentences.push(Sentence {
                span: p.span,
                paragraph: pi,
                tokens: (first, tokens.len()),
            });
            continue;
        }
        let n = para_tokens.len();
        let mut sent_start = 0;
        let mut i = 0;
        while i < n {
            let t = para_tokens[i];
            let tt = &text[t.span.start..t.span.end];
            let mut boundary_after = None;
            let is_stop = matches!(tt, "." | "!" | "?" | "…");
            if is_stop || (t.kind == TokenKind::Word && tt.ends_with('.') && tt.len() > 2) {
                // extend over repeated stops and closing marks
                let mut j = i + 1;
                while j < n {
                    let u = &text[para_tokens[j].span.start..para_tokens[j].span.end];
                    let adjacent = para_tokens[j - 1].span.end == para_tokens[j].span.start;
                    if adjacent && (matches!(u, "." | "!" | "?") || is_closer(u)) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                // a "``...''" closer is two apostrophes
                let next = if j < n {
                    Some(&text[para_tokens[j].span.start..para_tokens[j].span.end])
                } else {
                    None
                };
                let next_ok = match next {
                    None => true,
                    Some(u) => {
                        starts_sentence(u)
                            && text[para_tokens[j - 1].span.end..para_tokens[j].span.start]
                                .chars()
                                .any(char::is_whitespace)
                    }
                };
                let mut ok = next_ok;
                if ok && tt == "." && i > 0 {
                    let prev = para_tokens[i - 1];
                    let pt = &text[prev.span.start..prev.span.end];
                    let adjacent = prev.span.end == t.span.start;
                    if adjacent && prev.kind == TokenKind::Word {
                        let with_dot = &text[prev.span.start..t.span.end];
                        let initial = pt.chars().count() == 1 && pt.chars().all(char::is_uppercase);
                        if initial || model.abbreviations.contains(with_dot) {
                            ok = false;
                        }
                    }
                }
                if ok && t.kind == TokenKind::Word {
                    // "U.S." ends a sentence only before a typical sentence
                    // opener, and never right after "with", "of", "a" …
                    let modifier = i > 0 && {
                        let p = para_tokens[i - 1];
                        model
                            .modifier_context
                            .contains(&text[p.span.start..p.span.end].to_lowercase())
                    };
                    ok = !modifier && next.is_none_or(|u| model.sentence_starters.contains(u));
                }
                if ok {
                    boundary_after = Some(j);
                }
            }
            match boundary_after {
                Some(j) => {
                    push_sentence(&mut sentences, &mut tokens, &para_tokens[sent_start..j], pi);
                    sent_start = j;
                    i = j;
                }
                None => i += 1,
            }
        }
        if sent_start < n {
            push_sentence(&mut sentences, &mut tokens, &para_tokens[sent_start..n], pi);
        }
    }
    (sentences, tokens)
}

fn push_sentence(
    sentences: &mut Vec<Sentence>,
    tokens: &mut Vec<Token>,
    toks: &[Token],
    pi: usize,
) {
    if toks.is_empty() {
        return;
    }
    let si = sentences.len();
    let first = tokens.len();
    tokens.extend(toks.iter().map(|t| Token { sentence: si, ..*t }));
    sentences.push(Sentence {
        span: Span::new(toks[0].span.start, toks[toks.len() - 1].span.end),
        paragraph: pi,
        tokens: (first, tokens.len()),
    });
}
