//! Gazetteer parsing on an arbitrary file added as an entity, office or
//! holder file next to a small valid base. The first byte picks the kind of
//! file; the rest is its text (invalid UTF-8 replaced).
#![no_main]

use libfuzzer_sys::fuzz_target;
use readout::gazetteer::{check::check, Sources};

const PLACES: &str = "id\tname\tkind\taliases\tattributes\n\
place:freedonia\tFreedonia\tplace\tFreedonian|the Republic\ttype=country;iso2=FD\n\
place:sylvania\tSylvania\tplace\t\ttype=country\n";
const PEOPLE: &str = "id\tname\tkind\taliases\tattributes\n\
person:rufus-firefly\tRufus T. Firefly\tperson\tFirefly\tgender=m\n\
person:ambassador-trentino\tTrentino\tperson\t\tgender=m\n";
const OFFICES: &str = "id\tjurisdiction\trole\ttitles\tattributes\n\
office:freedonia-leader\tplace:freedonia\thead_of_government\tLeader|the Leader\t\n";
const HOLDERS: &str = "office\tperson\tstart\tend\tconfirmed_until\tsource\n\
office:freedonia-leader\tperson:rufus-firefly\t1933-11\t\t1933-12-31\tfilm\n";

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut src = Sources {
        entity_files: vec![
            ("places.tsv".into(), PLACES.into()),
            ("people.tsv".into(), PEOPLE.into()),
        ],
        office_files: vec![("offices.tsv".into(), OFFICES.into())],
        holder_files: vec![("office_holders.tsv".into(), HOLDERS.into())],
    };
    let file = ("fuzz.tsv".to_string(), text);
    match which % 3 {
        0 => src.entity_files.push(file),
        1 => src.office_files.push(file),
        _ => src.holder_files.push(file),
    }
    let rep = check(&src);
    let _ = rep.counts();
    for e in rep.errors.iter().chain(&rep.problems) {
        let _ = e.to_string();
    }
    if rep.errors.is_empty() {
        // the loaded gazetteer must also compile into a matcher and answer queries
        let g = &rep.gazetteer;
        let m = g.matcher();
        let _ = m.find("Rufus T. Firefly met the Leader of Freedonia in Sylvania.");
        if let Some(d) = chrono::NaiveDate::from_ymd_opt(1933, 12, 1) {
            for o in 0..g.offices.len() {
                let _ = g.holder_on(o, d);
            }
        }
    }
});
