//! Each introduction pattern, each coreference path, and the traps.

use crate::entities::How;
use crate::pipeline::Pipeline;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::embedded().unwrap())
}

/// (mention text, entity name or "", how, kind)
fn mentions(text: &str, date: &str) -> Vec<(String, String, How, &'static str)> {
    let a = pipeline().annotate("t", text, Some(date.parse().unwrap()));
    a.entities
        .mentions
        .iter()
        .map(|m| {
            let e = m
                .entity
                .map(|e| a.entities.entities[e].name.clone())
                .unwrap_or_default();
            (a.doc.slice(m.span).to_string(), e, m.how, m.kind.as_str())
        })
        .collect()
}

fn has(ms: &[(String, String, How, &str)], text: &str, entity: &str, how: How) -> bool {
    ms.iter()
        .any(|(t, e, h, _)| t == text && e == entity && *h == how)
}

fn entity_of<'a>(ms: &'a [(String, String, How, &str)], text: &str) -> Option<&'a str> {
    ms.iter()
        .find(|(t, ..)| t == text)
        .map(|(_, e, ..)| e.as_str())
}

#[test]
fn gazetteer_names_and_surnames() {
    let ms = mentions("Antony Blinken arrived. Later Blinken spoke.", "2023-06-19");
    assert!(
        has(&ms, "Antony Blinken", "Antony Blinken", How::Gazetteer),
        "{ms:?}"
    );
    assert_eq!(entity_of(&ms, "Blinken"), Some("Antony Blinken"));
}

#[test]
fn title_introduces_unknown_person() {
    let ms = mentions(
        "Foreign Minister Zara Quell met the press. Quell said little.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Zara Quell", "Zara Quell", How::Inferred),
        "{ms:?}"
    );
    assert!(has(&ms, "Quell", "Zara Quell", How::Surname), "{ms:?}");
}

#[test]
fn title_with_destination_and_name() {
    let ms = mentions(
        "U.S. Ambassador to Oman Jorn Velder attended.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Jorn Velder", "Jorn Velder", How::Inferred),
        "{ms:?}"
    );
    assert_eq!(entity_of(&ms, "Oman"), Some("Oman"));
}

#[test]
fn honorific_introduces_a_surname() {
    let ms = mentions("Mr. Drabble arrived late.", "2023-06-19");
    assert!(has(&ms, "Drabble", "Drabble", How::Inferred), "{ms:?}");
}

#[test]
fn apposition_with_age_and_with_role() {
    let ms = mentions(
        "In the market, Lina Osk, 31, said prices had risen.",
        "2023-06-19",
    );
    assert!(has(&ms, "Lina Osk", "Lina Osk", How::Inferred), "{ms:?}");
    let ms = mentions(
        "Pavel Ornic, the deputy foreign minister, disagreed.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Pavel Ornic", "Pavel Ornic", How::Inferred),
        "{ms:?}"
    );
    let ms = mentions(
        "Tove Randal, a former trade adviser, disagreed.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Tove Randal", "Tove Randal", How::Inferred),
        "{ms:?}"
    );
}

#[test]
fn speech_verb_introduces_a_name() {
    let ms = mentions(
        "\"It went well,\" said Amos Wertel on Monday.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Amos Wertel", "Amos Wertel", How::Inferred),
        "{ms:?}"
    );
    let ms = mentions("Imre Fodor said the plan would fail.", "2023-06-19");
    assert!(
        has(&ms, "Imre Fodor", "Imre Fodor", How::Inferred),
        "{ms:?}"
    );
}

#[test]
fn person_noun_before_a_name() {
    let ms = mentions(
        "He thanked his counterpart Lars Eikeland for the visit.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Lars Eikeland", "Lars Eikeland", How::Inferred),
        "{ms:?}"
    );
}

#[test]
fn byline_is_a_person() {
    let ms = mentions(
        "Talks in the capital\nBy Mara QUINTO\nPARIS (AFP) -\n\nLeaders met.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "Mara QUINTO", "Mara Quinto", How::Inferred),
        "{ms:?}"
    );
}

#[test]
fn organization_forms_and_acronyms() {
    let ms = mentions(
        "The Ministry of Coastal Affairs issued a note. The Velari Unity Party objected.",
        "2023-06-19",
    );
    assert!(
        ms.iter()
            .any(|(t, _, h, k)| t == "Ministry of Coastal Affairs"
                && *h == How::Inferred
                && *k == "organization"),
        "{ms:?}"
    );
    assert!(
        ms.iter()
            .any(|(t, _, _, k)| t == "Velari Unity Party" && *k == "organization"),
        "{ms:?}"
    );
    let ms = mentions(
        "The Northern Grain Council (NGC) met. The NGC said prices were stable.",
        "2023-06-19",
    );
    let ngc: Vec<_> = ms.iter().filter(|(t, ..)| t == "NGC").collect();
    assert_eq!(ngc.len(), 2, "{ms:?}");
    assert!(ngc.iter().all(|(_, e, ..)| e == "Northern Grain Council"));
}

#[test]
fn locative_introduces_a_place() {
    let ms = mentions(
        "The delegation arrived in Quorvath on Tuesday.",
        "2023-06-19",
    );
    assert!(
        ms.iter()
            .any(|(t, _, h, k)| t == "Quorvath" && *h == How::Inferred && *k == "place"),
        "{ms:?}"
    );
    let ms = mentions(
        "Troops left Camp Ardent Base near Velmar Valley.",
        "2023-06-19",
    );
    assert!(
        ms.iter()
            .any(|(t, _, _, k)| t == "Velmar Valley" && *k == "place"),
        "{ms:?}"
    );
}

#[test]
fn chinese_surname_comes_first_and_vietnamese_last() {
    let ms = mentions("Xi Jinping spoke first. Then Xi left.", "2023-06-19");
    assert_eq!(entity_of(&ms, "Xi"), Some("Xi Jinping"));
    let ms = mentions(
        "Pham Minh Chinh arrived. Chinh then met reporters.",
        "2023-06-19",
    );
    assert_eq!(entity_of(&ms, "Chinh"), Some("Pham Minh Chinh"), "{ms:?}");
}

#[test]
fn role_descriptions_join_recent_entity() {
    let ms = mentions(
        "Foreign Minister Zara Quell met the press. The minister said little.",
        "2023-06-19",
    );
    assert!(has(&ms, "The minister", "Zara Quell", How::Title), "{ms:?}");
}

#[test]
fn a_dateline_credit_is_the_news_agency() {
    // "PTI" in the credit is the Press Trust of India; in the story, the party
    let ms = mentions(
        "NEW DELHI, Jan. 5, 2024 (PTI) - Narendra Modi met the PTI leader.",
        "2024-01-05",
    );
    let pti: Vec<&str> = ms
        .iter()
        .filter(|m| m.0 == "PTI")
        .map(|m| m.1.as_str())
        .collect();
    assert_eq!(
        pti,
        ["Press Trust of India", "Pakistan Tehreek-e-Insaf"],
        "{ms:?}"
    );
    // a credit with no name of its own in the gazetteer
    let ms = mentions("CAIRO, May 2, 2024 (MENA) - The talks began.", "2024-05-02");
    assert_eq!(
        entity_of(&ms, "MENA"),
        Some("Middle East News Agency"),
        "{ms:?}"
    );
}

#[test]
fn a_bare_shared_surname_is_whoever_held_office_on_the_date() {
    // no full name in the article: the one person with the form in office
    let text = "Assad received the envoy in Damascus. Later Assad spoke again.";
    for (date, who) in [
        ("1990-05-01", "Hafez al-Assad"),
        ("2005-05-01", "Bashar al-Assad"),
    ] {
        let ms = mentions(text, date);
        let assad: Vec<_> = ms.iter().filter(|m| m.0 == "Assad").collect();
        assert_eq!(assad.len(), 2, "{date}: {ms:?}");
        assert!(
            assad.iter().all(|m| m.1 == who && m.2 == How::Surname),
            "{date}: {ms:?}"
        );
    }
    // a name the article gives in full wins over the office holder
    let ms = mentions(
        "Bashar al-Assad, then an eye doctor, gave a talk. Assad left.",
        "1990-05-01",
    );
    assert_eq!(entity_of(&ms, "Assad"), Some("Bashar al-Assad"), "{ms:?}");
    // a first name next to another name is no surname
    let ms = mentions("Assad Karimi wrote the report.", "2005-05-01");
    assert!(!ms.iter().any(|m| m.1 == "Bashar al-Assad"), "{ms:?}");
    // several holders with the form, or none, or no date: left alone
    let ms = mentions("Kim arrived in Seoul.", "1990-05-01");
    assert_eq!(entity_of(&ms, "Kim"), None, "{ms:?}");
    let a = pipeline().annotate("t", "Assad received the envoy.", None);
    assert!(a.entities.mentions.is_empty(), "{:?}", a.entities.mentions);
}

#[test]
fn a_bare_title_joins_the_person_whose_title_has_that_word() {
    // not the latest person: the one introduced as a secretary
    let ms = mentions(
        "Interior Secretary Zara Quell met Foreign Minister Odo Brant in Vienna. \
         The Secretary thanked the Minister for the invitation.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "The Secretary", "Zara Quell", How::Title),
        "{ms:?}"
    );
    assert!(has(&ms, "the Minister", "Odo Brant", How::Title), "{ms:?}");
    // the office held on the article's date, from the gazetteer
    let ms = mentions(
        "Antony Blinken met King Abdullah II in Amman. The Secretary and the King \
         discussed the region.",
        "2023-01-18",
    );
    assert!(
        has(&ms, "The Secretary", "Antony Blinken", How::Title),
        "{ms:?}"
    );
    // no one with such a title: the latest person, as before
    let ms = mentions(
        "Foreign Minister Zara Quell spoke in Vienna. The Secretary left.",
        "2023-06-19",
    );
    assert!(
        has(&ms, "The Secretary", "Zara Quell", How::Title),
        "{ms:?}"
    );
}

#[test]
fn country_and_role_resolve_through_office() {
    let ms = mentions("The top US diplomat flew home.", "2023-06-19");
    assert!(
        ms.iter()
            .any(|(_, e, h, _)| e == "Antony Blinken" && *h == How::Office),
        "{ms:?}"
    );
    let ms = mentions("The Chinese leader spoke.", "2023-06-19");
    assert!(
        ms.iter()
            .any(|(_, e, h, _)| e == "Xi Jinping" && *h == How::Office),
        "{ms:?}"
    );
}

#[test]
fn a_given_name_tells_the_gender_of_a_person_the_gazetteer_lacks() {
    // "Tomas" is a man's name: "she" is the woman named before him
    let ms = mentions(
        "Kamala Harris toured the farm. Tomas Ferk, 40, a farmer, said she had helped.",
        "2023-06-19",
    );
    assert!(has(&ms, "she", "Kamala Harris", How::Pronoun), "{ms:?}");
    // a title still comes first
    let ms = mentions(
        "Antony Blinken met Mrs. Tomas Ferk. She said the visit went well.",
        "2023-06-19",
    );
    assert!(has(&ms, "She", "Tomas Ferk", How::Pronoun), "{ms:?}");
}

#[test]
fn pronouns_follow_gender_and_subject() {
    let ms = mentions(
        "Envoy Zara Quell met Antony Blinken. She said the talks went well.",
        "2023-06-19",
    );
    // Quell's gender is unknown, Blinken is male: "she" is Quell
    assert!(has(&ms, "She", "Zara Quell", How::Pronoun), "{ms:?}");
    let ms = mentions(
        "Antony Blinken met Lina Osk, 31, in Rome. He said the talks went well.",
        "2023-06-19",
    );
    assert!(has(&ms, "He", "Antony Blinken", How::Pronoun), "{ms:?}");
    // the pronoun's own sentence comes first, even when the person there
    // has no known gender and an earlier sentence names a woman
    let ms = mentions(
        "Kamala Harris toured the market. Lior Osk, 31, a trader, said she hoped prices would fall.",
        "2023-06-19",
    );
    assert!(has(&ms, "she", "Lior Osk", How::Pronoun), "{ms:?}");
}

#[test]
fn pronoun_pass_over_pronoun_tokens_agrees_with_the_token_by_token_reading() {
    // (pronouns() asserts under test that its links equal the reference's)
    // a name ending a sentence is read in the next one; sentences with no
    // person; more than four sentences back; pronouns in a row
    let text = "Talks were held on Monday. Ministers met Antony Blinken. \
        He said little. Then she spoke: Envoy Zara Quell said she and he agreed. \
        Rain fell. Rain fell again. It was late. Nobody came. The hall was empty. \
        His car left. Her plane left. Envoy Zara Quell left with Antony Blinken. \
        He and she, his and her.";
    let ms = mentions(text, "2023-06-19");
    assert!(has(&ms, "He", "Antony Blinken", How::Pronoun), "{ms:?}");
    // sentences with no person do not count among the recent ones
    assert!(has(&ms, "His", "Antony Blinken", How::Pronoun), "{ms:?}");
}

#[test]
fn trap_sentence_initial_the_and_common_words() {
    let ms = mentions(
        "The Meanwhile said nothing. However Quite Often nobody came.",
        "2023-06-19",
    );
    assert!(
        !ms.iter()
            .any(|(t, ..)| t.starts_with("The") || t.starts_with("However")),
        "{ms:?}"
    );
}

#[test]
fn trap_may_the_month_and_theresa_may() {
    let ms = mentions(
        "Prime Minister Theresa May met reporters on May 5. May said the deal was ready.",
        "2019-05-06",
    );
    assert!(
        has(&ms, "Theresa May", "Theresa May", How::Gazetteer),
        "{ms:?}"
    );
    assert!(has(&ms, "May", "Theresa May", How::Surname), "{ms:?}");
    // the month is not a person
    let months: Vec<_> = ms.iter().filter(|(t, ..)| t == "May").collect();
    assert_eq!(months.len(), 1, "{ms:?}");
    let ms = mentions("Talks resumed in May after a pause.", "2019-06-06");
    assert!(ms.is_empty(), "{ms:?}");
}

#[test]
fn trap_turkey_the_country_not_the_bird() {
    let ms = mentions(
        "Turkey hosted the talks. They served roast turkey.",
        "2023-06-19",
    );
    let t: Vec<_> = ms
        .iter()
        .filter(|(t, ..)| t.eq_ignore_ascii_case("turkey"))
        .collect();
    assert_eq!(t.len(), 1, "{ms:?}");
    assert_eq!(t[0].3, "place");
}

#[test]
fn trap_headline_case_is_not_a_name() {
    let ms = mentions(
        "Leaders Vow To Keep Talking After Long Night\n\nPARIS (AFP) -\n\nThe talks ended.",
        "2023-06-19",
    );
    assert!(
        !ms.iter()
            .any(|(t, ..)| t.contains("Vow") || t.contains("Long Night")),
        "{ms:?}"
    );
}

#[test]
fn office_title_resolves_on_the_date() {
    let ms = mentions("The Secretary of State arrived.", "2023-06-19");
    assert!(
        has(&ms, "Secretary of State", "Antony Blinken", How::Office),
        "{ms:?}"
    );
    let ms = mentions("The Secretary of State arrived.", "1900-06-19");
    assert!(
        ms.iter()
            .any(|(t, e, ..)| t == "Secretary of State" && e.is_empty()),
        "{ms:?}"
    );
}

#[test]
fn adjectives_and_compounds_mention_both_countries() {
    let ms = mentions("The U.S.-Angolan partnership grew.", "2024-12-03");
    assert_eq!(entity_of(&ms, "U.S."), Some("United States"));
    assert_eq!(entity_of(&ms, "Angolan"), Some("Angola"));
}

#[test]
fn state_bodies_speak_for_their_country() {
    let ms = mentions(
        "France protested on Monday. The foreign ministry said the move was unlawful.",
        "2023-06-19",
    );
    assert!(has(&ms, "foreign ministry", "France", How::Title), "{ms:?}");
    let ms = mentions(
        "The Japanese government said it would respond.",
        "2023-06-19",
    );
    assert!(has(&ms, "government", "Japan", How::Title), "{ms:?}");
}

#[test]
fn a_place_named_after_a_person_is_one_place_and_the_person_is_still_known() {
    let ms = mentions(
        "The two ministers signed the accord at the Harry S. Truman Library. \
         Truman had proposed such a pact in 1949.",
        "2019-05-14",
    );
    assert!(
        ms.iter().any(|(t, _, h, k)| t == "Harry S. Truman Library"
            && *h == How::Inferred
            && *k == "place"),
        "{ms:?}"
    );
    assert!(!ms.iter().any(|(t, ..)| t == "Harry S. Truman"), "{ms:?}");
    assert_eq!(entity_of(&ms, "Truman"), Some("Harry S. Truman"), "{ms:?}");
}

#[test]
fn a_deputy_title_picks_the_holder_among_namesakes() {
    // two gazetteer people are "Campbell"; only one was deputy secretary of state in 2024
    let ms = mentions(
        "Deputy Secretary of State Campbell flew to Manila.",
        "2024-09-19",
    );
    assert_eq!(entity_of(&ms, "Campbell"), Some("Kurt Campbell"), "{ms:?}");
}

/// The per-token flags agree with the sets and phrase tables they stand for.
#[test]
fn token_flags_agree_with_the_tables() {
    use super::model::bit;
    let m = &pipeline().entities;
    let lex = &pipeline().lexicon;
    // every listed word and phrase, as written, lower-cased and capitalised
    let mut words: Vec<String> = Vec::new();
    for stem in [
        "common_words",
        "place_forms",
        "name_particles",
        "role_modifiers",
        "month_context",
        "locatives",
        "person_nouns",
        "state_bodies",
    ] {
        words.extend(lex.list(stem).iter().cloned());
    }
    for (stem, col) in [
        ("titles", "title"),
        ("roles", "phrase"),
        ("speech_verbs", "form"),
        ("org_forms", "word"),
        ("name_intros", "phrase"),
        ("pronouns", "pronoun"),
        ("months", "name"),
        ("weekdays", "name"),
    ] {
        words.extend(
            lex.rows(stem, &[col])
                .unwrap()
                .into_iter()
                .map(|r| r.1[0].clone()),
        );
    }
    let mut text = String::new();
    for w in &words {
        let mut cap = w.chars();
        let cap: String = cap
            .next()
            .map(|c| c.to_uppercase().chain(cap).collect())
            .unwrap_or_default();
        for v in [w.clone(), w.to_lowercase(), w.to_uppercase(), cap] {
            text.push_str(&v);
            text.push_str(" x ");
        }
    }
    text.push_str("The the THE tHe Thé Éclair éclair İstanbul Mr. MAY May may ( (( x( (x) ((");
    let doc = pipeline().document.parse("t", text, None);
    let b = super::model::Builder::for_test(m, &doc);
    let mut seen = 0;
    let mut nexts = [bit::TITLE, bit::NAME_WORD, bit::THE, bit::LOCATIVE].map(|b| (b, 0));
    for (i, t) in doc.tokens.iter().enumerate() {
        let s = doc.slice(t.span);
        let word = t.kind == crate::document::TokenKind::Word;
        let exact = [
            (bit::COMMON, m.common.contains(s)),
            (bit::ORG_SUFFIX, m.org_suffix.contains(s)),
            (bit::PLACE_SUFFIX, m.place_suffix.contains(s)),
            (bit::PARTICLE, m.particles.contains(s)),
            (bit::FULL_MONTH, word && m.full_months.contains(s)),
            (bit::ROLE_MODIFIER, m.role_modifiers.contains(doc.lower(i))),
            (bit::MONTH_CONTEXT, m.month_context.contains(doc.lower(i))),
            (bit::PRONOUN, m.pronouns.get_token(&doc, i).is_some()),
            (bit::THE, s.eq_ignore_ascii_case("the")),
            (bit::OPEN_PAREN, s == "("),
            (bit::UPPER, s.chars().next().is_some_and(char::is_uppercase)),
            (bit::LOWER, s.chars().next().is_some_and(char::is_lowercase)),
            (
                bit::NAME_WORD,
                word && !m.full_months.contains(s)
                    && s.chars().next().is_some_and(char::is_uppercase),
            ),
        ];
        // the next token with a flag is the first one from here on that has it
        for (bit, next) in &mut nexts {
            while *next < i || (*next < doc.tokens.len() && !b.has(*next, *bit)) {
                *next += 1;
            }
            assert_eq!(b.next_with(i, *bit), *next, "next {bit:#x} from {s:?}");
        }
        for (bit, want) in exact {
            assert_eq!(b.has(i, bit), want, "bit {bit:#x} of {s:?}");
            seen += usize::from(want);
        }
        // a phrase can only start where its first-word bit is set
        let starts = [
            (bit::TITLE, m.titles.longest_at(&doc, i).is_some()),
            (bit::ROLE, m.roles.longest_at(&doc, i).is_some()),
            (bit::SPEECH, m.speech.longest_at(&doc, i).is_some()),
            (bit::ORG_PREFIX, m.org_prefix.longest_at(&doc, i).is_some()),
            (bit::LOCATIVE, m.locatives.longest_at(&doc, i).is_some()),
            (
                bit::PERSON_NOUN,
                m.person_nouns.longest_at(&doc, i).is_some(),
            ),
            (bit::NAME_INTRO, m.name_intros.longest_at(&doc, i).is_some()),
            (
                bit::STATE_BODY,
                m.state_bodies.longest_at(&doc, i).is_some(),
            ),
        ];
        for (bit, found) in starts {
            assert!(!found || b.has(i, bit), "bit {bit:#x} of {s:?}");
            seen += usize::from(found);
        }
    }
    assert!(seen > 1000, "the test text exercises the tables ({seen})");
    assert_eq!(
        b.next_with(doc.tokens.len() + 3, bit::THE),
        doc.tokens.len()
    );
}

#[test]
fn slug_into_agrees_with_slug() {
    for s in [
        "Jane Roe",
        "Côte d'Ivoire",
        "O'Brien, Jr.",
        "ŒUVRE straße  Ærø",
        "  -- ",
        "",
        "Łódź 2024 · 北京",
        "Al-Sisi’s",
    ] {
        let mut out = String::from("x:");
        super::model::slug_into(s, &mut out);
        assert_eq!(out, format!("x:{}", crate::gazetteer::slug(s)), "{s}");
    }
}

#[test]
fn plural_title_over_named_countries() {
    let ms = mentions(
        "The foreign ministers of Russia and Turkey met in Moscow on Tuesday.",
        "2019-03-12",
    );
    assert!(has(&ms, "Russia", "Sergei Lavrov", How::Office), "{ms:?}");
    assert!(
        has(&ms, "Turkey", "Mevlüt Çavuşoğlu", How::Office),
        "{ms:?}"
    );
    assert_eq!(entity_of(&ms, "Moscow"), Some("Moscow"));
}

#[test]
fn plural_title_after_country_adjectives() {
    let ms = mentions(
        "The Chinese and Indian foreign ministers will meet next month.",
        "2019-03-12",
    );
    assert!(has(&ms, "Chinese", "Wang Yi", How::Office), "{ms:?}");
    assert!(has(&ms, "Indian", "Sushma Swaraj", How::Office), "{ms:?}");
}

#[test]
fn plural_title_over_a_list_of_three() {
    let ms = mentions(
        "The prime ministers of Japan, Australia, and India spoke on Friday.",
        "2019-05-14",
    );
    assert!(has(&ms, "Japan", "Shinzo Abe", How::Office), "{ms:?}");
    assert!(
        has(&ms, "Australia", "Scott Morrison", How::Office),
        "{ms:?}"
    );
    assert!(has(&ms, "India", "Narendra Modi", How::Office), "{ms:?}");
}

#[test]
fn plural_title_needs_a_coordination_and_holders() {
    // one country only: not this rule
    let ms = mentions("The foreign ministers of Russia met.", "2019-03-12");
    assert!(has(&ms, "Russia", "Russia", How::Gazetteer), "{ms:?}");
    // no office role in the plural
    let ms = mentions("The ministers of Russia and Turkey met.", "2019-03-12");
    assert!(has(&ms, "Turkey", "Turkey", How::Gazetteer), "{ms:?}");
    // no one held the offices on the date: the countries stay places
    let ms = mentions(
        "The foreign ministers of Russia and Turkey met.",
        "1700-01-01",
    );
    assert!(has(&ms, "Russia", "Russia", How::Gazetteer), "{ms:?}");
    assert!(has(&ms, "Turkey", "Turkey", How::Gazetteer), "{ms:?}");
}

#[test]
fn plural_of_role_phrases() {
    use super::model::plural_phrase;
    assert_eq!(plural_phrase("foreign minister"), "foreign ministers");
    assert_eq!(plural_phrase("head of state"), "heads of state");
    assert_eq!(plural_phrase("secretary of state"), "secretaries of state");
    assert_eq!(plural_phrase("strongman"), "strongmen");
    assert_eq!(plural_phrase("monarch"), "monarchs");
    assert_eq!(plural_phrase("premier"), "premiers");
}

#[test]
fn tidy_agrees_with_its_reference() {
    use super::infer::{tidy, tidy_reference};
    for s in [
        "",
        " ",
        "JANE ROE",
        "Jane ROE",
        "jane roe",
        "A",
        "A B",
        "O'BRIEN  MACK",
        "ÉLODIE ÇAKIR",
        "ΟΔΥΣΣΕΥΣ Σ",
        "İSTANBUL",
        "AL-SISI JR.",
        "X1 2B ßS",
    ] {
        assert_eq!(tidy(s), tidy_reference(s), "{s:?}");
    }
    assert_eq!(tidy("JANE ROE"), "Jane Roe");
}

#[test]
fn short_forms_agree_with_attr_list() {
    let g = &pipeline().entities.gazetteer;
    let mut seen = 0;
    for e in &g.entities {
        let fast: Vec<&str> = super::model::short_forms(e).collect();
        assert_eq!(fast, e.attr_list("short"), "{}", e.id);
        seen += fast.len();
    }
    assert!(seen > 0, "the gazetteer has short forms");
}

#[test]
fn claimed_spans_added_out_of_order_are_refused_as_overlaps() {
    use crate::document::Span;
    use crate::gazetteer::EntityKind;
    let m = &pipeline().entities;
    let text = "word ".repeat(200);
    let doc = pipeline().document.parse("t", text, None);
    let mut b = super::model::Builder::for_test(m, &doc);
    let add = |b: &mut super::model::Builder, s: usize, e: usize| {
        b.add(Span::new(s, e), None, EntityKind::Person, How::Inferred)
    };
    // backwards, as a second pass over a long document adds them
    assert!(add(&mut b, 900, 904));
    for k in (0..100).rev() {
        assert!(add(&mut b, 5 * k, 5 * k + 4));
    }
    // in order after the last one: appended
    assert!(add(&mut b, 950, 954));
    // overlaps are refused whichever set holds the span
    for (s, e) in [(2, 6), (0, 1), (903, 905), (949, 951), (498, 500)] {
        assert!(b.is_claimed(Span::new(s, e)), "{s}..{e}");
        assert!(!add(&mut b, s, e), "{s}..{e}");
    }
    for (s, e) in [(4, 5), (500, 500), (904, 950), (954, 999)] {
        assert!(!b.is_claimed(Span::new(s, e)), "{s}..{e}");
    }
}

/// The claimed-byte bits answer as the list of claimed spans they replace
/// (any byte of a span inside one; an empty span strictly inside one),
/// for spans added in any order, across word boundaries.
#[test]
fn claimed_bits_agree_with_a_span_list() {
    use crate::document::Span;
    let len = 700;
    let mut bits = super::model::Claimed::for_text(len);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let reference = |spans: &[(usize, usize)], s: usize, e: usize| {
        spans.iter().any(|&(a, b)| a < e && b > s)
            && (s < e || spans.iter().any(|&(a, b)| a < s && s < b))
    };
    // a fixed pseudo-random sequence of spans (xorshift)
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    for _ in 0..400 {
        let s = next(len);
        let e = (s + next(150)).min(len);
        let claimed = bits.any(Span::new(s, e));
        assert_eq!(claimed, reference(&spans, s, e), "{s}..{e}");
        if s < e && !claimed {
            bits.set(Span::new(s, e));
            spans.push((s, e));
        }
    }
    assert!(spans.len() > 10, "some spans were added");
    for s in 0..=len {
        for e in [s, s + 1, s + 3, s + 64, s + 130] {
            assert_eq!(
                bits.any(Span::new(s, e)),
                reference(&spans, s, e),
                "{s}..{e}"
            );
        }
    }
}

/// The token flags read from the compact word table (filter, slots with
/// the word inline, ASCII compare eight bytes at a time) equal those read
/// from the map of the words as built, for written forms in every case,
/// non-ASCII and long words, and words at the very end of the text (where
/// sixteen bytes cannot be read). `Builder::new` asserts the equality under
/// test; this text gives it the awkward cases.
#[test]
fn token_flags_agree_with_the_word_map() {
    let m = &pipeline().entities;
    let texts = [
        "The THE the tHe May MAY may Party PARTY party said SAID Said. Bin bin BIN al-Assad \
         İstanbul ÉCOLE Ökonom \u{212A}ing said the ministers MINISTER Monday monday MONDAY \
         in In IN his His HIS ( ) Square square SQUARE Internationalization the",
        "the",
        "She",
        "In May, the Foreign Minister said",
        "Παρίσι Ministry of Élysée said he",
        // the byte of "(" with bit 5 flipped (no capital of it), digits
        "x \u{8} ( \u{8}( 1the THE) tHE",
    ];
    for t in texts {
        let doc = pipeline().document.parse("t", t.to_string(), None);
        // (asserts the flags equal the reference's)
        let b = super::model::Builder::for_test(m, &doc);
        let n = doc.tokens.len();
        assert!(n > 0);
        assert!((0..n).any(|i| b.has(i, u32::MAX)), "{t}");
    }
}

/// `Builder::tok_bytes` is the bytes of `Builder::tok` (empty past the
/// last token), so byte literals compare as the text literals did.
#[test]
fn tok_bytes_are_the_token_text() {
    let m = &pipeline().entities;
    let doc = pipeline().document.parse(
        "t",
        "Jean-Marie O’Neil and Sons & Co. said".to_string(),
        None,
    );
    let b = super::model::Builder::for_test(m, &doc);
    for i in 0..doc.tokens.len() {
        assert_eq!(b.tok_bytes(i), b.tok(i).as_bytes(), "{i}");
    }
    assert!(b.tok_bytes(doc.tokens.len()).is_empty());
    assert!((0..doc.tokens.len()).any(|i| b.tok_bytes(i) == b"&"));
}

/// A value shared by doc entities reads, compares, iterates, prints and
/// serializes as the value; changing one copy leaves the others alone.
#[test]
fn shared_values_read_as_the_value_and_copy_on_write() {
    use crate::entities::Shared;
    use std::collections::BTreeMap;
    let v = vec!["a".to_string(), "b".to_string()];
    let a: Shared<Vec<String>> = Shared::new(v.clone());
    let mut b = a.clone();
    assert_eq!(*a, v);
    assert_eq!(format!("{a:?}"), format!("{v:?}"));
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&v).unwrap()
    );
    assert_eq!(
        (&a).into_iter().collect::<Vec<_>>(),
        v.iter().collect::<Vec<_>>()
    );
    b.make_mut().push("c".into());
    assert_eq!(*a, v);
    assert_eq!(b.len(), 3);
    assert_ne!(a, b);
    let mut e: Shared<Vec<String>> = Shared::default();
    assert!(e.is_empty());
    assert_eq!(e, Shared::new(Vec::new()));
    assert_eq!(serde_json::to_string(&e).unwrap(), "[]");
    e.make_mut().push("x".into());
    assert_eq!(*e, vec!["x".to_string()]);
    let m: Shared<BTreeMap<String, String>> =
        [("k".to_string(), "v".to_string())].into_iter().collect();
    assert_eq!(m.get("k").map(String::as_str), Some("v"));
    let empty: Shared<BTreeMap<String, String>> = Shared::default();
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    assert_eq!(format!("{empty:?}"), "{}");
}

/// The doc entities of a gazetteer entity in two documents share its
/// aliases; a form one document adds stays in that document, and each
/// equals the entity made with its own copies.
#[test]
fn gazetteer_entities_share_aliases_until_a_document_adds_a_form() {
    let p = pipeline();
    let date = Some("2023-06-19".parse().unwrap());
    let a = p.annotate("a", "ANTONY BLINKEN arrived in Oman.", date);
    let b = p.annotate("b", "Antony Blinken arrived in Oman.", date);
    let find = |l: &crate::entities::EntityLayer| {
        l.entities
            .iter()
            .find(|e| e.name == "Antony Blinken")
            .cloned()
            .expect("Blinken is in the gazetteer")
    };
    let (ea, eb) = (find(&a.entities), find(&b.entities));
    let g = &p.entities.gazetteer.entities[eb.gazetteer.unwrap()];
    let reference = super::model::gaz_doc_entity_reference(g, eb.gazetteer.unwrap());
    assert_eq!(eb, reference);
    assert!(ea.aliases.iter().any(|x| x == "ANTONY BLINKEN"), "{ea:?}");
    assert!(!eb.aliases.iter().any(|x| x == "ANTONY BLINKEN"), "{eb:?}");
    assert_eq!(ea.aliases.len(), eb.aliases.len() + 1);
    // a third document still sees the gazetteer's list alone
    let c = p.annotate("c", "Antony Blinken left.", date);
    assert_eq!(find(&c.entities).aliases, eb.aliases);
}

/// Putting the mentions added since the last sort in place gives what a
/// stable sort of them all gives, whatever the order of the new ones (few
/// or many), with ties (told apart by their sentence numbers).
#[test]
fn merging_new_mentions_is_a_stable_sort() {
    use crate::document::Span;
    use crate::entities::Mention;
    use crate::gazetteer::EntityKind;
    use proptest::prelude::*;
    let mention = |(start, len, id): (usize, usize, usize)| Mention {
        span: Span::new(start, start + len),
        entity: None,
        kind: EntityKind::Person,
        how: How::Gazetteer,
        sentence: id,
        role: None,
        title: None,
    };
    proptest!(|(
        old in proptest::collection::vec((0usize..40, 1usize..4), 0..30),
        new in proptest::collection::vec((0usize..40, 1usize..4), 0..12),
        extra in 0usize..3,
    )| {
        let mut old: Vec<(usize, usize)> = old;
        old.sort();
        let all: Vec<(usize, usize)> = old.iter().chain(&new).copied().collect();
        let mut ms: Vec<Mention> = all
            .iter()
            .enumerate()
            .map(|(id, &(s, l))| mention((s, l, id)))
            .collect();
        let mut reference = ms.clone();
        reference.sort_by_key(|m| (m.span.start, m.span.end));
        // (a caller may know fewer to be in order than are)
        let sorted = old.len().saturating_sub(extra);
        super::model::merge_new_mentions(&mut ms, sorted);
        prop_assert_eq!(ms, reference);
    });
}
