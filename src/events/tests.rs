//! Tests of the events stage on sentences written for them.

use super::{Event, EventKind, Status};
use crate::dates::{Timex, TimexType};
use crate::document::Span;
use crate::pipeline::{Annotated, Pipeline};
use chrono::NaiveDate;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::embedded().expect("embedded data loads"))
}

fn run(text: &str) -> Annotated {
    pipeline().annotate("test", text, NaiveDate::from_ymd_opt(2019, 5, 14))
}

/// Run with hand-made DATE timexes: (text of the expression, value).
fn run_with_dates(text: &str, dates: &[(&str, &str)]) -> (Annotated, Vec<Event>) {
    let p = pipeline();
    let a = run(text);
    let timexes: Vec<Timex> = dates
        .iter()
        .map(|(t, v)| {
            let i = text.find(t).expect("timex text in sentence");
            Timex {
                span: Span::new(i, i + t.len()),
                text: t.to_string(),
                kind: TimexType::DATE,
                value: v.to_string(),
                modifier: None,
                anchored: false,
            }
        })
        .collect();
    let evs = p
        .events
        .extract(&a.doc, &a.entities, &timexes, &a.statements);
    (a, evs)
}

fn names(a: &Annotated, es: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = es
        .iter()
        .map(|&e| a.entities.entities[e].name.clone())
        .collect();
    v.sort();
    v
}

fn place(a: &Annotated, e: &Event) -> Option<String> {
    e.place.map(|p| a.entities.entities[p].name.clone())
}

fn of_kind(evs: &[Event], k: EventKind) -> Vec<&Event> {
    evs.iter().filter(|e| e.kind == k).collect()
}

/// The only event of kind `k` (the test fails, listing the events, otherwise).
fn only(a: &Annotated, k: EventKind) -> &Event {
    let v = of_kind(&a.events, k);
    assert_eq!(v.len(), 1, "{:?}", a.events);
    v[0]
}

/// No event of kind `k`.
fn assert_none(a: &Annotated, k: EventKind) {
    assert!(of_kind(&a.events, k).is_empty(), "{:?}", a.events);
}

#[test]
fn verb_meeting_with_place_and_date() {
    let text = "Vladimir Putin met Angela Merkel in Sochi on Friday to discuss gas supplies.";
    let (a, evs) = run_with_dates(text, &[("on Friday", "2019-05-10")]);
    assert_eq!(evs.len(), 1, "{evs:?}");
    let e = &evs[0];
    assert_eq!(e.kind, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Angela Merkel", "Vladimir Putin"]
    );
    assert!(e.hosts.is_empty());
    assert_eq!(place(&a, e).as_deref(), Some("Sochi"));
    assert_eq!(e.date.as_deref(), Some("2019-05-10"));
    assert_eq!(e.status, Status::Occurred);
    assert_eq!(e.cameo, "040");
}

#[test]
fn coordinated_subject_and_noun_talks() {
    let text =
        "Emmanuel Macron and Angela Merkel held talks in Berlin. The talks lasted three hours.";
    let a = run(text);
    let meetings = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &meetings[0].participants),
        vec!["Angela Merkel", "Emmanuel Macron"]
    );
    // the second sentence refers back: one event, two evidence spans
    assert_eq!(meetings[0].evidence.len(), 2);
    assert_eq!(meetings[0].cameo, "046");
}

#[test]
fn talks_between_two_people() {
    let text = "The talks between Vladimir Putin and Angela Merkel ended without a deal.";
    let a = run(text);
    let meetings = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &meetings[0].participants),
        vec!["Angela Merkel", "Vladimir Putin"]
    );
}

#[test]
fn hosting_gives_a_host() {
    let text = "Emmanuel Macron received Angela Merkel at the Elysee Palace in Paris.";
    let a = run(text);
    let e = &a.events[0];
    assert_eq!(e.kind, EventKind::Meeting);
    assert_eq!(names(&a, &e.hosts), vec!["Emmanuel Macron"]);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Angela Merkel", "Emmanuel Macron"]
    );
    assert_eq!(e.cameo, "043");
    assert_eq!(
        a.entities.entities[e.source_actor.unwrap()].name,
        "Emmanuel Macron"
    );
}

#[test]
fn phone_call() {
    let text = "Angela Merkel spoke by phone with Vladimir Putin about the pipeline.";
    let a = run(text);
    assert_eq!(a.events.len(), 1, "{:?}", a.events);
    let e = &a.events[0];
    assert_eq!(e.kind, EventKind::Call);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Angela Merkel", "Vladimir Putin"]
    );
    assert_eq!(e.place, None);
    assert_eq!(e.cameo, "041");
}

#[test]
fn visit_has_visitor_and_destination() {
    let text = "Angela Merkel visited Moscow last spring. Her visit to Moscow was short.";
    let a = run(text);
    let visits = [only(&a, EventKind::Visit)];
    assert_eq!(names(&a, &visits[0].participants), vec!["Angela Merkel"]);
    assert_eq!(place(&a, visits[0]).as_deref(), Some("Moscow"));
    assert_eq!(visits[0].cameo, "042");
    assert_eq!(visits[0].evidence.len(), 2);
}

#[test]
fn visit_by_agent() {
    let text = "Leaders praised the first visit by Angela Merkel to Moscow.";
    let a = run(text);
    let visits = [only(&a, EventKind::Visit)];
    assert_eq!(names(&a, &visits[0].participants), vec!["Angela Merkel"]);
    assert_eq!(place(&a, visits[0]).as_deref(), Some("Moscow"));
}

#[test]
fn third_location_meeting() {
    let text = "Vladimir Putin met Emmanuel Macron on the sidelines of a summit in Osaka.";
    let a = run(text);
    let e = &a.events[0];
    assert_eq!(place(&a, e).as_deref(), Some("Osaka"));
    assert_eq!(e.cameo, "044");
}

#[test]
fn planned_events() {
    let a = run("Angela Merkel will meet Vladimir Putin in Sochi.");
    assert_eq!(a.events[0].status, Status::Planned);
    assert_eq!(a.events[0].cameo, "036");
    let a = run("Emmanuel Macron agreed to pay a return visit to Germany.");
    let v = [only(&a, EventKind::Visit)];
    assert_eq!(v[0].status, Status::Planned);
    assert_eq!(place(&a, v[0]).as_deref(), Some("Germany"));
}

#[test]
fn future_date_makes_planned() {
    let text = "Vladimir Putin and Angela Merkel meet in Sochi in July.";
    let (_, evs) = run_with_dates(text, &[("July", "2019-07")]);
    assert_eq!(evs[0].status, Status::Planned);
    assert_eq!(evs[0].date.as_deref(), Some("2019-07"));
}

#[test]
fn cancelled_event() {
    let text = "Angela Merkel abruptly called off a trip to Moscow.";
    let a = run(text);
    let v = [only(&a, EventKind::Visit)];
    assert_eq!(v[0].status, Status::Cancelled);
    assert_eq!(names(&a, &v[0].participants), vec!["Angela Merkel"]);
}

#[test]
fn a_trip_called_off_further_on_in_its_sentence_is_cancelled() {
    // the passive cue comes after the trigger's whole noun phrase
    let text = "A long-awaited visit by Angela Merkel to Moscow in the spring was called off.";
    let a = run(text);
    let v = only(&a, EventKind::Visit);
    assert_eq!(v.status, Status::Cancelled);
    assert_eq!(names(&a, &v.participants), vec!["Angela Merkel"]);
}

#[test]
fn negated_meeting_is_no_event() {
    let a = run("Angela Merkel did not meet Vladimir Putin.");
    assert!(a.events.is_empty(), "{:?}", a.events);
}

#[test]
fn the_two_leaders_is_the_pair() {
    let text = "Vladimir Putin welcomed Angela Merkel in Sochi. Later the two leaders met again in private.";
    let a = run(text);
    let meetings = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &meetings[0].participants),
        vec!["Angela Merkel", "Vladimir Putin"]
    );
    assert_eq!(meetings[0].evidence.len(), 2);
}

#[test]
fn dedup_keeps_distinct_events_apart() {
    let text = "Angela Merkel met Vladimir Putin in Sochi. Angela Merkel will meet Vladimir Putin again in Berlin.";
    let a = run(text);
    let meetings = of_kind(&a.events, EventKind::Meeting);
    assert_eq!(meetings.len(), 2, "{:?}", a.events);
    assert_eq!(meetings[0].status, Status::Occurred);
    assert_eq!(meetings[1].status, Status::Planned);
}

#[test]
fn dateline_city_and_document_date_for_lead_report() {
    let text = "BERLIN, May 14, 2019 (AFP)\n\nAngela Merkel held talks with Emmanuel Macron.\n";
    let a = pipeline().annotate("t", text, None);
    let e = &a.events[0];
    assert_eq!(place(&a, e).as_deref(), Some("Berlin"));
    assert_eq!(e.date.as_deref(), Some("2019-05-14"));
}

#[test]
fn no_panic_on_odd_text() {
    for t in [
        "",
        "met",
        "the talks",
        "Visit — é visited ünïcode met with",
        "They met. They met. They met.",
    ] {
        let _ = run(t);
    }
}

#[test]
fn noun_with_its_own_participants_is_another_event() {
    let text = "The meeting between Emmanuel Macron and Angela Merkel was their first since talks between Emmanuel Macron and Vladimir Putin in March.";
    let a = run(text);
    let meetings = of_kind(&a.events, EventKind::Meeting);
    assert_eq!(meetings.len(), 2, "{:?}", a.events);
    assert_eq!(
        names(&a, &meetings[1].participants),
        vec!["Emmanuel Macron", "Vladimir Putin"]
    );
}

#[test]
fn summit_named_by_an_organization_stays_with_its_meeting() {
    let text = "Angela Merkel met Emmanuel Macron in Brussels on the sidelines of a NATO summit.";
    let a = run(text);
    only(&a, EventKind::Meeting);
}

#[test]
fn subject_shared_by_a_long_list_of_verb_phrases() {
    let text = "Angela Merkel was scheduled to lay a wreath at the old memorial, talk to the guards and the survivors of the war and meet with Emmanuel Macron.";
    let a = run(text);
    let meetings = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &meetings[0].participants),
        vec!["Angela Merkel", "Emmanuel Macron"]
    );
    assert_eq!(meetings[0].status, Status::Planned);
}

#[test]
fn possessor_before_a_long_modifier() {
    let text = "The main goal of Vladimir Putin's four-day state visit was a new trade deal.";
    let a = run(text);
    let visits = [only(&a, EventKind::Visit)];
    assert_eq!(names(&a, &visits[0].participants), vec!["Vladimir Putin"]);
}

#[test]
fn visit_destination_after_a_noun_phrase_and_head_to() {
    let text = "Angela Merkel visited the North African country of Tunisia. Vladimir Putin headed to Paris.";
    let a = run(text);
    let visits = of_kind(&a.events, EventKind::Visit);
    assert_eq!(visits.len(), 2, "{:?}", a.events);
    assert_eq!(place(&a, visits[0]).as_deref(), Some("Tunisia"));
    assert_eq!(place(&a, visits[1]).as_deref(), Some("Paris"));
    assert_eq!(names(&a, &visits[1].participants), vec!["Vladimir Putin"]);
}

#[test]
fn list_inside_a_prepositional_phrase_is_not_the_subject() {
    let text = "Emmanuel Macron met Angela Merkel in Paris. Both leaders praised the ties between France and Germany during a welcoming ceremony.";
    let a = run(text);
    let meetings = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &meetings[0].participants),
        vec!["Angela Merkel", "Emmanuel Macron"]
    );
}

#[test]
fn undated_event_takes_the_story_day() {
    let text = "BERLIN (AP) _ Angela Merkel met Emmanuel Macron on Monday.\n\nThe two discussed trade. They also discussed energy. Officials were pleased.\n\nLater, Angela Merkel held talks with Vladimir Putin.\n";
    let (a, evs) = run_with_dates(text, &[("on Monday", "2019-05-13")]);
    let talks: Vec<&Event> = evs
        .iter()
        .filter(|e| names(&a, &e.participants).contains(&"Vladimir Putin".to_string()))
        .collect();
    assert_eq!(talks.len(), 1, "{evs:?}");
    assert_eq!(talks[0].date.as_deref(), Some("2019-05-13"));
}

#[test]
fn story_day_never_makes_two_events_one() {
    let text =
        "Vladimir Putin's state visit ended quietly. Vladimir Putin also planned to visit Munich.";
    let a = run(text);
    let visits = of_kind(&a.events, EventKind::Visit);
    assert_eq!(visits.len(), 2, "{:?}", a.events);
    // even when both carry the story day, the graph keeps two nodes
    let g = crate::graph::KnowledgeGraph::from_annotated(&a);
    assert_eq!(g.counts().get("visit"), Some(&2), "{:?}", g.counts());
}

#[test]
fn relative_clause_subject_even_after_a_preposition() {
    let text = "Berlin laid on a warm welcome for Angela Merkel, who had lunch with \
                Vice President Joe Biden before visiting the Oval Office.";
    let a = run(text);
    let lunch = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &lunch[0].participants),
        vec!["Angela Merkel", "Joe Biden"]
    );
    // the title before "Biden" does not make him the subject of "visiting"
    let visit = [only(&a, EventKind::Visit)];
    assert_eq!(names(&a, &visit[0].participants), vec!["Angela Merkel"]);
    assert_eq!(place(&a, visit[0]).as_deref(), Some("Oval Office"));
}

#[test]
fn object_her_is_a_participant_but_her_counterpart_is_not() {
    let a = run(
        "Angela Merkel flew in on Sunday. Mitch McConnell met with her and other \
                 German leaders.",
    );
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Angela Merkel", "Mitch McConnell"]
    );
    let a = run("Angela Merkel flew in on Sunday. Mitch McConnell met her counterpart.");
    assert!(
        of_kind(&a.events, EventKind::Meeting)
            .iter()
            .all(|e| names(&a, &e.participants) == vec!["Mitch McConnell"]),
        "{:?}",
        a.events
    );
}

#[test]
fn weekdays_count_from_the_story_day_not_the_paper_date() {
    // dated Friday 2019-05-17; the story is about Wednesday 2019-05-15
    let text = "Angela Merkel visited the White House on Wednesday. She will visit \
                Capitol Hill on Thursday.";
    let a = pipeline().annotate("test", text, NaiveDate::from_ymd_opt(2019, 5, 17));
    let v = of_kind(&a.events, EventKind::Visit);
    let hill = v
        .iter()
        .find(|e| place(&a, e).as_deref() == Some("Capitol Hill"))
        .expect("visit to Capitol Hill");
    assert_eq!(hill.status, Status::Planned);
    assert_eq!(hill.date.as_deref(), Some("2019-05-16"));
    let wh = v
        .iter()
        .find(|e| place(&a, e).as_deref() == Some("White House"))
        .expect("visit to the White House");
    assert_eq!(wh.date.as_deref(), Some("2019-05-15"));
}

#[test]
fn a_meeting_without_a_place_is_where_the_scene_or_a_same_day_visit_put_it() {
    // the participant's last visit of the day
    let text = "NAIROBI, May 14 (AP) - Angela Merkel flew to Mombasa on Tuesday. \
                Later she met with President Uhuru Kenyatta.";
    let a = run(text);
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(place(&a, m[0]).as_deref(), Some("Mombasa"));
    // a scene set by a sentence opening "In <place>,"
    let text = "NAIROBI, May 14 (AP) - Angela Merkel arrived on Tuesday.\n\n\
                In Mombasa, she laid a wreath at the harbour.\n\n\
                Speaking at a joint news conference with Merkel, President Uhuru \
                Kenyatta praised the port workers.";
    let a = run(text);
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(place(&a, m[0]).as_deref(), Some("Mombasa"));
}

#[test]
fn an_undated_event_continues_the_date_of_the_one_before() {
    let text = "Angela Merkel invited Mitch McConnell to visit her in January 2012. \
                McConnell met with her and other German leaders.";
    let (a, evs) = run_with_dates(text, &[("January 2012", "2012-01")]);
    let m = of_kind(&evs, EventKind::Meeting);
    assert_eq!(m.len(), 1, "{evs:?}");
    assert_eq!(m[0].date.as_deref(), Some("2012-01"));
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Angela Merkel", "Mitch McConnell"]
    );
}

#[test]
fn my_meeting_inside_a_quote_is_the_speakers() {
    let text = "\"In my first meeting with him, he was blunt,\" said Mitch McConnell, \
                speaking of Angela Merkel.";
    let a = run(text);
    let m = [only(&a, EventKind::Meeting)];
    assert!(
        names(&a, &m[0].participants).contains(&"Mitch McConnell".to_string()),
        "{:?}",
        names(&a, &m[0].participants)
    );
}

#[test]
fn a_summit_set_for_a_city_is_held_there() {
    let text = "The issue is expected to dominate a NATO summit set for Washington in April.";
    let (a, evs) = run_with_dates(text, &[("April", "2019-04")]);
    let m = of_kind(&evs, EventKind::Meeting);
    assert_eq!(m.len(), 1, "{evs:?}");
    assert_eq!(place(&a, m[0]).as_deref(), Some("Washington"));
    assert_eq!(m[0].status, Status::Planned);
}

#[test]
fn words_said_to_someone_at_a_named_place_are_a_meeting() {
    let text = "At the Elysee Palace on Tuesday, Emmanuel Macron told Olaf Scholz that \
                Europe must act.";
    let (a, evs) = run_with_dates(text, &[("Tuesday", "2019-05-14")]);
    let m = of_kind(&evs, EventKind::Meeting);
    assert_eq!(m.len(), 1, "{evs:?}");
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Emmanuel Macron", "Olaf Scholz"]
    );
    assert_eq!(place(&a, m[0]).as_deref(), Some("Élysée Palace"));
    assert_eq!(m[0].date.as_deref(), Some("2019-05-14"));
    // no place, no meeting: the words may have come by letter or phone
    let a = run("Emmanuel Macron told Olaf Scholz that Europe must act.");
    assert_none(&a, EventKind::Meeting);
}

#[test]
fn the_talks_with_nothing_before_them_are_the_foreign_pairs() {
    let text = "PARIS, May 14 (AFP) - Emmanuel Macron and Olaf Scholz signed a pact on \
                Tuesday. Scholz praised the deal. After the talks, both flew home.";
    let a = run(text);
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Emmanuel Macron", "Olaf Scholz"]
    );
    assert_eq!(place(&a, m[0]).as_deref(), Some("Paris"));
    // two people of one country: "the talks" may be anyone's
    let a = run(
        "Emmanuel Macron and Edouard Philippe signed a decree. After the talks, \
                 both went home.",
    );
    assert_none(&a, EventKind::Meeting);
}

#[test]
fn a_planned_trip_without_a_time_is_undated() {
    let text = "PARIS, May 14 (AFP) - Olaf Scholz agreed to pay a return visit to France.";
    let a = run(text);
    let v = [only(&a, EventKind::Visit)];
    assert_eq!(v[0].status, Status::Planned);
    assert_eq!(v[0].date, None);
}

#[test]
fn a_visit_to_a_country_is_to_the_city_the_story_puts_the_visitor_in() {
    let text = "Olaf Scholz met Emmanuel Macron in Lyon on Tuesday. Scholz is the first \
                chancellor in a decade to visit France.";
    let a = run(text);
    let v = [only(&a, EventKind::Visit)];
    assert_eq!(place(&a, v[0]).as_deref(), Some("Lyon"));
}

#[test]
fn on_the_sidelines_of_needs_two_participants() {
    let text = "Emmanuel Macron and Olaf Scholz launched the fund on the sidelines of \
                the NATO summit.";
    let a = run(text);
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Emmanuel Macron", "Olaf Scholz"]
    );
    assert_eq!(m[0].cameo, "044");
    let a = run("Emmanuel Macron spoke to reporters on the sidelines of the NATO summit.");
    assert!(
        of_kind(&a.events, EventKind::Meeting)
            .iter()
            .all(|e| !names(&a, &e.participants).contains(&"Emmanuel Macron".to_string())),
        "{:?}",
        a.events
    );
    // with a meeting verb in the sentence it is that meeting
    let a = run("Olaf Scholz met Emmanuel Macron on the sidelines of the NATO summit.");
    only(&a, EventKind::Meeting);
}

#[test]
fn a_scene_place_before_a_comma_is_not_a_list_with_the_subject() {
    let a = run("In Tokyo, Lula held a meeting with Fumio Kishida.");
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Fumio Kishida", "Luiz Inácio Lula da Silva"]
    );
    assert_eq!(place(&a, m[0]).as_deref(), Some("Tokyo"));
}

#[test]
fn countries_alone_meet_no_one_and_a_lone_press_conference_is_no_meeting() {
    let a = run("Kenya and Uganda must meet the new standards by June.");
    assert_none(&a, EventKind::Meeting);
    let a = run("Emmanuel Macron told a news conference in Paris that talks would resume.");
    assert!(
        of_kind(&a.events, EventKind::Meeting)
            .iter()
            .all(|e| e.participants.len() >= 2),
        "{:?}",
        a.events
    );
    let a = run("Emmanuel Macron held a joint news conference with Olaf Scholz in Paris.");
    only(&a, EventKind::Meeting);
}

#[test]
fn the_talks_inside_a_quotation_start_nothing() {
    let text = "Emmanuel Macron praised Olaf Scholz on Monday. \"We were pushed out of \
                the talks,\" Macron said.";
    let a = run(text);
    assert_none(&a, EventKind::Meeting);
    // the same words outside a quotation are the pair's talks
    let text = "Emmanuel Macron praised Olaf Scholz on Monday. After the talks, Macron \
                flew home.";
    let a = run(text);
    only(&a, EventKind::Meeting);
}

#[test]
fn an_organization_seat_right_after_a_locative_is_the_place() {
    let a = run("Vladimir Putin held talks with Xi Jinping at the Kremlin on Tuesday.");
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(place(&a, m[0]).as_deref(), Some("Kremlin"));
    // not an organization further on ("at the request of ...")
    let a = run("Vladimir Putin met Xi Jinping at the request of the United Nations.");
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(place(&a, m[0]), None);
}

#[test]
fn here_is_the_dateline_city_and_travel_phrases_are_visits() {
    let a = run("MOSCOW, May 14 (AP) - Xi Jinping arrived here on Monday for talks.");
    let v = [only(&a, EventKind::Visit)];
    assert_eq!(place(&a, v[0]).as_deref(), Some("Moscow"));
    for text in [
        "Sergei Lavrov landed in New Delhi on Monday.",
        "Sergei Lavrov left for New Delhi on Monday.",
        "Sergei Lavrov touched down in New Delhi on Monday.",
    ] {
        let a = run(text);
        let v = of_kind(&a.events, EventKind::Visit);
        assert_eq!(v.len(), 1, "{text}: {:?}", a.events);
        assert_eq!(place(&a, v[0]).as_deref(), Some("New Delhi"), "{text}");
    }
}

#[test]
fn attending_or_chairing_a_meeting_makes_a_participant() {
    for text in [
        "Olaf Scholz attended a summit of Baltic leaders in Riga.",
        "Olaf Scholz chaired a meeting of European leaders in Riga.",
        "Olaf Scholz presided over a summit of Baltic leaders in Riga.",
    ] {
        let a = run(text);
        let m = of_kind(&a.events, EventKind::Meeting);
        assert_eq!(m.len(), 1, "{text}: {:?}", a.events);
        assert!(
            names(&a, &m[0].participants).contains(&"Olaf Scholz".to_string()),
            "{text}"
        );
        assert_eq!(place(&a, m[0]).as_deref(), Some("Riga"), "{text}");
    }
}

#[test]
fn the_object_of_a_meeting_verb_is_not_the_subject_of_a_later_trip() {
    let text = "Olaf Scholz met Chinese President Xi Jinping in Beijing on Tuesday, the \
                last stop of a three-day trip.";
    let a = run(text);
    let v = [only(&a, EventKind::Visit)];
    assert_eq!(names(&a, &v[0].participants), vec!["Olaf Scholz"]);
}

#[test]
fn a_visiting_guest_is_the_noun_after_the_adjective() {
    let a = run("Xi Jinping told the visiting Olaf Scholz that trade must grow.");
    for v in of_kind(&a.events, EventKind::Visit) {
        assert_eq!(
            names(&a, &v.participants),
            vec!["Olaf Scholz"],
            "{:?}",
            a.events
        );
    }
    let a = run("Xi Jinping praised the visiting delegation.");
    assert_none(&a, EventKind::Visit);
}

#[test]
fn sitting_down_with_and_greeting_are_meetings() {
    let a = run("Li Keqiang sat down with Angela Merkel in Berlin.");
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(
        names(&a, &m[0].participants),
        vec!["Angela Merkel", "Li Keqiang"]
    );
    let a = run("Ronald Reagan greeted Margaret Thatcher at the White House.");
    let m = [only(&a, EventKind::Meeting)];
    assert_eq!(names(&a, &m[0].hosts), vec!["Ronald Reagan"]);
    assert_eq!(place(&a, m[0]).as_deref(), Some("White House"));
    // greeting news is no meeting
    let a = run("Ronald Reagan greeted the news with relief.");
    assert_none(&a, EventKind::Meeting);
}

#[test]
fn a_trip_at_home_is_no_diplomatic_visit() {
    let a = run("Joe Biden, during a trip to California, praised the deal.");
    assert_none(&a, EventKind::Visit);
    let a = run("Joe Biden flew to Berlin on Monday.");
    only(&a, EventKind::Visit);
    // a named site at home still counts
    let a = run("Mitch McConnell visited the White House on Monday.");
    only(&a, EventKind::Visit);
}

#[test]
fn a_meeting_days_after_an_arrival_is_where_the_visitor_stays() {
    let text = "Olaf Scholz arrived in Tokyo on Sunday. On Tuesday he met Fumio Kishida.";
    let (a, evs) = run_with_dates(
        text,
        &[("on Sunday", "2019-05-12"), ("On Tuesday", "2019-05-14")],
    );
    let m = of_kind(&evs, EventKind::Meeting);
    assert_eq!(m.len(), 1, "{evs:?}");
    assert_eq!(place(&a, m[0]).as_deref(), Some("Tokyo"));
    // a meeting weeks later is not part of that stay
    let text = "Olaf Scholz arrived in Tokyo in March. On Tuesday he met Fumio Kishida.";
    let (a, evs) = run_with_dates(
        text,
        &[("in March", "2019-03"), ("On Tuesday", "2019-05-14")],
    );
    let m = of_kind(&evs, EventKind::Meeting);
    assert_eq!(m.len(), 1, "{evs:?}");
    assert_ne!(place(&a, m[0]).as_deref(), Some("Tokyo"));
}

#[test]
fn the_talks_with_a_topic_or_of_a_pair_already_met_start_nothing_new() {
    // "the arms talks" are negotiations, not the pair's meeting
    let a = run(
        "Emmanuel Macron praised Olaf Scholz on Monday. Both hope the arms talks \
                 succeed.",
    );
    assert_none(&a, EventKind::Meeting);
    // the pair already spoke by phone: "the talks" are not a new meeting of theirs
    let a = run(
        "Emmanuel Macron talked by telephone with Olaf Scholz on Monday about the \
                 talks in Geneva.",
    );
    let c = only(&a, EventKind::Call);
    assert_eq!(
        names(&a, &c.participants),
        vec!["Emmanuel Macron", "Olaf Scholz"]
    );
    assert_none(&a, EventKind::Meeting);
}

#[test]
fn a_place_with_a_where_clause_holds_the_meeting_in_it() {
    let a = run("Olaf Scholz flew to Manila, where he met Ferdinand Marcos Jr.");
    let m = only(&a, EventKind::Meeting);
    assert_eq!(place(&a, m).as_deref(), Some("Manila"));
}

#[test]
fn a_sentence_about_the_meeting_gives_its_place() {
    let a = run(
        "Vladimir Putin met Xi Jinping on Monday. The talks were held in the Great \
                 Hall of the People.",
    );
    let m = only(&a, EventKind::Meeting);
    assert_eq!(place(&a, m).as_deref(), Some("Great Hall of the People"));
    assert_eq!(m.evidence.len(), 2, "{m:?}");
}

#[test]
fn plural_office_title_as_subject() {
    let a = run("The foreign ministers of Russia and Turkey met in Moscow on Monday.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Mevlüt Çavuşoğlu", "Sergei Lavrov"]
    );
    assert_eq!(place(&a, e).as_deref(), Some("Moscow"));
}

#[test]
fn plural_office_title_after_adjectives() {
    let a = run("The Egyptian and Israeli presidents met in Cairo.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Abdel Fattah el-Sisi", "Reuven Rivlin"]
    );
    let a = run("The prime ministers of Japan and Australia spoke by phone.");
    let e = only(&a, EventKind::Call);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Scott Morrison", "Shinzo Abe"]
    );
}

#[test]
fn plural_office_title_as_object() {
    let a = run("Mike Pompeo met the foreign ministers of Russia and Turkey in Sochi.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        vec!["Mevlüt Çavuşoğlu", "Mike Pompeo", "Sergei Lavrov"]
    );
}

#[test]
fn the_two_ministers_after_a_plural_office_title() {
    let a = run(
        "The foreign ministers of Russia and Turkey spoke by phone on Monday. \
         On Friday, the two foreign ministers will meet in Ankara.",
    );
    let call = only(&a, EventKind::Call);
    let meeting = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &call.participants),
        names(&a, &meeting.participants)
    );
    assert_eq!(
        names(&a, &meeting.participants),
        vec!["Mevlüt Çavuşoğlu", "Sergei Lavrov"]
    );
    assert_eq!(meeting.status, Status::Planned);
    assert_eq!(place(&a, meeting).as_deref(), Some("Ankara"));
}

#[test]
fn trigger_scan_agrees_with_the_token_by_token_reference() {
    let tables = &pipeline().events.tables;
    let texts = [
        "Minister Anna Berg will visit Oslo on Monday. Her visit follows talks in Rome, \
         where the leaders met and signed a deal. The summit was cancelled.",
        "Berg visits Oslo. In Berg visit talks, envoys held a meeting and agreed to meet again; \
         they also met, visited and called each other.",
        "",
        "Visit. Meet! Talks",
    ];
    let mut found = 0;
    for text in texts {
        let a = run(text);
        let fast = super::triggers::find(tables, &a.doc);
        let slow = super::triggers::find_reference(tables, &a.doc);
        let key = |h: &super::triggers::TriggerHit| (h.start, h.end, h.def);
        assert_eq!(
            fast.iter().map(key).collect::<Vec<_>>(),
            slow.iter().map(key).collect::<Vec<_>>(),
            "{text}"
        );
        let every: Vec<usize> = (0..a.doc.tokens.len())
            .filter(|&i| tables.triggers.may_start(&a.doc, i))
            .collect();
        assert_eq!(
            tables.triggers.may_starts(&a.doc).collect::<Vec<_>>(),
            every
        );
        found += fast.len();
    }
    assert!(found >= 6, "the texts have triggers: {found}");
}

#[test]
fn cached_plural_phrase_ends_agree_with_fresh_reads() {
    let p = pipeline();
    for text in [
        "After the two leaders and both sides and the two foreign ministers met, \
         the delegations held talks; the two sides agreed.",
        "Both leaders, the two presidents, visited. Leaders met.",
    ] {
        let a = run(text);
        let ctx = super::args::Ctx::new(&a.doc, &a.entities, &p.events.tables, &a.timexes, &[]);
        let set = &p.events.tables.plural;
        let n = a.doc.tokens.len();
        let mut hits = 0;
        for (lo, hi) in [(0, n), (2, n.min(20)), (5, n.min(50))] {
            let mut ends = super::args::PhraseEnds::new(lo, hi);
            // leftwards as the subject scan goes, twice: the second from the cache
            for _ in 0..2 {
                for k in (lo..hi).rev() {
                    for floor in [0, lo] {
                        let want = ctx.phrase_ending_at(set, k, floor).is_some();
                        assert_eq!(ends.ending_at(&a.doc, set, k, floor), want, "{k} {floor}");
                        hits += usize::from(want);
                    }
                }
            }
        }
        assert!(hits > 0, "the texts have plural phrases");
    }
}

#[test]
fn country_before_a_title_is_no_participant() {
    // the abbreviation before the title names the office, not a participant
    // (and "received U.N." does not end the sentence)
    for text in [
        "Angela Merkel received U.S. Secretary of State John Kerry in Berlin on Monday.",
        "Angela Merkel received U.N. Secretary-General Ban Ki-moon in Berlin on Monday.",
    ] {
        let a = run(text);
        let e = only(&a, EventKind::Meeting);
        assert_eq!(
            e.participants.len(),
            2,
            "{text}: {:?}",
            names(&a, &e.participants)
        );
        assert!(names(&a, &e.participants).contains(&"Angela Merkel".to_string()));
        assert!(
            !names(&a, &e.participants)
                .iter()
                .any(|n| n == "United States" || n == "United Nations"),
            "{text}"
        );
    }
}

#[test]
fn countries_after_the_triggers_own_preposition_take_part() {
    let a = run("Talks between India and Pakistan opened in Geneva on Monday.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(names(&a, &e.participants), ["India", "Pakistan"]);
}

#[test]
fn a_visiting_guest_is_the_object() {
    let a =
        run("Xi Jinping met visiting Hungarian Prime Minister Viktor Orban in Beijing on Monday.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(names(&a, &e.participants).len(), 2, "{:?}", a.events);
}

#[test]
fn the_traveller_takes_part_in_the_talks_of_the_trip() {
    let a = run("Boris Johnson later travelled to Paris for talks with Emmanuel Macron.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        ["Boris Johnson", "Emmanuel Macron"]
    );
}

#[test]
fn the_purpose_of_a_planned_trip_is_planned() {
    for text in [
        "Justin Trudeau will travel to Washington next week to meet Joe Biden, his office said.",
        "Justin Trudeau will fly to Washington on Thursday for talks with Joe Biden.",
    ] {
        let a = run(text);
        let e = only(&a, EventKind::Meeting);
        assert_eq!(e.status, Status::Planned, "{text}");
    }
    // a past journey keeps its purpose in the past
    let a = run("Justin Trudeau flew to Washington on Monday to meet Joe Biden.");
    assert_eq!(only(&a, EventKind::Meeting).status, Status::Occurred);
}

#[test]
fn names_do_not_push_a_date_or_a_cancellation_out_of_reach() {
    let text = "Joe Biden will meet Japanese Prime Minister Fumio Kishida and South Korean \
                President Yoon Suk Yeol at Camp David on Friday.";
    let (_, evs) = run_with_dates(text, &[("on Friday", "2019-05-17")]);
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].date.as_deref(), Some("2019-05-17"));
    let a = run(
        "The visit by Afghan President Hamid Karzai to Pakistan, planned for next month, \
         has been cancelled, officials said.",
    );
    assert_eq!(only(&a, EventKind::Visit).status, Status::Cancelled);
}

#[test]
fn a_guest_welcomed_to_a_place_meets_there() {
    let a = run("Joe Biden welcomed Kenyan President William Ruto to the White House on Monday.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(place(&a, e).as_deref(), Some("White House"));
}

#[test]
fn the_leader_of_a_delegation_takes_part() {
    for text in [
        "Uhuru Kenyatta received a delegation led by Abiy Ahmed on Thursday.",
        "A delegation headed by Abiy Ahmed met Uhuru Kenyatta on Thursday.",
    ] {
        let a = run(text);
        let e = only(&a, EventKind::Meeting);
        assert_eq!(
            names(&a, &e.participants),
            ["Abiy Ahmed", "Uhuru Kenyatta"],
            "{text}"
        );
    }
}

#[test]
fn a_host_abroad_is_not_at_the_dateline_city() {
    let a = run(
        "PARIS, May 14, 2019 (AFP) - German Chancellor Angela Merkel hosted Chinese Premier \
         Li Keqiang on Tuesday.",
    );
    let e = only(&a, EventKind::Meeting);
    assert_eq!(place(&a, e), None, "{:?}", a.events);
    // ... and at her capital when the story names it
    let a = run(
        "PARIS, May 14, 2019 (AFP) - German Chancellor Angela Merkel hosted Chinese Premier \
         Li Keqiang on Tuesday, before he left Berlin for France.",
    );
    let e = only(&a, EventKind::Meeting);
    assert_eq!(place(&a, e).as_deref(), Some("Berlin"), "{:?}", a.events);
}

#[test]
fn talks_with_a_country_alone_are_no_event() {
    let a = run("Russia called for talks with Ukraine on Monday.");
    assert_none(&a, EventKind::Meeting);
}

#[test]
fn an_unknown_title_after_a_country_names_its_person() {
    let a = run("Queen Elizabeth will receive U.S. First Lady Hillary Clinton next week.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        ["Elizabeth II", "Hillary Clinton"]
    );
}

#[test]
fn their_talks_are_the_talks_of_the_pair_of_the_clause() {
    let a =
        run("Joe Biden and Narendra Modi signed three agreements after their talks on Tuesday.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(names(&a, &e.participants), ["Joe Biden", "Narendra Modi"]);
    // one person and "their": nothing to pair
    let a = run("Joe Biden signed three agreements after their talks on Tuesday.");
    assert_none(&a, EventKind::Meeting);
}

#[test]
fn more_verbs_before_talks_and_calls() {
    let a = run("Joe Biden and Xi Jinping resumed talks in Bali on Monday.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(names(&a, &e.participants), ["Joe Biden", "Xi Jinping"]);
    let a = run("Justin Trudeau said he had spoken with Emmanuel Macron by phone.");
    let e = only(&a, EventKind::Call);
    assert_eq!(
        names(&a, &e.participants),
        ["Emmanuel Macron", "Justin Trudeau"]
    );
}

#[test]
fn a_passive_host_hosts() {
    let a =
        run("On Monday Barack Obama was received by Tran Dai Quang at the Presidential Palace.");
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        ["Barack Obama", "Tran Dai Quang"]
    );
    assert_eq!(names(&a, &e.hosts), ["Tran Dai Quang"]);
    // "the talks were hosted by X": X joins the talks just told, no new event
    let a = run(
        "Ehud Barak and Farouk al-Sharaa resumed talks in Shepherdstown on Monday. \
         The talks were hosted by Bill Clinton.",
    );
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        ["Bill Clinton", "Ehud Barak", "Farouk al-Sharaa"]
    );
    assert_eq!(names(&a, &e.hosts), ["Bill Clinton"]);
}

#[test]
fn people_together_with_the_parties_take_part() {
    let a = run(
        "Vladimir Putin held talks with Kim Jong Un in Vladivostok on Thursday, together with \
         Foreign Minister Sergei Lavrov.",
    );
    let e = only(&a, EventKind::Meeting);
    assert_eq!(
        names(&a, &e.participants),
        ["Kim Jong Un", "Sergei Lavrov", "Vladimir Putin"]
    );
}

#[test]
fn the_day_of_the_saying_yields_to_the_day_of_the_meeting() {
    let text = "The White House said on Monday that it welcomed the meeting between Donald Trump \
                and Kim Jong Un at Panmunjom on Sunday.";
    let a = run(text);
    let e = only(&a, EventKind::Meeting);
    let sunday = a
        .timexes
        .iter()
        .find(|x| x.text.contains("Sunday"))
        .expect("Sunday");
    assert_eq!(
        e.date.as_deref(),
        Some(sunday.value.as_str()),
        "{:?}",
        a.timexes
    );
    // with no other date, the day of the saying still serves
    let a = run("The White House said on Monday that Donald Trump met Kim Jong Un at Panmunjom.");
    let e = only(&a, EventKind::Meeting);
    let monday = a
        .timexes
        .iter()
        .find(|x| x.text.contains("Monday"))
        .expect("Monday");
    assert_eq!(e.date.as_deref(), Some(monday.value.as_str()));
}
