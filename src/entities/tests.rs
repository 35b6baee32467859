use crate::entities::How;
use crate::pipeline::Pipeline;

fn names(text: &str, date: &str) -> Vec<(String, String, How)> {
    let p = Pipeline::embedded().unwrap();
    let a = p.annotate("t", text, Some(date.parse().unwrap()));
    a.entities
        .mentions
        .iter()
        .map(|m| {
            let e = m
                .entity
                .map(|e| a.entities.entities[e].name.clone())
                .unwrap_or_default();
            (a.doc.slice(m.span).to_string(), e, m.how)
        })
        .collect()
}

#[test]
fn gazetteer_names_and_surnames() {
    let ms = names("Antony Blinken arrived. Later Blinken spoke.", "2023-06-19");
    assert!(ms.contains(&(
        "Antony Blinken".into(),
        "Antony Blinken".into(),
        How::Gazetteer
    )));
    assert!(
        ms.contains(&("Blinken".into(), "Antony Blinken".into(), How::Gazetteer))
            || ms.contains(&("Blinken".into(), "Antony Blinken".into(), How::Surname))
    );
}

#[test]
fn title_introduces_unknown_person_and_pronoun_follows() {
    let ms = names(
        "Foreign Minister Zara Quell met the press. She said little.",
        "2023-06-19",
    );
    assert!(
        ms.iter()
            .any(|(t, e, h)| t == "Zara Quell" && e == "Zara Quell" && *h == How::Inferred),
        "{ms:?}"
    );
}

#[test]
fn office_title_resolves_on_the_date() {
    let ms = names("The Secretary of State arrived.", "2023-06-19");
    assert!(
        ms.iter().any(|(t, e, h)| t == "Secretary of State"
            && e == "Antony Blinken"
            && *h == How::Office),
        "{ms:?}"
    );
    let ms = names("The Secretary of State arrived.", "1900-06-19");
    assert!(
        ms.iter()
            .any(|(t, e, _)| t == "Secretary of State" && e.is_empty()),
        "{ms:?}"
    );
}
