//! Tests of the statements stage on sentences written for them.

use super::quotes::find_quotes;
use super::*;
use crate::dates::TimexType;
use crate::document::DocumentModel;
use crate::pipeline::{Annotated, Pipeline};
use chrono::NaiveDate;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::embedded().expect("embedded data loads"))
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()
}

fn run(text: &str) -> Annotated {
    pipeline().annotate("test", text, Some(date()))
}

/// The direct statements as (text, speaker name).
fn direct(a: &Annotated) -> Vec<(String, Option<String>)> {
    a.statements
        .iter()
        .filter(|s| s.direct)
        .map(|s| {
            (
                a.doc.slice(s.span).to_string(),
                s.speaker.map(|e| a.entities.entities[e].name.clone()),
            )
        })
        .collect()
}

/// Quoted spans found by the pairing alone.
fn quoted(text: &str) -> Vec<String> {
    let lex = crate::lexicon::Lexicon::embedded().unwrap();
    let doc = DocumentModel::new(&lex)
        .unwrap()
        .parse("q", text.to_string(), None);
    find_quotes(&doc)
        .iter()
        .map(|q| doc.slice(q.inner).to_string())
        .collect()
}

const INTRO: &str =
    "Foreign Minister Maria Kovacs met trade envoy Olaf Brenner in Vienna on Monday.\n\n";

fn with_intro(body: &str) -> String {
    format!("{INTRO}{body}")
}

#[test]
fn straight_quote_with_speaker_after() {
    let a = run(&with_intro(
        "\"We are ready to talk,\" Kovacs said after the meeting.",
    ));
    let d = direct(&a);
    assert_eq!(
        d,
        vec![(
            "We are ready to talk".to_string(),
            Some("Maria Kovacs".to_string())
        )]
    );
    let s = a.statements.iter().find(|s| s.direct).unwrap();
    assert_eq!(s.cue_lemma.as_deref(), Some("say"));
    assert_eq!(a.doc.slice(s.cue.unwrap()), "said");
    // no date of its own: the day the story reports (the intro's Monday)
    assert_eq!(s.date.as_deref(), Some("2024-03-04"));
    assert_eq!(s.cameo, "010");
    assert!(a.doc.slice(s.evidence).contains("Kovacs said"));
}

#[test]
fn inverted_order_said_name() {
    let a = run(&with_intro(
        "\"The door remains open,\" said Brenner, who has led the talks for a year.",
    ));
    assert_eq!(direct(&a)[0].1.as_deref(), Some("Olaf Brenner"));
}

#[test]
fn apostrophes_never_open_or_close() {
    let q = quoted("Xi’s envoy said it was “a time we’re proud of, like the ’90s,” and left.\n\nThey're sure it's Kovacs' turn.");
    assert_eq!(q, vec!["a time we’re proud of, like the ’90s".to_string()]);
    let q = quoted("The '90s were calm. \"We're here, and we won't leave,\" he said.");
    assert_eq!(q, vec!["We're here, and we won't leave".to_string()]);
}

#[test]
fn wire_style_backticks_and_guillemets() {
    let q = quoted("``We agree on the agenda,'' an aide said. He called it «a good start» later.");
    assert_eq!(
        q,
        vec![
            "We agree on the agenda".to_string(),
            "a good start".to_string()
        ]
    );
}

#[test]
fn nested_single_quotes_stay_inside() {
    let q = quoted("\"He told me, 'Our plan failed,' and then he left,\" the envoy said.");
    assert_eq!(
        q,
        vec!["He told me, 'Our plan failed,' and then he left".to_string()]
    );
}

#[test]
fn partial_quote_inside_a_sentence() {
    let a = run(&with_intro(
        "Kovacs said the two sides had \"made real headway\" on trade.",
    ));
    assert_eq!(
        direct(&a),
        vec![(
            "made real headway".to_string(),
            Some("Maria Kovacs".to_string())
        )]
    );
}

#[test]
fn quote_split_by_attribution_is_two_parts_of_one_utterance() {
    let a = run(&with_intro(
        "\"We are close,\" Kovacs said, \"but not there yet.\"",
    ));
    let d: Vec<&Statement> = a.statements.iter().filter(|s| s.direct).collect();
    assert_eq!(d.len(), 2);
    assert_eq!(a.doc.slice(d[0].span), "We are close");
    assert_eq!(a.doc.slice(d[1].span), "but not there yet.");
    assert_eq!(d[0].utterance, d[1].utterance);
    assert_eq!(d[0].speaker, d[1].speaker);
    assert!(d[0].speaker.is_some());
}

#[test]
fn participle_takes_the_speaker_of_the_clause() {
    let a = run(&with_intro(
        "\"We made progress,\" Brenner told reporters in Vienna, adding: \"More talks will follow.\"",
    ));
    let d: Vec<&Statement> = a.statements.iter().filter(|s| s.direct).collect();
    assert_eq!(d.len(), 2);
    let names: Vec<_> = d
        .iter()
        .map(|s| s.speaker.map(|e| a.entities.entities[e].name.as_str()))
        .collect();
    assert_eq!(names, vec![Some("Olaf Brenner"), Some("Olaf Brenner")]);
    assert_eq!(d[0].audience.as_deref(), Some("reporters"));
    assert_eq!(d[0].addressee, None);
    assert_eq!(d[0].utterance, d[1].utterance);
}

#[test]
fn quote_running_over_paragraphs() {
    let a = run(&with_intro(
        "\"The first point is settled. We have a text.\n\n\"The second point needs more work,\" Kovacs said.\n\nThe talks resume next week.",
    ));
    let d: Vec<&Statement> = a.statements.iter().filter(|s| s.direct).collect();
    assert_eq!(d.len(), 2, "{:?}", direct(&a));
    assert_eq!(
        a.doc.slice(d[0].span),
        "The first point is settled. We have a text."
    );
    assert_eq!(a.doc.slice(d[1].span), "The second point needs more work");
    assert_eq!(d[0].utterance, d[1].utterance);
    assert_eq!(d[0].speaker, d[1].speaker);
    assert!(d[0].speaker.is_some());
}

#[test]
fn unbalanced_mark_stays_in_its_paragraph() {
    let text = "The envoy called the plan \"unworkable and said no more.\n\nBrenner arrived later. \"It can still work,\" he said.\n\nNo one else spoke.";
    let q = quoted(text);
    assert_eq!(
        q,
        vec![
            "unworkable and said no more.".to_string(),
            "It can still work".to_string()
        ]
    );
    // a lone closing mark or an unclosed single mark is no quote at all
    assert!(quoted("He stood 6' tall.\n\nIt rained\" all day.").is_empty());
}

#[test]
fn opening_mark_inside_an_open_quote_starts_a_new_one() {
    let q = quoted("\"This is a fine day for us. \"There are no conditions.\"");
    assert_eq!(
        q,
        vec![
            "This is a fine day for us.".to_string(),
            "There are no conditions.".to_string()
        ]
    );
}

#[test]
fn headings_and_scare_quotes_are_not_statements() {
    let a = run(&with_intro(
        "- 'Hard bargaining' -\n\nThe so-called \"Iron Curtain\" was mentioned twice. The deal is \"dead\" now, some think.\n\n\"We will sign,\" Kovacs said.",
    ));
    let d = direct(&a);
    assert_eq!(
        d,
        vec![("We will sign".to_string(), Some("Maria Kovacs".to_string()))]
    );
}

#[test]
fn quote_without_a_speaker_gets_none() {
    let a = run(&with_intro(
        "A banner outside read \"no more empty promises from anyone\" in red letters.",
    ));
    assert_eq!(
        direct(&a),
        vec![("no more empty promises from anyone".to_string(), None)]
    );
    let s = a.statements.iter().find(|s| s.direct).unwrap();
    assert_eq!(s.cue, None);
}

#[test]
fn colon_quote_and_addressee() {
    let a = run(&with_intro(
        "Kovacs told Brenner: \"Your offer is too late.\"",
    ));
    let s = a.statements.iter().find(|s| s.direct).unwrap();
    let name = |e: Option<usize>| e.map(|e| a.entities.entities[e].name.clone());
    assert_eq!(name(s.speaker).as_deref(), Some("Maria Kovacs"));
    assert_eq!(name(s.addressee).as_deref(), Some("Olaf Brenner"));
    assert_eq!(s.cue_lemma.as_deref(), Some("tell"));
}

#[test]
fn speaker_in_the_previous_sentence() {
    let a = run(&with_intro(
        "Brenner spoke last. He added:\n\n\"Trade must come first.\"",
    ));
    assert_eq!(
        direct(&a),
        vec![(
            "Trade must come first.".to_string(),
            Some("Olaf Brenner".to_string())
        )]
    );
}

#[test]
fn paragraph_continuation_and_exchange() {
    let a = run(&with_intro(
        "\"Will you sign today?\" Kovacs asked.\n\n\"Not before Friday,\" Brenner replied.\n\n\"Then we wait.\"\n\n\"We have waited long enough.\"",
    ));
    let d = direct(&a);
    let who: Vec<Option<&str>> = d.iter().map(|(_, s)| s.as_deref()).collect();
    assert_eq!(
        who,
        vec![
            Some("Maria Kovacs"),
            Some("Olaf Brenner"),
            Some("Olaf Brenner"),
            Some("Olaf Brenner")
        ]
    );
    let a = run(&with_intro(
        "\"Is the deal done?\" Kovacs asked.\n\n\"It is not,\" Brenner said.\n\n\"Why?\" Kovacs asked.\n\n\"Because the text is not ready.\"",
    ));
    let who: Vec<Option<String>> = direct(&a).into_iter().map(|(_, s)| s).collect();
    assert_eq!(who[3].as_deref(), Some("Olaf Brenner"), "{who:?}");
}

#[test]
fn pronoun_speaker_is_the_last_speaker() {
    let a = run(&with_intro(
        "Brenner said the talks went well. Kovacs did not comment on the talks at all.\n\n\"We will meet again in June,\" he said.",
    ));
    assert_eq!(direct(&a)[0].1.as_deref(), Some("Olaf Brenner"));
}

#[test]
fn reported_speech() {
    let a = run(&with_intro(
        "Kovacs said Monday she saw progress on the trade dispute.",
    ));
    let r: Vec<&Statement> = a.statements.iter().filter(|s| !s.direct).collect();
    let s = r
        .iter()
        .find(|s| a.doc.slice(s.span).starts_with("she saw"))
        .expect("reported clause");
    assert_eq!(a.doc.slice(s.span), "she saw progress on the trade dispute");
    assert_eq!(
        s.speaker.map(|e| a.entities.entities[e].name.as_str()),
        Some("Maria Kovacs")
    );
    assert_eq!(s.cue_lemma.as_deref(), Some("say"));
    // a noun is no cue, and an infinitive is no reported clause
    let a = run(&with_intro(
        "Brenner issued a warning on tariffs. Kovacs agreed to meet him.",
    ));
    assert!(a.statements.is_empty(), "{:?}", a.statements);
}

#[test]
fn audience_channel_and_cameo() {
    let a = run(&with_intro(
        "\"Prices will rise,\" Brenner warned journalists.\n\nKovacs said in a letter to Brenner that the deadline stands.",
    ));
    let d = a.statements.iter().find(|s| s.direct).unwrap();
    assert_eq!(d.audience.as_deref(), Some("journalists"));
    assert_eq!(d.cameo, "012");
    let r = a.statements.iter().find(|s| !s.direct).unwrap();
    assert_eq!(a.doc.slice(r.span), "the deadline stands");
    let to = r.addressee.map(|e| a.entities.entities[e].name.as_str());
    assert!(to.is_some_and(|n| n.ends_with("Brenner")), "{to:?}");
}

#[test]
fn mentions_inside_the_statement() {
    let a = run(&with_intro(
        "\"Vienna is the right place for Brenner and for us,\" Kovacs said.",
    ));
    let s = a.statements.iter().find(|s| s.direct).unwrap();
    let names: Vec<&str> = s
        .mentions
        .iter()
        .map(|&e| a.entities.entities[e].name.as_str())
        .collect();
    assert!(names.contains(&"Vienna"), "{names:?}");
    assert!(names.contains(&"Olaf Brenner"), "{names:?}");
}

#[test]
fn date_from_the_time_expression_of_the_cue() {
    let text = with_intro("\"We are done,\" Kovacs said on Friday.");
    let p = pipeline();
    let doc = p.document.parse("t", text.clone(), Some(date()));
    let ents = p.entities.run(&doc);
    let at = text.find("Friday").unwrap();
    let timex = Timex {
        span: Span::new(at, at + "Friday".len()),
        text: "Friday".into(),
        kind: TimexType::DATE,
        value: "2024-03-01".into(),
        modifier: None,
        anchored: true,
    };
    let st = p
        .statements
        .extract(&doc, &ents, std::slice::from_ref(&timex));
    let s = st.iter().find(|s| s.direct).unwrap();
    assert_eq!(s.date.as_deref(), Some("2024-03-01"));
    // a non-calendar value is not used; the document date is
    let vague = Timex {
        value: "PAST_REF".into(),
        ..timex
    };
    let st = p.statements.extract(&doc, &ents, &[vague]);
    assert_eq!(
        st.iter().find(|s| s.direct).unwrap().date.as_deref(),
        Some("2024-03-05")
    );
    // no document date and no time expression: null
    let doc = p.document.parse("t", text, None);
    let ents = p.entities.run(&doc);
    let st = p.statements.extract(&doc, &ents, &[]);
    assert_eq!(st.iter().find(|s| s.direct).unwrap().date, None);
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "\"",
        "''",
        "``",
        "“",
        "”’‘«»„",
        "said",
        "\"said\" said said.",
        "É\"é'’\"\n\n\"ü",
        "He said, \"",
        "according to",
        "Kovacs told",
    ] {
        let a = run(text);
        for s in &a.statements {
            assert!(a.doc.text.is_char_boundary(s.span.start));
            assert!(a.doc.text.is_char_boundary(s.span.end));
        }
    }
}

#[test]
fn statements_serialize() {
    let a = run(&with_intro("\"Fine,\" Kovacs said."));
    let v = serde_json::to_value(&a.statements).unwrap();
    assert_eq!(v[0]["direct"], serde_json::json!(true));
    assert!(v[0]["span"].is_array());
}

#[test]
fn a_statement_without_a_date_is_on_the_story_day() {
    // dated Friday 2024-03-08; the story reports Wednesday's visit
    let text = "Olaf Scholz visited Vienna on Wednesday. He toured the old town. He met \
                students.\n\n\"We are ready,\" Scholz said.\n\n\
                \"We will talk again,\" he told reporters on Thursday.";
    let a = pipeline().annotate("t", text, NaiveDate::from_ymd_opt(2024, 3, 8));
    let dates: Vec<Option<&str>> = a
        .statements
        .iter()
        .filter(|s| s.direct)
        .map(|s| s.date.as_deref())
        .collect();
    assert_eq!(dates, vec![Some("2024-03-06"), Some("2024-03-07")]);
}

#[test]
fn joint_statement_has_no_single_speaker() {
    let a = run("The foreign ministers of Russia and China said: \"We agree on the plan.\"");
    assert_eq!(
        direct(&a),
        vec![("We agree on the plan.".to_string(), None)],
        "{:?}",
        a.statements
    );
    // the entity layer did read both ministers
    let holders: Vec<_> = a
        .entities
        .mentions
        .iter()
        .filter_map(|m| m.entity.map(|e| a.entities.entities[e].name.as_str()))
        .collect();
    assert!(holders.contains(&"Sergei Lavrov"), "{holders:?}");
    assert!(holders.contains(&"Wang Yi"), "{holders:?}");
    let a = run("Emmanuel Macron and Angela Merkel said: \"We agree on the plan.\"");
    assert_eq!(
        direct(&a),
        vec![("We agree on the plan.".to_string(), None)]
    );
}

#[test]
fn memoised_cues_and_subjects_agree_with_fresh_reads() {
    let texts = [
        with_intro(
            "\"We are ready,\" Kovacs said on Monday. Brenner, who said talks would go on, \
             told reporters that \"nothing is settled\". She added that the envoy, 61, \
             also said the so-called plan was dead. Said Brenner: \"No.\"",
        ),
        with_intro(
            "Kovacs told Brenner the deal was done, adding that Vienna agreed. \
             The warning came late. \"It is over,\" he said, and she denied it.",
        ),
    ];
    let p = pipeline();
    for text in &texts {
        let a = run(text);
        let quotes = find_quotes(&a.doc);
        let ctx = attribution::Ctx::new(&p.statements, &a.doc, &a.entities, &a.timexes, &quotes);
        let mut cues = 0;
        for t in 0..a.doc.tokens.len() {
            let (x, y) = (ctx.cue_at(t), ctx.cue_at_reference(t));
            assert_eq!(
                x.map(|c| (c.tok, c.len)),
                y.map(|c| (c.tok, c.len)),
                "token {t}"
            );
            cues += usize::from(x.is_some());
            let (slo, _) = ctx.sentence_tokens(t);
            for lo in [slo, slo.max(t.saturating_sub(3)), 0] {
                // twice: the second answer comes from the memo
                for _ in 0..2 {
                    assert_eq!(
                        ctx.subject_before(t, lo).map(|m| m.span),
                        ctx.subject_before_uncached(t, lo).map(|m| m.span),
                        "token {t} from {lo}"
                    );
                }
            }
        }
        assert!(cues >= 4, "the texts have cues: {cues}");
        let n = a.doc.tokens.len();
        let mut quoted = 0;
        for lo in 0..=n {
            for hi in lo..=n.min(lo + 30) {
                let want = ctx.any_quoted_reference(lo, hi);
                assert_eq!(ctx.any_quoted(lo, hi), want, "[{lo}, {hi})");
                quoted += usize::from(want);
            }
        }
        assert!(quoted > 0, "the texts have quotes");
    }
}

#[test]
fn cue_starts_in_one_pass_agree_with_the_token_test() {
    let cues = &pipeline().statements.cues;
    for text in [
        with_intro("Kovacs said, told and warned; \"he added\" they argued, saying no."),
        String::new(),
        "said".to_string(),
    ] {
        let a = run(&text);
        let every: Vec<usize> = (0..a.doc.tokens.len())
            .filter(|&i| cues.may_start(&a.doc, i))
            .collect();
        assert_eq!(cues.may_starts(&a.doc).collect::<Vec<_>>(), every);
        assert!(text.is_empty() || !every.is_empty());
    }
}

#[test]
fn pronoun_gender_by_token_agrees_with_lower_casing_the_span() {
    let a = run(&with_intro(
        "She said HE would come. His aide and her aide, They, it and Kovacs's own met.",
    ));
    let m = &pipeline().statements;
    let mut seen = 0;
    for t in 0..a.doc.tokens.len() {
        let tok = a.doc.tokens[t].span;
        // one token, two tokens, and a span that is no token's
        let two = Span::new(
            tok.start,
            a.doc.tokens.get(t + 1).map_or(tok.end, |u| u.span.end),
        );
        for span in [
            tok,
            two,
            Span::new(tok.start, tok.end.max(tok.start + 1).min(a.doc.text.len())),
        ] {
            if !a.doc.text.is_char_boundary(span.end) {
                continue;
            }
            let want = m.pronouns.get(&a.doc.slice(span).to_lowercase()).copied();
            assert_eq!(
                attribution::pronoun_gender(m, &a.doc, span),
                want,
                "{span:?}"
            );
            seen += usize::from(want.is_some());
        }
    }
    assert!(seen >= 4, "pronouns seen: {seen}");
}

/// The reported statements as (clause, speaker name).
fn reported(a: &Annotated) -> Vec<(String, Option<String>)> {
    a.statements
        .iter()
        .filter(|s| !s.direct)
        .map(|s| {
            (
                a.doc.slice(s.span).to_string(),
                s.speaker.map(|e| a.entities.entities[e].name.clone()),
            )
        })
        .collect()
}

fn pair(text: &str, name: &str) -> (String, Option<String>) {
    (text.to_string(), Some(name.to_string()))
}

#[test]
fn a_spokesman_speaks_for_the_one_named_before_him() {
    let a = run(&with_intro(
        "Norway's foreign ministry spokesman said the border would stay open. Brenner's spokeswoman said the trip was off.",
    ));
    assert_eq!(
        reported(&a),
        vec![
            pair("the border would stay open", "Norway"),
            pair("the trip was off", "Olaf Brenner"),
        ]
    );
}

#[test]
fn the_person_in_apposition_beats_the_object_of_a_preposition() {
    let a = run(&with_intro(
        "The spokesman for the European Commission, Karl Weber, said: \"We are ready to sign.\"",
    ));
    assert_eq!(
        direct(&a),
        vec![pair("We are ready to sign.", "Karl Weber")]
    );
}

#[test]
fn an_addressee_behind_its_title() {
    let a = run(&with_intro(
        "Brenner told Foreign Minister Maria Kovacs on Tuesday that prices would rise.",
    ));
    let s = a.statements.iter().find(|s| !s.direct).expect("reported");
    assert_eq!(a.doc.slice(s.span), "prices would rise");
    let to = s.addressee.map(|e| a.entities.entities[e].name.as_str());
    assert_eq!(to, Some("Maria Kovacs"));
    assert_eq!(s.date.as_deref(), Some("2024-03-05"));
}

#[test]
fn attribution_after_its_clause() {
    let a = run(&with_intro(
        "The border will reopen next week, Kovacs said on Tuesday. Talks will resume in June, Brenner, the trade envoy, said. Prices will rise, said Brenner.\n\nAccording to Kovacs, the deal is almost done. The deal is nearly signed, according to Brenner.",
    ));
    assert_eq!(
        reported(&a),
        vec![
            pair("The border will reopen next week", "Maria Kovacs"),
            pair("Talks will resume in June", "Olaf Brenner"),
            pair("Prices will rise", "Olaf Brenner"),
            pair("the deal is almost done", "Maria Kovacs"),
            pair("The deal is nearly signed", "Olaf Brenner"),
        ]
    );
    // no clause before the attribution, or no attribution at the end
    let a = run(&with_intro(
        "Speaking in Vienna, Kovacs said. In Vienna, Brenner said. The head of the delegation, Brenner, said thousands had fled the city.",
    ));
    assert_eq!(
        reported(&a),
        vec![pair("thousands had fled the city", "Olaf Brenner")]
    );
}

#[test]
fn verbs_that_report_only_through_that() {
    let a = run(&with_intro(
        "Brenner replied that the offer was too low. Kovacs replied in kind. Brenner agreed to meet her.",
    ));
    assert_eq!(
        reported(&a),
        vec![pair("the offer was too low", "Olaf Brenner")]
    );
}

#[test]
fn a_noun_object_is_no_reported_clause() {
    let a = run(&with_intro(
        "Kovacs stressed the need for calm. Brenner denied a report about the border. Brenner confirmed the visit would go ahead. Kovacs noted it was late.",
    ));
    assert_eq!(
        reported(&a),
        vec![
            pair("the visit would go ahead", "Olaf Brenner"),
            pair("it was late", "Maria Kovacs"),
        ]
    );
}

#[test]
fn a_clause_opened_by_a_plain_noun_needs_a_verb() {
    let a = run(&with_intro(
        "Kovacs said talks would resume in May. Brenner said goodbye to the delegates.",
    ));
    assert_eq!(
        reported(&a),
        vec![pair("talks would resume in May", "Maria Kovacs")]
    );
}

#[test]
fn negated_cues_and_question_words_make_no_statement() {
    let a = run(&with_intro(
        "Brenner never said the talks had failed. Kovacs did not say the border was closed. Brenner said whether the team would come was unclear.",
    ));
    assert_eq!(reported(&a), vec![]);
}

#[test]
fn but_added_starts_a_second_statement() {
    let a = run(&with_intro(
        "Kovacs said the talks went well, but added that more work was needed.",
    ));
    assert_eq!(
        reported(&a),
        vec![
            pair("the talks went well", "Maria Kovacs"),
            pair("more work was needed", "Maria Kovacs"),
        ]
    );
}

#[test]
fn dates_of_the_clause_or_a_relative_clause_do_not_date_the_statement() {
    let a = run(&with_intro(
        "Brenner, who arrived on Sunday, said the talks would last two days. Kovacs said the vote would take place on Friday.",
    ));
    let dates: Vec<Option<&str>> = a
        .statements
        .iter()
        .filter(|s| !s.direct)
        .map(|s| s.date.as_deref())
        .collect();
    // the day the story reports (the intro's Monday), not Sunday or Friday
    assert_eq!(dates, vec![Some("2024-03-04"), Some("2024-03-04")]);
}

#[test]
fn according_to_skips_an_apposition_to_the_source() {
    let a = run(&with_intro(
        "According to Brenner, the trade envoy, Kovacs will sign the deal. According to Kovacs, the talks, which began in May, will end soon.",
    ));
    assert_eq!(
        reported(&a),
        vec![
            pair("Kovacs will sign the deal", "Olaf Brenner"),
            pair(
                "the talks, which began in May, will end soon",
                "Maria Kovacs"
            ),
        ]
    );
}

#[test]
fn a_date_of_the_clause_before_a_cut_does_not_date_the_next() {
    let a = run(&with_intro(
        "Kovacs said the plant was sold in 1998, and added that it now employs 300 people.",
    ));
    let r: Vec<(&str, Option<&str>)> = a
        .statements
        .iter()
        .filter(|s| !s.direct)
        .map(|s| (a.doc.slice(s.span), s.date.as_deref()))
        .collect();
    assert_eq!(
        r,
        vec![
            ("the plant was sold in 1998", Some("2024-03-04")),
            ("it now employs 300 people", Some("2024-03-04")),
        ]
    );
}

#[test]
fn the_hearer_is_one_phrase_and_state_television_an_audience() {
    let a = run(&with_intro(
        "Kovacs told state television the government would send a delegation.",
    ));
    let s = a.statements.iter().find(|s| !s.direct).expect("reported");
    assert_eq!(
        a.doc.slice(s.span),
        "the government would send a delegation"
    );
    assert_eq!(s.audience.as_deref(), Some("state television"));
    assert_eq!(s.addressee, None);
}

#[test]
fn a_date_after_a_quote_its_cue_governs_is_reported_not_said() {
    let a = run(&with_intro(
        "Kovacs warned that Brenner might try \"something rash\" next week.",
    ));
    let s = a.statements.iter().find(|s| s.direct).expect("quote");
    // the story's day (the intro's Monday), not next week
    assert_eq!(s.date.as_deref(), Some("2024-03-04"));
}
