//! Offices and their holders over time: "the Secretary of State" means
//! whoever held the office on the article's date.
//!
//! Resolution rule: holder `h` answers for date `d` iff
//! `h.start <= d`, `d < h.end` (or no end), and `d <= h.confirmed_until`
//! (or none given). A date the data does not cover answers nothing, so a
//! title stays a title instead of becoming the wrong person.

use super::Gazetteer;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

/// A date at year, month or day precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<PartialDate> {
        // the usual forms, digits only, read directly
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        let fast = match b.len() {
            4 => num(0..4).map(|y| (y, None, None)),
            7 if b[4] == b'-' => num(0..4).zip(num(5..7)).map(|(y, m)| (y, Some(m), None)),
            10 if b[4] == b'-' && b[7] == b'-' => num(0..4)
                .zip(num(5..7))
                .zip(num(8..10))
                .map(|((y, m), d)| (y, Some(m), Some(d))),
            _ => None,
        };
        if let Some((year, month, day)) = fast {
            let year = year as i32;
            if month.is_some_and(|m| !(1..=12).contains(&m)) {
                return None;
            }
            if let (Some(m), Some(d)) = (month, day) {
                NaiveDate::from_ymd_opt(year, m, d)?;
            }
            return Some(PartialDate { year, month, day });
        }
        PartialDate::parse_general(s)
    }

    /// [`PartialDate::parse`] for any form (the reference of its fast path).
    fn parse_general(s: &str) -> Option<PartialDate> {
        let mut it = s.split('-');
        let y = it.next()?;
        if y.len() != 4 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month = match it.next() {
            Some(m) => Some(m.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match it.next() {
            Some(d) => Some(d.parse::<u32>().ok()?),
            None => None,
        };
        if it.next().is_some() {
            return None;
        }
        let p = PartialDate { year, month, day };
        if day.is_some() {
            NaiveDate::from_ymd_opt(year, month?, day?)?;
        }
        Some(p)
    }

    /// The first day the partial date covers.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The last day the partial date covers.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                NaiveDate::from_ymd_opt(self.year, m, d).unwrap_or(NaiveDate::MAX)
            }
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(NaiveDate::MAX)
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn from_date(d: NaiveDate) -> PartialDate {
        PartialDate {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => write!(f, "{:04}-{:02}", self.year, m),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// An office: a post in a country or organization.
#[derive(Debug, PartialEq, Eq)]
pub struct Office {
    pub id: String,
    /// Entity index of the country or organization.
    pub jurisdiction: usize,
    pub role: String,
    /// Titles specific to this office ("Secretary of State", "top US diplomat").
    pub titles: super::List,
    pub attrs: super::Attrs,
    /// File and line of its row.
    pub origin: (Arc<str>, usize),
}

impl Clone for Office {
    fn clone(&self) -> Office {
        Office {
            id: self.id.clone(),
            jurisdiction: self.jurisdiction,
            role: self.role.clone(),
            titles: self.titles.copy(),
            attrs: self.attrs.copy(),
            origin: self.origin.clone(),
        }
    }
}

/// One tenure: a person in an office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub office: usize,
    pub person: usize,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
    pub confirmed_until: Option<PartialDate>,
    pub source: String,
    /// File and line of its row.
    pub origin: (Arc<str>, usize),
}

impl Holder {
    /// Does this tenure answer for `d`? (See the module's resolution rule.)
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.start.first_day() <= d
            && self.end.is_none_or(|e| d < e.first_day())
            && self.confirmed_until.is_none_or(|u| d <= u.last_day())
    }
}

impl Gazetteer {
    /// The person (entity index) holding office `office` on `d`.
    pub fn holder_on(&self, office: usize, d: NaiveDate) -> Option<usize> {
        let hs = self.holders_of.get(office)?;
        // latest start first, so an acting or later holder wins a same-day handover
        hs.iter()
            .rev()
            .map(|&h| &self.holders[h])
            .find(|h| h.covers(d))
            .map(|h| h.person)
    }

    /// Offices of `jurisdiction` with `role` (including offices that list the
    /// role under `also=`).
    pub fn offices_with_role(&self, jurisdiction: usize, role: &str) -> &[usize] {
        self.office_by_role
            .get(&(jurisdiction, role.to_string()))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// The person holding `role` for `jurisdiction` on `d`.
    /// `leader` means the office the data marks `leader=1`, else the head of
    /// state, else the head of government.
    pub fn role_holder_on(
        &self,
        jurisdiction: usize,
        role: &str,
        d: NaiveDate,
    ) -> Option<(usize, usize)> {
        let roles: Vec<&str> = if role == "leader" {
            vec!["leader", "head_of_state", "head_of_government"]
        } else {
            vec![role]
        };
        if role == "leader" {
            // an office explicitly marked as the leading one
            for (oi, o) in self.offices.iter().enumerate() {
                if o.jurisdiction == jurisdiction && o.attrs.value("leader") == Some("1") {
                    if let Some(p) = self.holder_on(oi, d) {
                        return Some((oi, p));
                    }
                }
            }
        }
        for r in roles {
            for &oi in self.offices_with_role(jurisdiction, r) {
                if let Some(p) = self.holder_on(oi, d) {
                    return Some((oi, p));
                }
            }
        }
        None
    }

    /// Did person `p` hold office `oi` on `d`?
    fn held_on(&self, oi: usize, p: usize, d: NaiveDate) -> bool {
        self.holders_of[oi]
            .iter()
            .any(|&h| self.holders[h].person == p && self.holders[h].covers(d))
    }

    /// Did person `p` hold any office on `d`?
    pub fn person_in_office_on(&self, p: usize, d: NaiveDate) -> bool {
        self.offices_of_person
            .get(&p)
            .is_some_and(|offs| offs.iter().any(|&oi| self.held_on(oi, p, d)))
    }

    /// Did person `p` hold, on `d` (with no date: ever), an office whose
    /// title has the word `word` ("Secretary" in "Secretary of State"),
    /// compared without case?
    pub fn person_held_title_word(&self, p: usize, word: &str, d: Option<NaiveDate>) -> bool {
        let Some(offs) = self.offices_of_person.get(&p) else {
            return false;
        };
        offs.iter().any(|&oi| {
            self.offices[oi]
                .attrs
                .value("title")
                .is_some_and(|t| has_word(t, word))
                && match d {
                    None => true,
                    Some(d) => self.held_on(oi, p, d),
                }
        })
    }

    /// Did person `p` hold an office with `role` (any jurisdiction) on `d`?
    /// With no date, whether they ever held one.
    pub fn person_held_role(&self, p: usize, role: &str, d: Option<NaiveDate>) -> bool {
        let Some(offs) = self.offices_of_person.get(&p) else {
            return false;
        };
        offs.iter().any(|&oi| {
            let o = &self.offices[oi];
            let role_ok = o.role == role
                || o.attrs
                    .value("also")
                    .is_some_and(|a| a.split('|').any(|r| r == role))
                || (role == "leader"
                    && matches!(
                        o.role.as_str(),
                        "head_of_state" | "head_of_government" | "supreme_leader"
                    ));
            role_ok
                && match d {
                    None => true,
                    Some(d) => self.held_on(oi, p, d),
                }
        })
    }
}

/// True when `text` has `word` as a whole word, compared without case
/// ("Secretary" in "Secretary of State", not in "Secretary-General").
pub fn has_word(text: &str, word: &str) -> bool {
    !word.is_empty()
        && text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_word_takes_whole_words_without_case() {
        assert!(has_word("Secretary of State", "secretary"));
        assert!(has_word("Minister of External Affairs", "Minister"));
        assert!(!has_word("Secretary-General", "general secretary"));
        assert!(!has_word("Undersecretary", "secretary"));
        assert!(!has_word("Secretary", ""));
    }

    #[test]
    fn fast_date_parse_agrees_with_the_general_one() {
        let years = [
            "2024", "0000", "9999", "1900", "+202", "202", "20245", "2o24", "",
        ];
        let months = ["01", "02", "1", "12", "13", "00", "+1", "ab", "", "-1"];
        let days = [
            "01", "28", "29", "30", "31", "32", "00", "1", "+1", "", "0a",
        ];
        let mut n = 0;
        for y in years {
            let mut forms = vec![y.to_string()];
            for m in months {
                forms.push(format!("{y}-{m}"));
                for d in days {
                    forms.push(format!("{y}-{m}-{d}"));
                    forms.push(format!("{y}-{m}-{d}-"));
                }
            }
            for s in forms {
                assert_eq!(
                    PartialDate::parse(&s),
                    PartialDate::parse_general(&s),
                    "{s}"
                );
                n += usize::from(PartialDate::parse(&s).is_some());
            }
        }
        assert!(n > 50, "{n}");
        assert_eq!(
            PartialDate::parse("2024-02-29"),
            Some(PartialDate {
                year: 2024,
                month: Some(2),
                day: Some(29)
            })
        );
        assert_eq!(PartialDate::parse("2023-02-29"), None);
    }
}
