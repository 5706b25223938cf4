//! Anonymous inquiries (information centre, phone, e-mail): workload, never
//! persons. One registers the person as a client from an inquiry.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use integra_clients::residence::parse_nationality;
use integra_clients::{ClientInput, ClientService, NewResidence, Registered};
use integra_kernel::scope::Capability;
use integra_kernel::scope::can;
use integra_kernel::validate::{date_not_future, int_range, text};
use integra_kernel::{
    AppError, AppResult, Authorized, Backend, BranchId, ClientId, UserId, for_update,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::inquiry;
use crate::model::{
    Inquiry, InquiryChannel, InquiryInput, InquiryOutcome, InterventionKind, Workload,
    WorkloadSlice, join, split,
};
use crate::service::{CounsellingService, language, require_branch};

impl CounsellingService {
    /// Records an anonymous inquiry.
    pub async fn record_inquiry(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        input: &InquiryInput,
    ) -> AppResult<Inquiry> {
        let today = self.today();
        let occurred_on = date_not_future("occurredOn", input.occurred_on.unwrap_or(today), today)?;
        let duration = int_range("durationMinutes", input.duration_minutes, 1, 24 * 60)?;
        let lang = language("language", &input.language)?;
        let nationality = match input.nationality.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(parse_nationality(n).ok_or_else(|| {
                AppError::bad_input("nationality", "is not a country code such as UA or VN")
            })?),
        };
        if input.topics.is_empty() {
            return Err(AppError::bad_input("topics", "choose at least one topic"));
        }
        let referred_to = text("referredTo", &input.referred_to, 200, false)?;
        if input.outcome == InquiryOutcome::Referred && referred_to.is_empty() {
            return Err(AppError::bad_input(
                "referredTo",
                "say where the person was referred",
            ));
        }
        let txn = self.db.scoped_write(auth).await?;
        if let Some(b) = input.branch_id {
            require_branch(&txn, b).await?;
        }
        let mut topics = input.topics.clone();
        topics.sort();
        topics.dedup();
        let row = inquiry::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            occurred_on: Set(occurred_on),
            channel: Set(input.channel.as_str().to_owned()),
            language: Set(lang),
            nationality: Set(nationality),
            topics: Set(join(&topics, crate::model::Topic::as_str)),
            duration_minutes: Set(duration),
            outcome: Set(input.outcome.as_str().to_owned()),
            referred_to: Set(referred_to),
            worker_id: Set(auth.user_id().uuid()),
            branch_id: Set(input.branch_id.map(BranchId::uuid)),
            client_id: Set(None),
            created_at: Set(self.now()),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        from_row(row)
    }

    /// One inquiry.
    pub async fn inquiry(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        id: crate::ids::InquiryId,
    ) -> AppResult<Inquiry> {
        let txn = self.db.scoped(auth).await?;
        let row = txn
            .find_by_id::<inquiry::Entity>(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        txn.commit().await?;
        from_row(row)
    }

    /// Inquiries from `from` to `to` (inclusive), newest first (at most
    /// 1,000).
    pub async fn inquiries(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<Inquiry>> {
        if to < from {
            return Err(AppError::bad_input("to", "must not be before from"));
        }
        let txn = self.db.scoped(auth).await?;
        let rows = txn
            .find::<inquiry::Entity>()
            .filter(inquiry::Column::OccurredOn.between(from, to))
            .order_by_desc(inquiry::Column::OccurredOn)
            .order_by_desc(inquiry::Column::Id)
            .limit(1_000)
            .all(&txn)
            .await?;
        txn.commit().await?;
        rows.into_iter().map(from_row).collect()
    }

    /// Registers the person behind an inquiry as a client, with the usual
    /// duplicate check, and links the inquiry to the new record, in one
    /// transaction: the inquiry is locked first, so two desks turning the
    /// same inquiry into a client at once make one client (the other gets
    /// `CONFLICT`), and a failed registration leaves the inquiry open.
    #[allow(
        clippy::too_many_arguments,
        reason = "the arguments of ClientService::register, plus the inquiry and the desk's proof"
    )]
    pub async fn register_from_inquiry(
        &self,
        clients: &ClientService,
        desk: &Authorized<'_, can::ServeDesk>,
        register: &Authorized<'_, can::RegisterClients>,
        id: crate::ids::InquiryId,
        input: &ClientInput,
        first_status: Option<&NewResidence>,
        confirm_not_duplicate: bool,
    ) -> AppResult<Registered> {
        let txn = self.db.scoped_write(desk).await?;
        let find = txn.find_by_id::<inquiry::Entity>(id);
        let row = for_update(find, &txn)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.client_id.is_some() {
            return Err(AppError::Conflict(
                "This inquiry has already been turned into a client.".into(),
            ));
        }
        let registered = clients
            .register_in(&txn, register, input, first_status, confirm_not_duplicate)
            .await?;
        if let Registered::Created(client) = &registered {
            let mut row = row.into_active_model();
            row.client_id = Set(Some(client.id.uuid()));
            row.update(&txn).await?;
            txn.commit().await?;
        }
        Ok(registered)
    }

    /// The centre's workload from `from` to `to` (inclusive, at most a
    /// year): records and minutes, never persons, by kind, channel, worker,
    /// weekday and hour.
    pub async fn workload(
        &self,
        auth: &Authorized<'_, can::ReadWorkload>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Workload> {
        if to < from {
            return Err(AppError::bad_input("to", "must not be before from"));
        }
        if (to - from).num_days() > 366 {
            return Err(AppError::bad_input("to", "at most a year after from"));
        }
        let backend = self.db.backend();
        let txn = self.db.scoped(auth).await?;
        let rows = txn
            .query_all_raw(txn.stmt(
                "SELECT i.kind AS kind, COUNT(*) AS n, CAST(SUM(i.duration_minutes) AS BIGINT) AS minutes, \
                 CAST(SUM(i.anonymous_count) AS BIGINT) AS anonymous, \
                 CAST(SUM((SELECT COUNT(*) FROM intervention_participants p \
                      WHERE p.tenant_id = i.tenant_id AND p.intervention_id = i.id)) AS BIGINT) AS named \
                 FROM interventions i WHERE i.tenant_id = :tenant AND i.occurred_on BETWEEN ? AND ? \
                 GROUP BY i.kind",
                vec![from.into(), to.into()],
            ))
            .await?;
        let mut out = Workload::default();
        for r in rows {
            let kind: String = r.try_get("", "kind")?;
            let Some(kind) = InterventionKind::parse(&kind) else {
                continue;
            };
            out.interventions.push((
                kind,
                r.try_get::<i64>("", "n")?,
                r.try_get::<Option<i64>>("", "minutes")?.unwrap_or(0),
                r.try_get::<Option<i64>>("", "named")?.unwrap_or(0),
            ));
            out.anonymous_contacts += r.try_get::<Option<i64>>("", "anonymous")?.unwrap_or(0);
        }
        out.interventions.sort_by_key(|(k, ..)| *k);
        let rows = txn
            .query_all_raw(txn.stmt(
                "SELECT channel, COUNT(*) AS n, CAST(SUM(duration_minutes) AS BIGINT) AS minutes FROM inquiries \
                 WHERE tenant_id = :tenant AND occurred_on BETWEEN ? AND ? GROUP BY channel",
                vec![from.into(), to.into()],
            ))
            .await?;
        for r in rows {
            let channel: String = r.try_get("", "channel")?;
            if let Some(c) = InquiryChannel::parse(&channel) {
                out.inquiries.push((
                    c,
                    r.try_get::<i64>("", "n")?,
                    r.try_get::<Option<i64>>("", "minutes")?.unwrap_or(0),
                ));
            }
        }
        out.inquiries.sort_by_key(|(c, ..)| *c);
        // The slices: grouped in SQL by day, worker, channel and the UTC
        // hour the record was made, then folded here (weekday, Prague
        // hour) the same way on both engines.
        let hour = match backend {
            Backend::Postgres => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
            Backend::Sqlite => "strftime('%Y-%m-%d %H', created_at)",
        };
        let mut slices = Slices::default();
        for (table, channel, is_inquiry) in [
            ("interventions", "form", false),
            ("inquiries", "channel", true),
        ] {
            let rows = txn
                .query_all_raw(txn.stmt(
                    &format!(
                        "SELECT occurred_on, worker_id, {channel} AS channel, {hour} AS made, \
                         COUNT(*) AS n, CAST(SUM(duration_minutes) AS BIGINT) AS minutes FROM {table} \
                         WHERE tenant_id = :tenant AND occurred_on BETWEEN ? AND ? \
                         GROUP BY occurred_on, worker_id, {channel}, {hour}"
                    ),
                    vec![from.into(), to.into()],
                ))
                .await?;
            for r in rows {
                let day: NaiveDate = r.try_get("", "occurred_on")?;
                let worker: uuid::Uuid = r.try_get("", "worker_id")?;
                let channel: String = r.try_get("", "channel")?;
                let made: Option<String> = r.try_get("", "made")?;
                let n: i64 = r.try_get("", "n")?;
                let minutes = r.try_get::<Option<i64>>("", "minutes")?.unwrap_or(0);
                let add = |s: &mut WorkloadSlice| {
                    if is_inquiry {
                        s.inquiries += n;
                        s.inquiry_minutes += minutes;
                    } else {
                        s.interventions += n;
                        s.intervention_minutes += minutes;
                    }
                };
                add(slices.worker.entry(worker.to_string()).or_default());
                let channel = if channel == "office" {
                    "in_person"
                } else {
                    channel.as_str()
                };
                add(slices.channel.entry(channel.to_owned()).or_default());
                add(slices
                    .weekday
                    .entry(day.weekday().number_from_monday().to_string())
                    .or_default());
                add(slices
                    .hour
                    .entry(prague_hour(made.as_deref(), day))
                    .or_default());
            }
        }
        let own = auth.user_id().0.to_string();
        let all_workers = can::ReadReports::granted(auth.roles());
        out.by_worker = slices
            .worker
            .into_iter()
            .filter(|(k, _)| all_workers || *k == own)
            .map(keyed)
            .collect();
        out.by_channel = slices.channel.into_iter().map(keyed).collect();
        out.by_weekday = slices.weekday.into_iter().map(keyed).collect();
        out.by_hour = slices.hour.into_iter().map(keyed).collect();
        txn.commit().await?;
        Ok(out)
    }
}

/// The workload's slices while they are being added up.
#[derive(Default)]
struct Slices {
    worker: BTreeMap<String, WorkloadSlice>,
    channel: BTreeMap<String, WorkloadSlice>,
    weekday: BTreeMap<String, WorkloadSlice>,
    hour: BTreeMap<String, WorkloadSlice>,
}

fn keyed((key, s): (String, WorkloadSlice)) -> WorkloadSlice {
    WorkloadSlice { key, ..s }
}

/// The Prague hour (`"09"`) of a record made at the UTC hour `made`
/// (`"2026-05-04 07"`) when that was on the service day `day`; `"unknown"`
/// for records made on another day (entered afterwards).
fn prague_hour(made: Option<&str>, day: NaiveDate) -> String {
    let local = made
        .and_then(|m| {
            chrono::NaiveDateTime::parse_from_str(&format!("{m}:00"), "%Y-%m-%d %H:%M").ok()
        })
        .map(|utc| {
            chrono::Utc
                .from_utc_datetime(&utc)
                .with_timezone(&chrono_tz::Europe::Prague)
        });
    match local {
        Some(t) if t.date_naive() == day => format!("{:02}", t.hour()),
        _ => "unknown".to_owned(),
    }
}

fn from_row(r: inquiry::Model) -> AppResult<Inquiry> {
    Ok(Inquiry {
        id: r.id.into(),
        occurred_on: r.occurred_on,
        channel: InquiryChannel::parse(&r.channel)
            .ok_or_else(|| AppError::internal_msg("stored inquiry channel unknown"))?,
        language: r.language,
        nationality: r.nationality,
        topics: split(&r.topics, crate::model::Topic::parse),
        duration_minutes: r.duration_minutes,
        outcome: InquiryOutcome::parse(&r.outcome).unwrap_or(InquiryOutcome::Answered),
        referred_to: r.referred_to,
        worker_id: UserId(r.worker_id),
        branch_id: r.branch_id.map(Into::into),
        client_id: r.client_id.map(ClientId),
    })
}
