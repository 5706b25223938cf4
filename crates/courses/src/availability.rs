//! Lecturers' weekly availability and absences. Scheduling outside them is
//! allowed but flagged, so the coordinator sees it before the lecturer does.

use chrono::{Datelike, NaiveDate, NaiveTime};
use chrono_tz::Europe::Prague;
use integra_calendar::Span;
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::text;
use integra_kernel::{AppError, AppResult, Authorized, TenantScope, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entity::{absence, availability};
use crate::recurrence::parse_time;
use crate::service::{CourseService, manages};

/// A weekly window: `weekday` 1 = Monday … 7 = Sunday, local times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Day of the week, 1 = Monday.
    pub weekday: u32,
    /// From, `HH:MM`.
    pub starts: String,
    /// To, `HH:MM`.
    pub ends: String,
}

/// Days away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absence {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub user_id: UserId,
    /// First day away.
    pub first_day: NaiveDate,
    /// Last day away.
    pub last_day: NaiveDate,
    /// Why (holiday, illness…).
    pub reason: String,
}

/// Lecturers set their own; course managers anyone's.
fn may_edit(scope: &TenantScope, user: UserId) -> AppResult<()> {
    if manages(scope) || scope.user_id() == user {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl CourseService {
    /// Replaces a lecturer's weekly availability (empty: no windows, which
    /// means available any time).
    pub async fn set_availability(
        &self,
        auth: &Authorized<'_, can::Teach>,
        user: UserId,
        windows: &[Window],
    ) -> AppResult<Vec<Window>> {
        may_edit(auth, user)?;
        let mut rows = Vec::new();
        for (n, w) in windows.iter().enumerate() {
            let field = |f: &str| format!("windows[{n}].{f}");
            if !(1..=7).contains(&w.weekday) {
                return Err(AppError::bad_input(
                    field("weekday"),
                    "must be 1 (Monday) to 7 (Sunday)",
                ));
            }
            let starts = parse_time(&field("starts"), &w.starts)?;
            let ends = parse_time(&field("ends"), &w.ends)?;
            if ends <= starts {
                return Err(AppError::bad_input(
                    field("ends"),
                    "must be after the start",
                ));
            }
            rows.push((w.weekday, starts, ends));
        }
        let txn = self.db().scoped_write(auth).await?;
        integra_tenants::staff::require_members(&txn, &[user], "userId").await?;
        txn.delete_many::<availability::Entity>()
            .filter(availability::Column::UserId.eq(user.uuid()))
            .exec(&txn)
            .await?;
        if !rows.is_empty() {
            availability::Entity::insert_many(rows.iter().map(|(d, s, e)| {
                availability::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    tenant_id: Set(auth.centre_id().uuid()),
                    user_id: Set(user.uuid()),
                    weekday: Set(i32::try_from(*d).unwrap_or(1)),
                    starts: Set(s.format("%H:%M").to_string()),
                    ends: Set(e.format("%H:%M").to_string()),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        let out = windows_of(&txn, user).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// A lecturer's weekly availability.
    pub async fn availability(
        &self,
        auth: &Authorized<'_, can::Teach>,
        user: UserId,
    ) -> AppResult<Vec<Window>> {
        let txn = self.db().scoped(auth).await?;
        let out = windows_of(&txn, user).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Records days a lecturer is away.
    pub async fn add_absence(
        &self,
        auth: &Authorized<'_, can::Teach>,
        user: UserId,
        first_day: NaiveDate,
        last_day: NaiveDate,
        reason: &str,
    ) -> AppResult<Absence> {
        may_edit(auth, user)?;
        if last_day < first_day {
            return Err(AppError::bad_input(
                "lastDay",
                "must not be before firstDay",
            ));
        }
        let reason = text("reason", reason, 200, false)?;
        let txn = self.db().scoped_write(auth).await?;
        integra_tenants::staff::require_members(&txn, &[user], "userId").await?;
        let id = Uuid::now_v7();
        absence::Entity::insert(absence::ActiveModel {
            id: Set(id),
            tenant_id: Set(auth.centre_id().uuid()),
            user_id: Set(user.uuid()),
            first_day: Set(first_day),
            last_day: Set(last_day),
            reason: Set(reason.clone()),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(Absence {
            id,
            user_id: user,
            first_day,
            last_day,
            reason,
        })
    }
}

async fn windows_of(txn: &TenantTx, user: UserId) -> AppResult<Vec<Window>> {
    Ok(txn
        .find::<availability::Entity>()
        .filter(availability::Column::UserId.eq(user.uuid()))
        .order_by_asc(availability::Column::Weekday)
        .order_by_asc(availability::Column::Starts)
        .all(txn)
        .await?
        .into_iter()
        .map(|r| Window {
            weekday: u32::try_from(r.weekday).unwrap_or(1),
            starts: r.starts,
            ends: r.ends,
        })
        .collect())
}

/// Sessions at `spans` that fall outside a lecturer's windows (when they
/// have any) or during their absence, as sentences for the planner.
pub(crate) async fn flags(
    txn: &TenantTx,
    lecturers: &[UserId],
    spans: &[Span],
) -> AppResult<Vec<String>> {
    if lecturers.is_empty() || spans.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = lecturers.iter().map(|u| u.uuid()).collect();
    let windows = txn
        .find::<availability::Entity>()
        .filter(availability::Column::UserId.is_in(ids.clone()))
        .all(txn)
        .await?;
    let absences = txn
        .find::<absence::Entity>()
        .filter(absence::Column::UserId.is_in(ids))
        .all(txn)
        .await?;
    if windows.is_empty() && absences.is_empty() {
        return Ok(Vec::new());
    }
    let names = integra_tenants::staff::user_names(txn, lecturers).await?;
    let time = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").ok();
    let mut out = Vec::new();
    for span in spans {
        let start = span.starts_at.with_timezone(&Prague);
        let end = span.ends_at.with_timezone(&Prague);
        let day = start.date_naive();
        let when = start.format("%Y-%m-%d %H:%M");
        for u in lecturers {
            let name = names.get(u).map(String::as_str).unwrap_or("a lecturer");
            let own: Vec<&availability::Model> =
                windows.iter().filter(|w| w.user_id == u.uuid()).collect();
            let weekday = i32::try_from(day.weekday().number_from_monday()).unwrap_or(1);
            let inside = own.iter().any(|w| {
                w.weekday == weekday
                    && time(&w.starts).is_some_and(|s| s <= start.time())
                    && time(&w.ends).is_some_and(|e| end.date_naive() == day && end.time() <= e)
            });
            if !own.is_empty() && !inside {
                out.push(format!(
                    "{name}: {when} is outside their weekly availability"
                ));
            }
            if let Some(a) = absences
                .iter()
                .find(|a| a.user_id == u.uuid() && a.first_day <= day && day <= a.last_day)
            {
                let why = if a.reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", a.reason)
                };
                out.push(format!("{name}: {when} falls in an absence{why}"));
            }
        }
    }
    Ok(out)
}
