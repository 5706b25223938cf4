//! Sessions from an RFC 5545 recurrence rule in Europe/Prague local time
//! (the `rrule` crate expands it, across daylight-saving changes), without
//! the Czech public holidays, which are returned as skipped days.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Prague;
use integra_kernel::{AppError, AppResult};

use crate::holidays::holiday;

/// Most sessions one rule may produce.
pub const MAX_SESSIONS: u16 = 300;

/// Longest session.
pub const MAX_SESSION_HOURS: i64 = 10;

/// A schedule as a coordinator states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The rule, e.g. `FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24` (with or without
    /// the `RRULE:` prefix). It must end: `COUNT` or `UNTIL`.
    pub rule: String,
    /// The first day (the rule's DTSTART date).
    pub first_day: NaiveDate,
    /// Local start time of each session.
    pub start_time: NaiveTime,
    /// Local end time of each session.
    pub end_time: NaiveTime,
}

/// One session's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
}

/// A day the rule gives that is a public holiday, with the holiday's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The day.
    pub day: NaiveDate,
    /// The holiday.
    pub reason: String,
}

/// The instant of a local Prague day and time (the earlier of two in the
/// autumn hour that happens twice; the time after a spring gap).
pub fn at(day: NaiveDate, time: NaiveTime) -> AppResult<DateTime<Utc>> {
    let local = day.and_time(time);
    Prague
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Prague
                .from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::bad_input("startTime", "is not a time that exists that day"))
}

/// Parses `HH:MM`; `field` names it in the error.
pub fn parse_time(field: &str, raw: &str) -> AppResult<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| AppError::bad_input(field, "expected a time as HH:MM, e.g. 17:00"))
}

/// Expands `schedule` into sessions, skipping public holidays.
pub fn expand(schedule: &Schedule) -> AppResult<(Vec<Occurrence>, Vec<Skipped>)> {
    if schedule.end_time <= schedule.start_time {
        return Err(AppError::bad_input(
            "schedule.endTime",
            "must be after the start time",
        ));
    }
    if schedule.end_time - schedule.start_time > chrono::Duration::hours(MAX_SESSION_HOURS) {
        return Err(AppError::bad_input(
            "schedule.endTime",
            format!("a session lasts at most {MAX_SESSION_HOURS} hours"),
        ));
    }
    let rule = schedule.rule.trim();
    let rule = rule.strip_prefix("RRULE:").unwrap_or(rule).trim();
    if rule.is_empty() {
        return Err(AppError::bad_input("schedule.rule", "is required"));
    }
    if rule.contains(['\n', '\r']) || rule.len() > 500 {
        return Err(AppError::bad_input(
            "schedule.rule",
            "must be one RRULE line",
        ));
    }
    let upper = rule.to_ascii_uppercase();
    if !upper.contains("COUNT=") && !upper.contains("UNTIL=") {
        return Err(AppError::bad_input(
            "schedule.rule",
            "must end: give COUNT (number of sessions) or UNTIL (last day)",
        ));
    }
    let start = schedule.first_day.and_time(schedule.start_time);
    let text = format!(
        "DTSTART;TZID=Europe/Prague:{}\nRRULE:{rule}",
        start.format("%Y%m%dT%H%M%S")
    );
    let set: rrule::RRuleSet = text.parse().map_err(|e: rrule::RRuleError| {
        AppError::bad_input(
            "schedule.rule",
            format!("is not a valid recurrence rule: {e}"),
        )
    })?;
    let result = set.all(MAX_SESSIONS + 1);
    if result.dates.len() > usize::from(MAX_SESSIONS) {
        return Err(AppError::bad_input(
            "schedule.rule",
            format!("gives more than {MAX_SESSIONS} sessions"),
        ));
    }
    let mut sessions = Vec::new();
    let mut skipped = Vec::new();
    for d in result.dates {
        let day = d.date_naive();
        if let Some(name) = holiday(day) {
            skipped.push(Skipped {
                day,
                reason: name.to_owned(),
            });
            continue;
        }
        sessions.push(Occurrence {
            starts_at: at(day, schedule.start_time)?,
            ends_at: at(day, schedule.end_time)?,
        });
    }
    if sessions.is_empty() {
        return Err(AppError::bad_input(
            "schedule.rule",
            "gives no session (every day it gives is a public holiday, or none)",
        ));
    }
    Ok((sessions, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn schedule(rule: &str, first: NaiveDate) -> Schedule {
        Schedule {
            rule: rule.into(),
            first_day: first,
            start_time: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            end_time: NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
        }
    }

    #[test]
    fn tuesdays_and_thursdays_for_twelve_weeks_across_easter_and_dst() {
        // 2 March 2027: DST starts 28 March, Good Friday 26 March (a
        // Friday: not a course day), Easter Monday 29 March (a Monday).
        // Use Mondays and Thursdays so Easter Monday is skipped.
        let (sessions, skipped) = expand(&schedule(
            "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=24",
            day(2027, 3, 1),
        ))
        .unwrap();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(skipped[0].day, day(2027, 3, 29));
        assert_eq!(skipped[0].reason, "Velikonoční pondělí");
        assert_eq!(sessions.len(), 23);
        // Always 17:00 in Prague: 16:00 UTC in winter, 15:00 UTC in summer.
        for s in &sessions {
            let local = s.starts_at.with_timezone(&Prague);
            assert_eq!((local.hour(), local.minute()), (17, 0));
            assert_eq!(s.ends_at - s.starts_at, chrono::Duration::minutes(90));
        }
        assert_eq!(sessions[0].starts_at.hour(), 16);
        assert_eq!(sessions.last().unwrap().starts_at.hour(), 15);
    }

    #[test]
    fn autumn_change_keeps_local_time() {
        let (sessions, _) =
            expand(&schedule("FREQ=WEEKLY;BYDAY=TU;COUNT=3", day(2026, 10, 20))).unwrap();
        let hours: Vec<u32> = sessions.iter().map(|s| s.starts_at.hour()).collect();
        assert_eq!(hours, [15, 16, 16], "27 Oct and 3 Nov are in winter time");
    }

    #[test]
    fn bad_rules_name_the_field() {
        for (rule, needle) in [
            ("", "required"),
            ("FREQ=WEEKLY;BYDAY=TU", "must end"),
            ("FREQ=SOMETIMES;COUNT=3", "not a valid"),
            ("FREQ=DAILY;COUNT=400", "more than"),
        ] {
            let e = expand(&schedule(rule, day(2026, 2, 2))).unwrap_err();
            let text = e.to_string();
            assert!(text.starts_with("schedule.rule:"), "{rule}: {text}");
            assert!(text.contains(needle), "{rule}: {text}");
        }
        let mut s = schedule("FREQ=WEEKLY;COUNT=2", day(2026, 2, 2));
        s.end_time = s.start_time;
        assert!(
            expand(&s)
                .unwrap_err()
                .to_string()
                .starts_with("schedule.endTime")
        );
    }

    #[test]
    fn christmas_is_skipped() {
        let (sessions, skipped) = expand(&schedule(
            "FREQ=DAILY;UNTIL=20261227T230000Z",
            day(2026, 12, 22),
        ))
        .unwrap();
        assert_eq!(sessions.len(), 3, "22, 23 and 27 December");
        assert_eq!(
            skipped.iter().map(|s| s.day).collect::<Vec<_>>(),
            [day(2026, 12, 24), day(2026, 12, 25), day(2026, 12, 26)]
        );
    }
}
