//! Outreach slots: recurring presence such as "immigration office desk,
//! Mondays 9:00–12:00, Příbram", as RFC 5545 weekly rules expanded in
//! Europe/Prague local time (the `rrule` crate does the expansion, across
//! daylight-saving changes), and the field-work sessions held in them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use integra_kernel::scope::can;
use integra_kernel::validate::text;
use integra_kernel::{AppError, AppResult, Authorized, BranchId, UserId};
use rrule::{RRule, Tz};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::entity::{intervention, slot};
use crate::model::{OutreachOccurrence, OutreachSlot, OutreachSlotInput};
use crate::service::{CounsellingService, require_branch, require_staff};

/// Most occurrences one schedule answer lists.
pub const MAX_OCCURRENCES: u16 = 1_000;

fn parse_time(field: &str, v: &str) -> AppResult<NaiveTime> {
    NaiveTime::parse_from_str(v.trim(), "%H:%M")
        .map_err(|_| AppError::bad_input(field, "must be a time such as 09:00"))
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// The stored rule for the input: `FREQ=WEEKLY;INTERVAL=n;BYDAY=…`.
fn rule_text(weekdays: &[Weekday], every: i32) -> String {
    let days: Vec<&str> = weekdays.iter().map(|d| weekday_code(*d)).collect();
    format!("FREQ=WEEKLY;INTERVAL={every};BYDAY={}", days.join(","))
}

/// A local Prague date and time as an instant (the earlier one when the
/// clock is set back; the next valid minute when it jumps forward).
pub fn prague(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let tz = chrono_tz::Europe::Prague;
    let local = date.and_time(time);
    match tz.from_local_datetime(&local).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => tz
            .from_local_datetime(&(local + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local)),
    }
}

/// The local dates of a slot between `from` and `to` (inclusive).
pub fn occurrence_dates(
    s: &OutreachSlot,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<NaiveDate>> {
    let start = from.max(s.valid_from);
    let end = s.valid_to.map_or(to, |v| v.min(to));
    if end < start {
        return Ok(Vec::new());
    }
    let rule: RRule<rrule::Unvalidated> = s
        .rrule
        .parse()
        .map_err(|e| AppError::internal_msg(format!("stored rule: {e}")))?;
    let tz = Tz::Europe__Prague;
    let midnight = NaiveTime::MIN;
    let dt_start = tz
        .from_local_datetime(&s.valid_from.and_time(midnight))
        .earliest()
        .ok_or_else(|| AppError::internal_msg("slot start not representable"))?;
    let set = rule
        .build(dt_start)
        .map_err(|e| AppError::internal_msg(format!("stored rule: {e}")))?;
    let after = tz
        .from_local_datetime(&start.and_time(midnight))
        .earliest()
        .ok_or_else(|| AppError::internal_msg("date not representable"))?;
    let before = tz
        .from_local_datetime(&(end + chrono::Duration::days(1)).and_time(midnight))
        .earliest()
        .ok_or_else(|| AppError::internal_msg("date not representable"))?;
    let result = set
        .after(after - chrono::Duration::seconds(1))
        .before(before - chrono::Duration::seconds(1))
        .all(MAX_OCCURRENCES);
    Ok(result.dates.iter().map(|d| d.date_naive()).collect())
}

impl CounsellingService {
    /// Creates an outreach slot (centre admins).
    pub async fn create_outreach_slot(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        input: &OutreachSlotInput,
    ) -> AppResult<OutreachSlot> {
        let title = text("title", &input.title, 200, true)?;
        let place = text("place", &input.place, 200, true)?;
        let municipality = text("municipality", &input.municipality, 100, false)?;
        let starts = parse_time("startsTime", &input.starts_time)?;
        let ends = parse_time("endsTime", &input.ends_time)?;
        if ends <= starts {
            return Err(AppError::bad_input("endsTime", "must be after the start"));
        }
        if input.weekdays.is_empty() {
            return Err(AppError::bad_input("weekdays", "choose at least one day"));
        }
        let every = input.every_weeks.unwrap_or(1);
        if !(1..=8).contains(&every) {
            return Err(AppError::bad_input("everyWeeks", "must be between 1 and 8"));
        }
        if input.valid_to.is_some_and(|t| t < input.valid_from) {
            return Err(AppError::bad_input(
                "validTo",
                "must not be before validFrom",
            ));
        }
        let mut days = input.weekdays.clone();
        days.sort_by_key(|d| d.num_days_from_monday());
        days.dedup();
        let rule = rule_text(&days, every);
        // Validate the rule through the library before storing it.
        rule.parse::<RRule<rrule::Unvalidated>>()
            .map_err(|e| AppError::bad_input("weekdays", format!("{e}")))?;
        let txn = self.db.scoped_write(auth).await?;
        if let Some(b) = input.branch_id {
            require_branch(&txn, b).await?;
        }
        if let Some(w) = input.worker_id {
            require_staff(&txn, auth, &[w], "workerId").await?;
        }
        let row = slot::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            title: Set(title),
            place: Set(place),
            municipality: Set(municipality),
            branch_id: Set(input.branch_id.map(BranchId::uuid)),
            worker_id: Set(input.worker_id.map(UserId::uuid)),
            rrule: Set(rule),
            starts_time: Set(starts.format("%H:%M").to_string()),
            ends_time: Set(ends.format("%H:%M").to_string()),
            valid_from: Set(input.valid_from),
            valid_to: Set(input.valid_to),
            created_at: Set(self.now()),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(from_row(row))
    }

    /// The centre's outreach slots.
    pub async fn outreach_slots(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
    ) -> AppResult<Vec<OutreachSlot>> {
        let txn = self.db.scoped(auth).await?;
        let rows = txn
            .find::<slot::Entity>()
            .order_by_asc(slot::Column::Title)
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Every occurrence of the centre's slots from `from` to `to`
    /// (inclusive, at most 366 days), with the sessions recorded in each.
    pub async fn outreach_schedule(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<OutreachOccurrence>> {
        if to < from {
            return Err(AppError::bad_input("to", "must not be before from"));
        }
        if (to - from).num_days() > 366 {
            return Err(AppError::bad_input("to", "at most a year at a time"));
        }
        let txn = self.db.scoped(auth).await?;
        let slots = txn.find::<slot::Entity>().all(&txn).await?;
        let recorded: Vec<(uuid::Uuid, Option<uuid::Uuid>, NaiveDate)> = txn
            .find::<intervention::Entity>()
            .select_only()
            .column(intervention::Column::Id)
            .column(intervention::Column::OutreachSlotId)
            .column(intervention::Column::OccurredOn)
            .filter(intervention::Column::OutreachSlotId.is_not_null())
            .filter(intervention::Column::OccurredOn.between(from, to))
            .into_tuple()
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut held: HashMap<(uuid::Uuid, NaiveDate), Vec<uuid::Uuid>> = HashMap::new();
        for (id, slot_id, on) in recorded {
            if let Some(s) = slot_id {
                held.entry((s, on)).or_default().push(id);
            }
        }
        let mut out = Vec::new();
        for row in slots {
            let s = from_row(row);
            let starts = parse_time("startsTime", &s.starts_time)?;
            let ends = parse_time("endsTime", &s.ends_time)?;
            for date in occurrence_dates(&s, from, to)? {
                out.push(OutreachOccurrence {
                    slot_id: s.id,
                    date,
                    starts_at: prague(date, starts),
                    ends_at: prague(date, ends),
                    recorded: held
                        .remove(&(s.id.into(), date))
                        .unwrap_or_default()
                        .into_iter()
                        .map(Into::into)
                        .collect(),
                });
            }
        }
        out.sort_by_key(|o| (o.starts_at, o.slot_id));
        Ok(out)
    }
}

fn from_row(r: slot::Model) -> OutreachSlot {
    OutreachSlot {
        id: r.id.into(),
        title: r.title,
        place: r.place,
        municipality: r.municipality,
        branch_id: r.branch_id.map(Into::into),
        worker_id: r.worker_id.map(UserId),
        rrule: r.rrule,
        starts_time: r.starts_time,
        ends_time: r.ends_time,
        valid_from: r.valid_from,
        valid_to: r.valid_to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(rule: &str, from: NaiveDate, to: Option<NaiveDate>) -> OutreachSlot {
        OutreachSlot {
            id: (uuid::Uuid::nil()).into(),
            title: "Immigration office desk".into(),
            place: "OAMP Příbram".into(),
            municipality: "Příbram".into(),
            branch_id: None,
            worker_id: None,
            rrule: rule.into(),
            starts_time: "09:00".into(),
            ends_time: "12:00".into(),
            valid_from: from,
            valid_to: to,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn mondays_across_the_autumn_clock_change() {
        let s = slot(
            &rule_text(&[Weekday::Mon], 1),
            d(2026, 10, 1),
            Some(d(2026, 11, 30)),
        );
        let dates = occurrence_dates(&s, d(2026, 10, 19), d(2026, 11, 2)).unwrap();
        assert_eq!(
            dates,
            vec![d(2026, 10, 19), d(2026, 10, 26), d(2026, 11, 2)]
        );
        // 9:00 in Prague is 7:00 UTC in summer time and 8:00 UTC after.
        let t = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert_eq!(
            prague(d(2026, 10, 19), t).format("%H:%M").to_string(),
            "07:00"
        );
        assert_eq!(
            prague(d(2026, 10, 26), t).format("%H:%M").to_string(),
            "08:00"
        );
    }

    #[test]
    fn every_other_week_and_validity_bounds() {
        let s = slot(
            &rule_text(&[Weekday::Wed, Weekday::Mon], 2),
            d(2026, 1, 5),
            Some(d(2026, 1, 31)),
        );
        let dates = occurrence_dates(&s, d(2025, 12, 1), d(2026, 3, 1)).unwrap();
        assert_eq!(
            dates,
            vec![d(2026, 1, 5), d(2026, 1, 7), d(2026, 1, 19), d(2026, 1, 21)]
        );
    }
}
