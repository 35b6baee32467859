use super::*;
use crate::lexicon::Lexicon;

fn model() -> DocumentModel {
    DocumentModel::new(&Lexicon::embedded().unwrap()).unwrap()
}

fn parse(text: &str) -> Document {
    model().parse("t", text.to_string(), None)
}

fn sentences(d: &Document) -> Vec<&str> {
    d.sentences.iter().map(|s| d.slice(s.span)).collect()
}

#[test]
fn dateline_agency_and_full_date() {
    let d = parse("Talks end\nBy Jane ROE\nParis (AFP) March 3, 2021\n\nThe minister spoke.");
    let dl = d.dateline.as_ref().unwrap();
    assert_eq!(d.slice(dl.city.unwrap()), "Paris");
    assert_eq!(d.slice(dl.agency.unwrap()), "AFP");
    assert_eq!(d.date, NaiveDate::from_ymd_opt(2021, 3, 3));
    assert_eq!(d.slice(d.byline.unwrap()), "Jane ROE");
    assert!(d.paragraphs[0].heading && d.paragraphs[1].heading && d.paragraphs[2].heading);
    assert!(!d.paragraphs[3].heading);
}

#[test]
fn dateline_formats() {
    type Case<'a> = (&'a str, &'a str, Option<(i32, u32, u32)>);
    let cases: &[Case] = &[
        ("OSLO (Reuters) - The talks began.", "OSLO", None),
        (
            "LUANDA, May 2 , 1996 (AFP)\n\nText.",
            "LUANDA",
            Some((1996, 5, 2)),
        ),
        (
            "CAIRO, Dec. 4 , 2009 (Xinhua)\n\nText.",
            "CAIRO",
            Some((2009, 12, 4)),
        ),
        ("LIMA, Peru (AP) _ The vote was held.", "LIMA", None),
        ("SPRINGFIELD, ILL. (AP)--\n\nText.", "SPRINGFIELD", None),
        ("ROME (AP)_ Leaders met.", "ROME", None),
    ];
    for (text, city, date) in cases {
        let d = parse(text);
        let dl = d
            .dateline
            .as_ref()
            .unwrap_or_else(|| panic!("no dateline in {text:?}"));
        assert_eq!(d.slice(dl.city.unwrap()), *city, "{text}");
        assert_eq!(
            d.date,
            date.and_then(|(y, m, dd)| NaiveDate::from_ymd_opt(y, m, dd)),
            "{text}"
        );
    }
}

#[test]
fn dateline_without_year_is_completed_by_given_date() {
    let m = model();
    let given = NaiveDate::from_ymd_opt(1987, 6, 1);
    let d = m.parse("t", "WASHINGTON, March 31 - Talks opened.".into(), given);
    let dl = d.dateline.unwrap();
    assert_eq!(dl.month_day, Some((3, 31)));
    assert_eq!(dl.date, NaiveDate::from_ymd_opt(1987, 3, 31));
    // --date itself is the document date
    assert_eq!(d.date, given);
    let d = m.parse("t", "WASHINGTON, March 31 - Talks opened.".into(), None);
    assert_eq!(d.date, None);
}

#[test]
fn bare_date_line() {
    let d = parse("Summit report\nJune 19, 2023\n\nLeaders met.");
    assert_eq!(d.date, NaiveDate::from_ymd_opt(2023, 6, 19));
    assert!(d.dateline.unwrap().city.is_none());
}

#[test]
fn no_dateline_in_plain_prose() {
    let d = parse("The President met the King on Monday. They talked.");
    assert!(d.dateline.is_none());
    assert_eq!(d.date, None);
}

#[test]
fn abbreviations_and_initials_do_not_end_sentences() {
    let d = parse(
        "Mr. Smith met Joseph R. Doe in the U.S. capital on Jan. 5. He left. The U.S. said no.",
    );
    assert_eq!(
        sentences(&d),
        vec![
            "Mr. Smith met Joseph R. Doe in the U.S. capital on Jan. 5.",
            "He left.",
            "The U.S. said no."
        ]
    );
}

#[test]
fn abbreviation_can_end_a_sentence_before_an_opener() {
    let d = parse("She flew to the U.S. The trip was short.");
    assert_eq!(
        sentences(&d),
        vec!["She flew to the U.S.", "The trip was short."]
    );
}

#[test]
fn quotes_close_sentences() {
    let d = parse("\"We agree.\" He nodded. \"Fine,\" she said.");
    assert_eq!(
        sentences(&d),
        vec!["\"We agree.\"", "He nodded.", "\"Fine,\" she said."]
    );
}

#[test]
fn hard_wraps_are_joined_and_indents_split() {
    let text = "WASHINGTON, March 31 - The prime minister\nopened talks with the\npresident.\n    Officials said the aim\nwas trade.";
    let d = parse(text);
    let body: Vec<&str> = d
        .paragraphs
        .iter()
        .filter(|p| !p.heading)
        .map(|p| d.slice(p.span))
        .collect();
    assert_eq!(body.len(), 2);
    assert_eq!(
        sentences(&d)[1],
        "The prime minister\nopened talks with the\npresident."
    );
}

#[test]
fn tokens_keep_offsets_and_dotted_abbreviations() {
    let d = parse("The U.S. gave $3.5 billion to Xi’s team.");
    let toks: Vec<&str> = (0..d.tokens.len()).map(|i| d.token_text(i)).collect();
    assert!(toks.contains(&"U.S."), "{toks:?}");
    assert!(toks.contains(&"3.5"));
    assert!(toks.contains(&"Xi"));
    for t in &d.tokens {
        assert!(d.text.is_char_boundary(t.span.start) && d.text.is_char_boundary(t.span.end));
    }
}

#[test]
fn section_heads_are_headings() {
    let d = parse("First paragraph here.\n\n- End of talks -\n\nMore text.");
    assert!(d.paragraphs[1].heading);
    assert!(!d.paragraphs[2].heading);
}

#[test]
fn empty_and_whitespace_text() {
    assert!(parse("").sentences.is_empty());
    assert!(parse("  \n\n \t ").paragraphs.is_empty());
}

#[test]
fn non_ascii_spaces_and_letters_do_not_break_tokens() {
    let d = parse("President Luiz Inácio Lula\u{a0}da Silva met A.B. Jones in São\u{a0}Paulo.");
    for t in &d.tokens {
        assert!(d.text.is_char_boundary(t.span.start) && d.text.is_char_boundary(t.span.end));
    }
}

#[test]
fn us_after_with_or_of_modifies_the_next_word() {
    let d = parse("Abe spoke with U.S. President Trump on Tuesday. He lives in the U.S. President Trump said so.");
    assert_eq!(
        sentences(&d),
        vec![
            "Abe spoke with U.S. President Trump on Tuesday.",
            "He lives in the U.S.",
            "President Trump said so."
        ]
    );
}

/// Pieces whose combinations exercise every branch of the tokenizer.
const PIECES: &[&str] = &[
    "U", ".", "S", ",", "a", "m", "3", "5", " ", "\t", "\n", "é", "É", "ß", "ǅ", "\u{a0}",
    "\u{2003}", "\u{85}", "’", "\"", "-", "Xi", "1,000", "e.g.", "A.B.C", "p.m", "٣", "²", "日本",
    "ﬁ", "\u{301}", "İ", "Σ", "x.", ".y", "..", ",,", "7.", ".8",
];

#[test]
fn fast_tokenizer_agrees_with_the_reference() {
    // every string of up to four pieces, and a pseudo-random sample of longer ones
    let n = PIECES.len();
    let mut texts: Vec<String> = Vec::new();
    for a in PIECES {
        for b in PIECES {
            for c in PIECES {
                texts.push(format!("{a}{b}{c}"));
            }
        }
    }
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20_000 {
        let mut t = String::new();
        for _ in 0..12 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(PIECES[(x % n as u64) as usize]);
        }
        texts.push(t);
    }
    texts.push("The U.S. gave $3.5 billion to Xi’s team at 10 a.m. on Jan. 3, 2021.".into());
    for t in &texts {
        assert_eq!(tokenize(t), segment::tokenize_reference(t), "{t:?}");
    }
}

/// The tokenizer's lower-case texts, hashes and sentence stops agree with
/// those made token by token after it.
#[test]
fn fused_lowering_and_stops_agree_with_the_token_by_token_ones() {
    let n = PIECES.len();
    let mut texts: Vec<String> = Vec::new();
    for a in PIECES {
        for b in PIECES {
            texts.push(format!("{a}{b}"));
            texts.push(format!("{a} {b}..."));
        }
    }
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        let mut t = String::new();
        for _ in 0..(x % 17) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(PIECES[(x % n as u64) as usize]);
        }
        texts.push(t);
    }
    texts.push("ABCDEFGHIJKLMNOPQ abcdefgh ABCDEFG1 12345678. U.S. a.m.! Why? Yes… ok".into());
    for t in &texts {
        let (tokens, low, stops) = segment::tokens_and_stops(t);
        let want = Lowered::new(t, &tokens);
        for i in 0..=tokens.len() {
            assert_eq!(low.get(i), want.get(i), "{t:?} {i}");
            assert_eq!(low.hash(i), want.hash(i), "{t:?} {i}");
            let digit = tokens.get(i).is_some_and(|k| {
                t[k.span.start..k.span.end]
                    .bytes()
                    .any(|b| b.is_ascii_digit())
            });
            assert_eq!(low.has_digit(i), digit, "{t:?} {i}");
            assert_eq!(want.has_digit(i), digit, "{t:?} {i}");
        }
        let want_stops: Vec<usize> = (0..tokens.len())
            .filter(|&i| segment::is_stop(t, &tokens[i]))
            .collect();
        assert_eq!(stops, want_stops, "{t:?}");
    }
}

#[test]
fn lowered_tokens_match_to_lowercase_and_word_hash() {
    let text = "The U.S. SecretaryOfState MET Ünal, İSTANBUL's ΣΟΦΙΑ at 10 A.M.; \
                x@Y[Z]`a{b} ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{ abcdefghij Straße";
    // also: ASCII tokens at the very end, long ones, non-ASCII after 8 bytes
    for text in [
        text,
        "ABCDEFGHIJÜBER İİİİ Go",
        "x",
        "Ab",
        "ABCDEFGH",
        "ABCDEFGHIJKLMNOPQ",
    ] {
        let d = parse(text);
        for i in 0..d.tokens.len() {
            let l = d.token_text(i).to_lowercase();
            assert_eq!(d.lower(i), l, "{i}");
            assert_eq!(d.lowered.word8(i), super::word8_of(&l), "{i}");
            assert_eq!(
                d.lowered.hash(i),
                Some(crate::lexicon::word_hash(&l)),
                "{i}"
            );
        }
    }
    let d = parse(text);
    assert!(d.tokens.len() > 20);
    assert_eq!(d.lower(d.tokens.len()), "");
    assert_eq!(d.lowered.hash(d.tokens.len()), None);
    // every byte value below 0x80
    let all: Vec<u8> = (0u8..0x80).collect();
    for c in all.chunks(8) {
        let mut v = 0u64;
        for (k, &b) in c.iter().enumerate() {
            v |= (b as u64) << (8 * k);
        }
        let want: Vec<u8> = c.iter().map(u8::to_ascii_lowercase).collect();
        assert_eq!(&ascii_lower8(v).to_le_bytes()[..c.len()], &want[..]);
    }
}

#[test]
fn only_single_line_paragraphs_can_be_section_heads() {
    let d = parse("Body text here.\n\n###\n\n***\n---\n\nMore text.\n\n  ***\nEnd.");
    let heads: Vec<(&str, bool)> = d
        .paragraphs
        .iter()
        .map(|p| (d.slice(p.span), p.heading))
        .collect();
    assert_eq!(
        heads,
        vec![
            ("Body text here.", false),
            ("###", true),
            ("***\n---", false),
            ("More text.", false),
            ("***\nEnd.", false),
        ]
    );
}

#[test]
fn month_lookup_by_first_byte_agrees_with_a_full_scan() {
    let m = model();
    for w in [
        "",
        "May",
        "Sept.",
        "Sept",
        "Sep",
        "September",
        "Dec.",
        "Decline",
        "Mayor",
        "June",
        "Jun",
        "Ma",
        "OSLO",
        "on",
        "Éte",
        "1",
    ] {
        let full = m.months.iter().find(|(n, _)| n == w).map(|(_, k)| *k);
        assert_eq!(m.month(w), full, "{w}");
        fn prefix<'a>(
            w: &str,
            mut it: impl Iterator<Item = &'a (String, u32)>,
        ) -> Option<(String, u32)> {
            it.find(|(n, _)| {
                w.starts_with(n.as_str()) && !w[n.len()..].starts_with(|c: char| c.is_alphabetic())
            })
            .map(|(n, k)| (n.clone(), *k))
        }
        assert_eq!(
            prefix(w, m.months_from(w)),
            prefix(w, m.months.iter()),
            "{w}"
        );
    }
    assert_eq!(m.month("Sept."), Some(9));
}
