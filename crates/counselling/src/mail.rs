//! Emails to clients about their appointments, queued in the transaction
//! that books, moves or cancels: a confirmation, a reminder the day before
//! (09:00 Prague time, withdrawn when the appointment moves or is
//! cancelled), and notices of a move or a cancellation.
//!
//! Nothing is sent for an appointment without a client, for a client
//! without a usable address, or for an appointment already in the past.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Prague;
use integra_clients::facts::contact;
use integra_kernel::TenantTx;
use integra_kernel::{AppResult, BranchId, ClientId, UserId};
use integra_notify::templates::{
    AppointmentBooked, AppointmentCancelled, AppointmentDetails, AppointmentMoved,
    AppointmentReminder,
};
use integra_notify::{Envelope, Language, cancel_pending, enqueue, is_deliverable};

use crate::entity::appointment;
use crate::model::InterventionKind;

/// What happened to the appointment.
pub(crate) enum Change {
    /// Newly booked.
    Booked,
    /// Moved from this start.
    Moved(DateTime<Utc>),
    /// Cancelled.
    Cancelled,
}

/// The kind of service as the client reads it.
fn service_name(kind: &str, language: Language) -> String {
    let Some(k) = InterventionKind::parse(kind) else {
        return String::new();
    };
    let (cs, en) = match k {
        InterventionKind::SocialCounselling => ("sociální poradenství", "social counselling"),
        InterventionKind::LegalCounselling => ("právní poradenství", "legal counselling"),
        InterventionKind::InterculturalWork => (
            "interkulturní práce a tlumočení",
            "intercultural work and interpreting",
        ),
        InterventionKind::Accompaniment => ("doprovod na úřad", "accompaniment to an office"),
        InterventionKind::InformationService => ("informační služby", "information services"),
        InterventionKind::FieldContact => ("terénní práce", "field work"),
        InterventionKind::CrisisHelp => ("krizová pomoc", "crisis help"),
    };
    match language {
        Language::Cs => cs.to_owned(),
        Language::En => en.to_owned(),
    }
}

/// When the reminder of an appointment starting at `starts_at` goes out:
/// 09:00 Prague time the day before.
pub(crate) fn reminder_at(starts_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let day_before = starts_at.with_timezone(&Prague).date_naive() - Duration::days(1);
    let nine = NaiveTime::from_hms_opt(9, 0, 0)?;
    Prague
        .from_local_datetime(&day_before.and_time(nine))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

fn reminder_reference(id: uuid::Uuid) -> String {
    format!("appointment-reminder:{id}")
}

/// Queues the emails for `change` of `row` in `txn`.
pub(crate) async fn appointment_changed(
    txn: &TenantTx,
    row: &appointment::Model,
    change: Change,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    // Whatever happened, an earlier reminder no longer fits.
    if !matches!(change, Change::Booked) {
        cancel_pending(txn, &reminder_reference(row.id)).await?;
    }
    let Some(client) = row.client_id else {
        return Ok(false);
    };
    if row.starts_at <= now {
        return Ok(false);
    }
    let Some(person) = contact(txn, ClientId(client)).await? else {
        return Ok(false);
    };
    if !is_deliverable(&person.email) {
        return Ok(false);
    }
    let language = Language::for_speaker(&person.languages);
    let (centre, branch_place) =
        integra_tenants::centres::letterhead(txn, row.branch_id.map(BranchId)).await?;
    let worker = integra_tenants::staff::user_names(txn, &[UserId(row.worker_id)])
        .await?
        .remove(&UserId(row.worker_id))
        .unwrap_or_default();
    let details = AppointmentDetails {
        name: person.name.clone(),
        when: language.when(row.starts_at),
        until: language.time(row.ends_at),
        service: service_name(&row.kind, language),
        place: if row.place.trim().is_empty() {
            branch_place
        } else {
            row.place.clone()
        },
        worker,
        centre,
        interpreter_language: if row.interpreter_id.is_some() {
            row.language.clone()
        } else {
            String::new()
        },
    };
    let envelope = |reference: String, send_at: Option<DateTime<Utc>>| Envelope {
        tenant: Some(txn.centre()),
        client: Some(person.id),
        reference,
        to: person.email.clone(),
        to_name: person.name.clone(),
        language,
        send_at,
    };
    let now_ref = format!("appointment:{}", row.id);
    match change {
        Change::Booked => {
            enqueue(
                txn,
                now,
                envelope(now_ref, None),
                &AppointmentBooked {
                    details: details.clone(),
                },
            )
            .await?;
        }
        Change::Moved(previous) => {
            enqueue(
                txn,
                now,
                envelope(now_ref, None),
                &AppointmentMoved {
                    details: details.clone(),
                    previous: language.when(previous),
                },
            )
            .await?;
        }
        Change::Cancelled => {
            enqueue(
                txn,
                now,
                envelope(now_ref, None),
                &AppointmentCancelled { details },
            )
            .await?;
            return Ok(true);
        }
    }
    if let Some(at) = reminder_at(row.starts_at).filter(|at| *at > now) {
        enqueue(
            txn,
            now,
            envelope(reminder_reference(row.id), Some(at)),
            &AppointmentReminder { details },
        )
        .await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_go_out_at_nine_the_day_before_in_prague() {
        // Tuesday 10:00 CET → Monday 09:00 CET = 08:00 UTC.
        let starts = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        assert_eq!(
            reminder_at(starts),
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap())
        );
        // Across the spring change: Monday 30 March 2026 (CEST) 10:00 →
        // Sunday 29 March 09:00 CEST = 07:00 UTC.
        let starts = Utc.with_ymd_and_hms(2026, 3, 30, 8, 0, 0).unwrap();
        assert_eq!(
            reminder_at(starts),
            Some(Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap())
        );
    }

    #[test]
    fn every_service_has_a_name_in_each_language() {
        for k in InterventionKind::ALL {
            for l in Language::ALL {
                assert!(!service_name(k.as_str(), l).is_empty(), "{k:?}");
            }
        }
    }
}
