//! Office resolution on both sides of tenure boundaries, title + name
//! mentions and gazetteer errors, on the embedded data.

use readout::entities::How;
use readout::gazetteer::{check, Sources};
use readout::Pipeline;

fn resolve(text: &str, date: &str) -> Vec<(String, Option<String>, How)> {
    let p = Pipeline::embedded().unwrap();
    let a = p.annotate("t", text, Some(date.parse().unwrap()));
    a.entities
        .mentions
        .iter()
        .map(|m| {
            (
                a.doc.slice(m.span).to_string(),
                m.entity.map(|e| a.entities.entities[e].name.clone()),
                m.how,
            )
        })
        .collect()
}

fn holder(text: &str, date: &str) -> Option<String> {
    resolve(text, date)
        .into_iter()
        .find(|(_, _, h)| *h == How::Office)
        .and_then(|(_, e, _)| e)
}

#[test]
fn us_secretary_of_state_across_2013_handover() {
    assert_eq!(
        holder("The Secretary of State flew in.", "2013-01-31").as_deref(),
        Some("Hillary Clinton")
    );
    assert_eq!(
        holder("The Secretary of State flew in.", "2013-02-02").as_deref(),
        Some("John Kerry")
    );
    assert_eq!(
        holder("The Secretary of State flew in.", "2010-06-01").as_deref(),
        Some("Hillary Clinton")
    );
}

#[test]
fn uk_prime_minister_in_autumn_2022() {
    assert_eq!(
        holder("The British prime minister spoke.", "2022-09-15").as_deref(),
        Some("Liz Truss")
    );
    assert_eq!(
        holder("The British prime minister spoke.", "2022-11-15").as_deref(),
        Some("Rishi Sunak")
    );
}

#[test]
fn chinese_foreign_minister_in_summer_2023() {
    assert_eq!(
        holder("The Chinese foreign minister spoke.", "2023-06-15").as_deref(),
        Some("Qin Gang")
    );
    assert_eq!(
        holder("The Chinese foreign minister spoke.", "2023-08-15").as_deref(),
        Some("Wang Yi")
    );
}

#[test]
fn foreign_ministers_of_the_1990s_and_2000s() {
    // hand-filled tenures before the reference data's 2022 snapshot
    assert_eq!(
        holder("The Canadian foreign minister spoke.", "1992-06-01").as_deref(),
        Some("Barbara McDougall")
    );
    assert_eq!(
        holder("The Canadian foreign minister spoke.", "2007-10-01").as_deref(),
        Some("Maxime Bernier")
    );
    assert_eq!(
        holder("The Turkish foreign minister spoke.", "2002-09-01").as_deref(),
        Some("Şükrü Sina Gürel")
    );
    assert_eq!(
        holder("The Ukrainian foreign minister spoke.", "1996-05-01").as_deref(),
        Some("Hennadiy Udovenko")
    );
    // a vacancy between two tenures stays unresolved (Baird left, Nicholson not yet sworn in)
    assert_eq!(
        holder("The Canadian foreign minister spoke.", "2015-02-05"),
        None
    );
}

#[test]
fn defence_ministers_and_heads_of_government_filled_by_hand() {
    assert_eq!(
        holder("The Soviet defense minister arrived.", "1989-05-01").as_deref(),
        Some("Dmitry Yazov")
    );
    assert_eq!(
        holder("The Israeli defense minister arrived.", "2021-09-01").as_deref(),
        Some("Benny Gantz")
    );
    assert_eq!(
        holder("The Polish prime minister arrived.", "1996-06-01").as_deref(),
        Some("Włodzimierz Cimoszewicz")
    );
    assert_eq!(
        holder("The Jordanian prime minister arrived.", "1994-06-01").as_deref(),
        Some("Abdelsalam al-Majali")
    );
}

#[test]
fn title_without_a_known_holder_stays_a_title() {
    let ms = resolve("The Secretary of State flew in.", "1900-01-01");
    assert!(
        ms.iter()
            .any(|(t, e, h)| t == "Secretary of State" && e.is_none() && *h == How::Office),
        "{ms:?}"
    );
}

#[test]
fn title_and_name_are_one_person_mention() {
    let ms = resolve(
        "Chinese Foreign Minister Qin Gang met reporters.",
        "2023-06-15",
    );
    assert!(
        ms.iter()
            .any(|(t, e, _)| t == "Qin Gang" && e.as_deref() == Some("Qin Gang")),
        "{ms:?}"
    );
    assert!(
        ms.iter()
            .any(|(t, e, _)| t == "Chinese" && e.as_deref() == Some("China")),
        "{ms:?}"
    );
    // the title itself is not a second person
    assert!(
        !ms.iter().any(|(t, _, _)| t.contains("Foreign Minister")),
        "{ms:?}"
    );
}

#[test]
fn president_and_short_form_resolve_by_office() {
    let ms = resolve("President Xi welcomed the delegation.", "2023-06-19");
    assert!(
        ms.iter()
            .any(|(t, e, _)| t == "Xi" && e.as_deref() == Some("Xi Jinping")),
        "{ms:?}"
    );
}

#[test]
fn demonym_mentions_the_country() {
    let ms = resolve("The Iranian foreign minister arrived.", "2023-06-19");
    assert!(
        ms.iter().any(|(t, e, h)| t == "Iranian"
            && e.as_deref() == Some("Iran")
            && *h == How::Adjective),
        "{ms:?}"
    );
}

#[test]
fn malformed_rows_name_file_and_line() {
    let mut src = Sources::embedded();
    src.entity_files.push((
        "mine.tsv".into(),
        "id\tname\tkind\taliases\tattributes\nperson:x\tX\tpersn\t\t\n".into(),
    ));
    let rep = check::check(&src);
    let e = rep.errors.first().expect("an error");
    assert_eq!((e.file.as_str(), e.line), ("mine.tsv", 2));
    assert!(e.message.contains("kind"), "{e}");

    let mut src = Sources::embedded();
    src.entity_files
        .push(("bad.tsv".into(), "id\tname\n".into()));
    assert!(check::check(&src).errors[0]
        .to_string()
        .starts_with("bad.tsv:1: header"));

    let mut src = Sources::embedded();
    src.holder_files.push((
        "h.tsv".into(),
        "office\tperson\tstart\tend\tconfirmed_until\tsource\noffice:us-secretary-of-state\tperson:nobody\t2020\t\t\tx\n".into(),
    ));
    let rep = check::check(&src);
    assert!(rep
        .errors
        .iter()
        .any(|e| e.file == "h.tsv" && e.line == 2 && e.message.contains("unknown person")));
}

#[test]
fn overlapping_tenures_and_shared_aliases_are_reported() {
    let mut src = Sources::embedded();
    src.entity_files.push((
        "p.tsv".into(),
        "id\tname\tkind\taliases\tattributes\nperson:a-one\tA One\tperson\tZed\t\nperson:b-two\tB Two\tperson\tZed\t\n".into(),
    ));
    src.office_files.push((
        "o.tsv".into(),
        "id\tjurisdiction\trole\ttitles\tattributes\noffice:test-chief\tplace:france\tother\t\t\n"
            .into(),
    ));
    src.holder_files.push((
        "h.tsv".into(),
        "office\tperson\tstart\tend\tconfirmed_until\tsource\noffice:test-chief\tperson:a-one\t2001\t2005\t\tx\noffice:test-chief\tperson:b-two\t2004\t\t2006\tx\n".into(),
    ));
    let rep = check::check(&src);
    assert!(rep.errors.is_empty(), "{:?}", rep.errors);
    assert!(
        rep.problems.iter().any(|p| p.message.contains("overlaps")),
        "{:?}",
        rep.problems
    );
    assert!(
        rep.problems
            .iter()
            .any(|p| p.message.contains("alias 'Zed'")),
        "{:?}",
        rep.problems
    );
}

#[test]
fn embedded_gazetteer_checks_clean() {
    let rep = check::check(&Sources::embedded());
    assert!(
        rep.errors.is_empty(),
        "{:?}",
        &rep.errors[..rep.errors.len().min(5)]
    );
    assert!(
        rep.problems.is_empty(),
        "{:?}",
        &rep.problems[..rep.problems.len().min(5)]
    );
}
