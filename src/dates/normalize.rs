//! Normalization: a scanned expression plus the document date, the tense
//! of its clause and the discourse so far → a TIMEX3 type and value.
//! Without a document date, relative expressions get X placeholders.

use super::lexicon::Tense;
use super::scan::{Cand, Sem, Unit, YearSpec};
use super::TimexType;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// What earlier expressions of the document established.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    pub dct: Option<NaiveDate>,
    /// The last quarter mentioned: (year, quarter, sentence).
    pub last_quarter: Option<(i32, u32, usize)>,
    /// The last day mentioned.
    pub last_day: Option<NaiveDate>,
    /// The last calendar date mentioned, at its precision: (year, month, day).
    pub last_cal: Option<(i32, Option<u32>, Option<u32>)>,
}

/// Format a duration value: P5Y, PT11H, P2Y6M, PXY.
pub(crate) fn duration_value(unit: Unit, n: Option<f64>) -> String {
    let Some(n) = n else {
        let u = match unit {
            Unit::Year => "Y",
            Unit::Month => "M",
            Unit::Week => "W",
            Unit::Day => "D",
            Unit::Hour => return "PTXH".into(),
            Unit::Minute => return "PTXM".into(),
            Unit::Second => return "PTXS".into(),
            Unit::Decade => "Y",
            Unit::Century => "C",
            Unit::Quarter => "Q",
            Unit::Weekend => "WE",
            Unit::Fortnight => "W",
        };
        return format!("PX{u}");
    };
    let (n, unit) = match unit {
        Unit::Decade => (n * 10.0, Unit::Year),
        Unit::Century => (n * 100.0, Unit::Year),
        Unit::Fortnight => (n * 2.0, Unit::Week),
        Unit::Weekend => (n * 2.0, Unit::Day),
        u => (n, u),
    };
    let whole = n.trunc();
    let frac = n - whole;
    let fmt = |v: f64| {
        if v.fract() == 0.0 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    };
    // half units in the next smaller unit
    let sub = |sub_n: f64, sub_u: &str| -> String {
        if whole == 0.0 {
            sub_u.replace('#', &fmt(sub_n))
        } else {
            String::new()
        }
    };
    let _ = sub;
    match unit {
        Unit::Year if frac > 0.0 && (frac * 12.0).fract() == 0.0 => {
            if whole == 0.0 {
                format!("P{}M", (frac * 12.0) as i64)
            } else {
                format!("P{}Y{}M", whole as i64, (frac * 12.0) as i64)
            }
        }
        Unit::Day if frac > 0.0 && (frac * 24.0).fract() == 0.0 => {
            if whole == 0.0 {
                format!("PT{}H", (frac * 24.0) as i64)
            } else {
                format!("P{}DT{}H", whole as i64, (frac * 24.0) as i64)
            }
        }
        Unit::Hour if frac > 0.0 && (frac * 60.0).fract() == 0.0 => {
            if whole == 0.0 {
                format!("PT{}M", (frac * 60.0) as i64)
            } else {
                format!("PT{}H{}M", whole as i64, (frac * 60.0) as i64)
            }
        }
        Unit::Minute if frac > 0.0 && (frac * 60.0).fract() == 0.0 => {
            if whole == 0.0 {
                format!("PT{}S", (frac * 60.0) as i64)
            } else {
                format!("PT{}M{}S", whole as i64, (frac * 60.0) as i64)
            }
        }
        Unit::Year => format!("P{}Y", fmt(n)),
        Unit::Month => format!("P{}M", fmt(n)),
        Unit::Week => format!("P{}W", fmt(n)),
        Unit::Day => format!("P{}D", fmt(n)),
        Unit::Quarter => format!("P{}Q", fmt(n)),
        Unit::Hour => format!("PT{}H", fmt(n)),
        Unit::Minute => format!("PT{}M", fmt(n)),
        Unit::Second => format!("PT{}S", fmt(n)),
        _ => format!("P{}Y", fmt(n)),
    }
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn weekday_num(d: NaiveDate) -> u32 {
    d.weekday().number_from_monday()
}

/// Shift a (year, month) by `k` months.
fn add_months(y: i32, m: u32, k: i64) -> (i32, u32) {
    let idx = y as i64 * 12 + (m as i64 - 1) + k;
    (idx.div_euclid(12) as i32, (idx.rem_euclid(12) + 1) as u32)
}

/// Day `d` of a month, clamped to the month's length.
fn date_clamped(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    (1..=d).rev().find_map(|d| NaiveDate::from_ymd_opt(y, m, d))
}

fn quarter_of(m: u32) -> u32 {
    (m - 1) / 3 + 1
}

fn season_start(s: &str) -> u32 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// The year of month `m` as the tense places it relative to `dct`.
fn infer_month_year(m: u32, dct: NaiveDate, tense: Tense) -> i32 {
    let (y, cm) = (dct.year(), dct.month());
    match tense {
        Tense::Past => {
            if m <= cm {
                y
            } else {
                y - 1
            }
        }
        Tense::Future => {
            if m >= cm {
                y
            } else {
                y + 1
            }
        }
        Tense::None | Tense::Aux | Tense::Det | Tense::Inf => {
            // the nearest such month; a tie goes to the past
            let back = (cm as i32 - m as i32).rem_euclid(12);
            let fwd = (m as i32 - cm as i32).rem_euclid(12);
            if back <= fwd {
                if m <= cm {
                    y
                } else {
                    y - 1
                }
            } else if m >= cm {
                y
            } else {
                y + 1
            }
        }
    }
}

/// The year of day `d` of month `m`: the nearest such day, unless it is far
/// and the tense points the other way.
fn infer_day_year(m: u32, d: u32, dct: NaiveDate, tense: Tense) -> i32 {
    let y = dct.year();
    let mut cands: Vec<(i64, i32)> = (y - 1..=y + 1)
        .filter_map(|yy| date_clamped(yy, m, d).map(|dd| ((dd - dct).num_days(), yy)))
        .collect();
    cands.sort_by_key(|&(diff, _)| diff.abs());
    let Some(&(diff, yy)) = cands.first() else {
        return y;
    };
    if diff.abs() > 120 {
        match tense {
            Tense::Past if diff > 0 => {
                return cands.iter().find(|c| c.0 <= 0).map(|c| c.1).unwrap_or(yy)
            }
            Tense::Future if diff < 0 => {
                return cands.iter().find(|c| c.0 >= 0).map(|c| c.1).unwrap_or(yy)
            }
            // far off and no tense: news mostly reports the past
            Tense::None | Tense::Aux | Tense::Det | Tense::Inf if diff > 0 => {
                return cands.iter().find(|c| c.0 <= 0).map(|c| c.1).unwrap_or(yy)
            }
            _ => {}
        }
    }
    yy
}

/// The day of weekday `wd` the tense points to; the document's own weekday
/// is the document date.
fn infer_weekday(wd: u32, dct: NaiveDate, tense: Tense) -> NaiveDate {
    let cur = weekday_num(dct) as i64;
    let back = (cur - wd as i64).rem_euclid(7);
    let fwd = (wd as i64 - cur).rem_euclid(7);
    let past = dct - Duration::days(back);
    let future = dct + Duration::days(fwd);
    match tense {
        Tense::Past => past,
        Tense::Future => future,
        // News reports mostly what happened: without a tense cue, a weekday
        // is the past one unless the coming one is tomorrow.
        Tense::None | Tense::Aux | Tense::Det | Tense::Inf => {
            if fwd == 1 && back > 1 {
                future
            } else {
                past
            }
        }
    }
}

/// The n-th weekday on or after a day: "11-01-TH4" = 4th Thursday from Nov 1.
fn holiday_date(spec: &str, y: i32) -> Option<NaiveDate> {
    let parts: Vec<&str> = spec.split('-').collect();
    let m: u32 = parts.first()?.parse().ok()?;
    let d: u32 = parts.get(1)?.parse().ok()?;
    let base = NaiveDate::from_ymd_opt(y, m, d)?;
    let Some(rule) = parts.get(2) else {
        return Some(base);
    };
    if rule.len() < 3 {
        return None;
    }
    let wd = match &rule[..2] {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    };
    let n: i64 = rule[2..].parse().ok()?;
    let off =
        (wd.number_from_monday() as i64 - base.weekday().number_from_monday() as i64).rem_euclid(7);
    Some(base + Duration::days(off + 7 * (n - 1).max(0)))
}

/// The ISO week of the weekend (Saturday) of `d`'s week, as "YYYY-Www-WE".
fn weekend_of(d: NaiveDate) -> String {
    format!("{}-WE", week(d))
}

/// The value of a year spec, or None when it needs a missing document date.
fn year_of(
    y: YearSpec,
    dct: Option<NaiveDate>,
    infer: impl FnOnce(NaiveDate) -> i32,
) -> Option<i32> {
    match y {
        YearSpec::Abs(y) => Some(y),
        YearSpec::Rel(r) => dct.map(|d| d.year() + r),
        YearSpec::Infer => dct.map(infer),
    }
}

fn year_str(y: Option<i32>) -> String {
    y.map(|y| format!("{y:04}"))
        .unwrap_or_else(|| "XXXX".into())
}

/// Normalize one expression. `sentence` is the index of its sentence.
/// Whether [`normalize`] reads the tense for an expression of this
/// meaning (what it finds for the others is the same whatever the tense,
/// and the tense need not be looked for).
pub(crate) fn reads_tense(sem: &Sem) -> bool {
    !matches!(
        sem,
        Sem::Fixed(..)
            | Sem::Set(_)
            | Sem::Duration { .. }
            | Sem::MonthRel { .. }
            | Sem::Year(_)
            | Sem::Decade(_)
            | Sem::Century(_)
            | Sem::Offset { .. }
            | Sem::RefUnit { .. }
            | Sem::RefWeekday { .. }
            | Sem::YearAgo
    )
}

pub(crate) fn normalize(
    c: &Cand,
    tense: Tense,
    ctx: &mut Context,
    sentence: usize,
) -> (TimexType, String) {
    let dct = ctx.dct;
    let mut ty = TimexType::DATE;
    let mut day: Option<NaiveDate> = None;
    let value = match &c.sem {
        Sem::Fixed(t, v) => {
            ty = *t;
            v.clone()
        }
        Sem::Set(v) => {
            ty = TimexType::SET;
            v.clone()
        }
        Sem::Duration { unit, n } => {
            ty = TimexType::DURATION;
            duration_value(*unit, *n)
        }
        Sem::Date { y, m, d } => match d {
            Some(d) => {
                let yy = year_of(*y, dct, |dct| infer_day_year(*m, *d, dct, tense));
                match yy.and_then(|yy| NaiveDate::from_ymd_opt(yy, *m, *d)) {
                    Some(date) => {
                        day = Some(date);
                        ymd(date)
                    }
                    None => format!("{}-{m:02}-{d:02}", year_str(yy)),
                }
            }
            None => {
                let yy = year_of(*y, dct, |dct| infer_month_year(*m, dct, tense));
                format!("{}-{m:02}", year_str(yy))
            }
        },
        Sem::MonthRel { m, rel } => match dct {
            Some(dct) => {
                let (y, cm) = (dct.year(), dct.month());
                let yy = match rel {
                    r if *r < 0 => {
                        if *m < cm {
                            y
                        } else {
                            y - 1
                        }
                    }
                    r if *r > 0 => {
                        if *m > cm {
                            y
                        } else {
                            y + 1
                        }
                    }
                    _ => y,
                };
                ym(yy, *m)
            }
            None => format!("XXXX-{m:02}"),
        },
        Sem::Year(y) => format!("{y:04}"),
        Sem::Decade(d) => format!("{d:03}"),
        Sem::Century(c) => format!("{c:02}"),
        Sem::Season { y, s } => {
            let start = season_start(s);
            let yy = year_of(*y, dct, |dct| {
                let cy = dct.year();
                match tense {
                    Tense::Future if start < dct.month() => cy + 1,
                    Tense::Past if start > dct.month() => cy - 1,
                    _ => cy,
                }
            });
            format!("{}-{s}", year_str(yy))
        }
        Sem::SeasonRel { s, rel } => {
            let start = season_start(s);
            let yy = dct.map(|dct| {
                let cy = dct.year();
                // a season ends two months after it starts
                let end_month = start + 2;
                match rel {
                    r if *r < 0 => {
                        if end_month < dct.month() {
                            cy
                        } else {
                            cy - 1
                        }
                    }
                    r if *r > 0 => {
                        if start > dct.month() {
                            cy
                        } else {
                            cy + 1
                        }
                    }
                    _ => cy,
                }
            });
            format!("{}-{s}", year_str(yy))
        }
        Sem::Quarter { y, q } => {
            if *q == 0 {
                // the quarter the article reports on
                match (y, ctx.last_quarter, dct) {
                    (YearSpec::Abs(yy), Some((_, lq, _)), _) => format!("{yy:04}-Q{lq}"),
                    (YearSpec::Abs(yy), None, _) => format!("{yy:04}"),
                    (YearSpec::Rel(r), Some((_, lq, _)), Some(d)) => {
                        format!("{:04}-Q{lq}", d.year() + r)
                    }
                    (_, Some((ly, lq, _)), _) => format!("{ly:04}-Q{lq}"),
                    (_, None, Some(dct)) => {
                        let (yy, m) = add_months(dct.year(), dct.month(), -3);
                        format!("{yy:04}-Q{}", quarter_of(m))
                    }
                    (_, None, None) => "XXXX-QX".into(),
                }
            } else {
                let start = (q - 1) * 3 + 1;
                // the latest such quarter that has begun: reports name
                // quarters after the fact whatever the tense
                let yy = year_of(*y, dct, |dct| {
                    if start <= dct.month() {
                        dct.year()
                    } else {
                        dct.year() - 1
                    }
                });
                format!("{}-Q{q}", year_str(yy))
            }
        }
        Sem::Half { y, h } => {
            let yy = year_of(*y, dct, |dct| {
                if *h == 2 && dct.month() < 7 && tense != Tense::Future {
                    dct.year() - 1
                } else {
                    dct.year()
                }
            });
            format!("{}-H{h}", year_str(yy))
        }
        Sem::Weekday { wd, rel } => match dct {
            Some(dct) => {
                let date = match rel {
                    Some(r) if *r < 0 => {
                        let back = (weekday_num(dct) as i64 - *wd as i64).rem_euclid(7);
                        dct - Duration::days(if back == 0 { 7 } else { back })
                    }
                    Some(r) if *r > 0 => {
                        let fwd = (*wd as i64 - weekday_num(dct) as i64).rem_euclid(7);
                        dct + Duration::days(if fwd == 0 { 7 } else { fwd })
                    }
                    Some(_) => {
                        // this Monday: the one of the document's week
                        dct + Duration::days(*wd as i64 - weekday_num(dct) as i64)
                    }
                    None => infer_weekday(*wd, dct, tense),
                };
                day = Some(date);
                ymd(date)
            }
            None => format!("XXXX-WXX-{wd}"),
        },
        Sem::Day(off) => match dct {
            Some(dct) => {
                let date = dct + Duration::days(*off);
                day = Some(date);
                ymd(date)
            }
            None => "XXXX-XX-XX".into(),
        },
        Sem::RefDay => match ctx.last_day.or(dct) {
            Some(d) => {
                day = Some(d);
                ymd(d)
            }
            None => "XXXX-XX-XX".into(),
        },
        Sem::Holiday { y, spec, rel } => {
            let date = match (rel, dct) {
                (Some(r), Some(dct)) => {
                    let cy = dct.year();
                    let this = holiday_date(spec, cy);
                    match (r, this) {
                        (r, Some(t)) if *r < 0 => {
                            if t < dct {
                                Some(t)
                            } else {
                                holiday_date(spec, cy - 1)
                            }
                        }
                        (r, Some(t)) if *r > 0 => {
                            if t > dct {
                                Some(t)
                            } else {
                                holiday_date(spec, cy + 1)
                            }
                        }
                        (_, t) => t,
                    }
                }
                _ => {
                    let yy = year_of(*y, dct, |dct| {
                        let m: u32 = spec.get(..2).and_then(|s| s.parse().ok()).unwrap_or(1);
                        let d: u32 = spec.get(3..5).and_then(|s| s.parse().ok()).unwrap_or(1);
                        infer_day_year(m, d, dct, tense)
                    });
                    yy.and_then(|yy| holiday_date(spec, yy))
                }
            };
            match date {
                Some(d) => {
                    day = Some(d);
                    ymd(d)
                }
                None => format!("XXXX-{}", spec.get(..5).unwrap_or("XX-XX")),
            }
        }
        Sem::RelUnit { unit, rel } => match dct {
            None => match unit {
                Unit::Year => "XXXX".into(),
                Unit::Month => "XXXX-XX".into(),
                Unit::Week | Unit::Weekend => "XXXX-WXX".into(),
                Unit::Quarter => "XXXX-QX".into(),
                Unit::Decade => "XXX".into(),
                Unit::Century => "XX".into(),
                _ => "XXXX-XX-XX".into(),
            },
            Some(dct) => {
                let r = *rel as i64;
                match unit {
                    Unit::Year => format!("{:04}", dct.year() + *rel),
                    Unit::Month => {
                        let (y, m) = add_months(dct.year(), dct.month(), r);
                        ym(y, m)
                    }
                    Unit::Week | Unit::Fortnight => week(dct + Duration::days(7 * r)),
                    Unit::Weekend => {
                        // the weekend before the document date, unless the
                        // clause looks ahead
                        let r = if *rel == 0 && tense == Tense::Future {
                            1
                        } else {
                            *rel
                        };
                        let sat = 6 - weekday_num(dct) as i64;
                        let this_sat = dct + Duration::days(sat);
                        let d = match r {
                            r if r < 0 => this_sat - Duration::days(7),
                            r if r > 0 => {
                                if sat == 0 || weekday_num(dct) == 7 {
                                    this_sat + Duration::days(7)
                                } else {
                                    this_sat
                                }
                            }
                            _ => {
                                if weekday_num(dct) >= 6 {
                                    this_sat
                                } else {
                                    this_sat - Duration::days(7)
                                }
                            }
                        };
                        weekend_of(d)
                    }
                    Unit::Day => ymd(dct + Duration::days(r)),
                    Unit::Quarter => {
                        let (y, m) = add_months(dct.year(), dct.month(), 3 * r);
                        format!("{y:04}-Q{}", quarter_of(m))
                    }
                    Unit::Decade => format!("{:03}", dct.year().div_euclid(10) + *rel),
                    Unit::Century => format!("{:02}", dct.year().div_euclid(100) + *rel),
                    _ => ymd(dct),
                }
            }
        },
        Sem::Offset { unit, n, sign } => {
            let year_quarter = *unit == Unit::Year && *n == Some(1.0) && *sign < 0;
            match (n, dct) {
                _ if year_quarter && recent_quarter(ctx, sentence).is_some() => {
                    let (y, q) = recent_quarter(ctx, sentence).unwrap_or((0, 1));
                    format!("{:04}-Q{q}", y - 1)
                }
                (None, _) => {
                    if *sign < 0 {
                        "PAST_REF".into()
                    } else {
                        "FUTURE_REF".into()
                    }
                }
                (Some(_), None) => "XXXX".into(),
                (Some(n), Some(dct)) => {
                    let k = (n.round() as i64) * *sign as i64;
                    match unit {
                        Unit::Year => format!("{:04}", dct.year() as i64 + k),
                        Unit::Decade => format!("{:04}", dct.year() as i64 + 10 * k),
                        Unit::Century => format!("{:04}", dct.year() as i64 + 100 * k),
                        Unit::Month => {
                            let (y, m) = add_months(dct.year(), dct.month(), k);
                            ym(y, m)
                        }
                        Unit::Quarter => {
                            let (y, m) = add_months(dct.year(), dct.month(), 3 * k);
                            format!("{y:04}-Q{}", quarter_of(m))
                        }
                        Unit::Week | Unit::Fortnight | Unit::Weekend => {
                            let mul = if *unit == Unit::Fortnight { 14 } else { 7 };
                            let d = dct + Duration::days(mul * k);
                            day = Some(d);
                            ymd(d)
                        }
                        Unit::Day => {
                            let d = dct + Duration::days(k);
                            day = Some(d);
                            ymd(d)
                        }
                        Unit::Hour | Unit::Minute | Unit::Second => ymd(dct),
                    }
                }
            }
        }
        Sem::RefUnit { unit, rel } => {
            let r = *rel as i64;
            let cal = ctx
                .last_cal
                .or_else(|| dct.map(|d| (d.year(), Some(d.month()), Some(d.day()))));
            let day_ref = ctx.last_day.or(dct);
            match (unit, cal, day_ref) {
                (Unit::Year, Some((y, _, _)), _) => format!("{:04}", y + *rel),
                (Unit::Month, Some((y, Some(m), _)), _) => {
                    let (y, m) = add_months(y, m, r);
                    ym(y, m)
                }
                (Unit::Week, _, Some(d)) => week(d + Duration::days(7 * r)),
                (Unit::Day, _, Some(d)) => {
                    let d = d + Duration::days(r);
                    day = Some(d);
                    ymd(d)
                }
                (Unit::Year, ..) => "XXXX".into(),
                (Unit::Month, ..) => "XXXX-XX".into(),
                (Unit::Week, ..) => "XXXX-WXX".into(),
                _ => "XXXX-XX-XX".into(),
            }
        }
        Sem::RefWeekday { wd, rel } => match ctx.last_day.or(dct) {
            Some(d) => {
                let cur = weekday_num(d) as i64;
                let date = if *rel < 0 {
                    let back = (cur - *wd as i64).rem_euclid(7);
                    d - Duration::days(if back == 0 { 7 } else { back })
                } else if *rel > 0 {
                    let fwd = (*wd as i64 - cur).rem_euclid(7);
                    d + Duration::days(if fwd == 0 { 7 } else { fwd })
                } else {
                    d + Duration::days(*wd as i64 - cur)
                };
                day = Some(date);
                ymd(date)
            }
            None => format!("XXXX-WXX-{wd}"),
        },
        Sem::YearAgo => match recent_quarter(ctx, sentence) {
            Some((y, q)) => format!("{:04}-Q{q}", y - 1),
            None => match dct {
                Some(d) => format!("{:04}", d.year() - 1),
                None => "XXXX".into(),
            },
        },
    };
    // parts of the day and clock times make a TIME
    let mut value = value;
    if let Some((h, m)) = c.clock {
        ty = TimexType::TIME;
        value = format!("{value}T{h:02}:{m:02}");
    } else if let Some(p) = &c
        .part
        .as_ref()
        .filter(|p| !matches!(c.sem, Sem::Weekday { .. }) || matches!(p.as_str(), "EV" | "AF"))
    {
        // "this morning", "last night" are times; "Friday night" and
        // "Friday morning" stay days (as TimeBank mostly has them)
        if value.len() == 10 || value == "XXXX-XX-XX" || value.starts_with("XXXX-WXX-") {
            ty = TimexType::TIME;
            value = format!("{value}T{p}");
        }
    }
    if let Some(d) = day {
        ctx.last_day = Some(d);
    }
    if ty == TimexType::DATE || ty == TimexType::TIME {
        if let Some(cal) = parse_calendar(&value) {
            ctx.last_cal = Some(cal);
        }
    }
    // the quarter an article reports on has ended
    let named_quarter = matches!(
        c.sem,
        Sem::Quarter {
            y: YearSpec::Abs(_) | YearSpec::Infer | YearSpec::Rel(0),
            ..
        }
    );
    let ended = |y: i32, q: u32| match dct {
        Some(d) => (y, q) < (d.year(), quarter_of(d.month())),
        None => true,
    };
    if let Some((y, q)) = named_quarter
        .then(|| parse_quarter(&value))
        .flatten()
        .filter(|&(y, q)| ended(y, q))
    {
        if ty == TimexType::DATE {
            ctx.last_quarter = Some((y, q, sentence));
        }
    }
    (ty, value)
}

/// A quarter mentioned in this sentence or the one before.
fn recent_quarter(ctx: &Context, sentence: usize) -> Option<(i32, u32)> {
    ctx.last_quarter
        .filter(|&(_, _, s)| s + 8 >= sentence)
        .map(|(y, q, _)| (y, q))
}

fn parse_quarter(v: &str) -> Option<(i32, u32)> {
    let (y, q) = v.split_once("-Q")?;
    Some((y.parse().ok()?, q.parse().ok()?))
}

/// "1998", "1998-10", "1998-10-23" (with an optional time part).
pub(crate) fn parse_calendar(v: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    // (what v.split('T').next() and date.split('-') give, without setting
    // up a searcher for each value)
    let date = v
        .as_bytes()
        .iter()
        .position(|&b| b == b'T')
        .map_or(v, |k| &v[..k]);
    let mut rest = Some(date);
    let mut it = std::iter::from_fn(|| {
        let r = rest?;
        match r.as_bytes().iter().position(|&b| b == b'-') {
            Some(k) => {
                rest = Some(&r[k + 1..]);
                Some(&r[..k])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    });
    let y = it.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let m = match it.next() {
        Some(m) => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let d = match it.next() {
        Some(d) => Some(d.parse().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some((y, m, d))
}
