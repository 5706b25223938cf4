//! Attendance per session, entered for a whole session at once, and each
//! participant's standing: attended share, completion (at least the
//! course's threshold of all scheduled sessions, default 70 %), and whether
//! they gained at least one CEFR level.

use std::collections::HashMap;

use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::enrolment::{find, list_out};
use crate::entity::{attendance, enrolment, session};
use crate::model::{Enrolment, EnrolmentStatus, Level, Mark, SessionStatus, Standing};
use crate::service::{CourseService, teaching};

/// Most participants in one attendance entry.
pub const MAX_MARKS: usize = 500;

impl CourseService {
    /// Records attendance for a whole session at once (lecturers: their
    /// courses). Every mark must be for an enrolled participant of the
    /// session's course; marks given before for others are kept. Not for a
    /// cancelled session or one that has not started.
    pub async fn record_attendance(
        &self,
        auth: &Authorized<'_, can::Teach>,
        session_id: crate::ids::SessionId,
        marks: &[(crate::ids::EnrolmentId, Mark)],
    ) -> AppResult<usize> {
        if marks.len() > MAX_MARKS {
            return Err(AppError::bad_input(
                "marks",
                format!("at most {MAX_MARKS} at once"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (n, (e, _)) in marks.iter().enumerate() {
            if !seen.insert(*e) {
                return Err(AppError::bad_input(
                    format!("marks[{n}].enrolmentId"),
                    "appears twice",
                ));
            }
        }
        let now = self.now();
        let txn = self.db().scoped_write(auth).await?;
        let s = txn
            .find_by_id::<session::Entity>(session_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        teaching(&txn, auth, s.course_id).await?;
        if s.status == SessionStatus::Cancelled.as_str() {
            return Err(AppError::bad_input("sessionId", "the session is cancelled"));
        }
        if s.starts_at > now {
            return Err(AppError::bad_input(
                "sessionId",
                "attendance is taken once the session has started",
            ));
        }
        let enrolled: HashMap<Uuid, enrolment::Model> = txn
            .find::<enrolment::Entity>()
            .filter(enrolment::Column::CourseId.eq(s.course_id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        for (n, (e, _)) in marks.iter().enumerate() {
            if !enrolled.contains_key(&e.uuid()) {
                return Err(AppError::bad_input(
                    format!("marks[{n}].enrolmentId"),
                    "is not enrolled in this course",
                ));
            }
        }
        if marks.is_empty() {
            txn.commit().await?;
            return Ok(0);
        }
        attendance::Entity::insert_many(marks.iter().map(|(e, m)| attendance::ActiveModel {
            tenant_id: Set(auth.centre_id().uuid()),
            session_id: Set(s.id),
            enrolment_id: Set((*e).into()),
            status: Set(m.as_str().to_owned()),
            recorded_by: Set(Some(auth.user_id().uuid())),
            recorded_at: Set(now),
        }))
        .on_conflict(
            OnConflict::columns([
                attendance::Column::TenantId,
                attendance::Column::SessionId,
                attendance::Column::EnrolmentId,
            ])
            .update_columns([
                attendance::Column::Status,
                attendance::Column::RecordedBy,
                attendance::Column::RecordedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(marks.len())
    }

    /// The marks of one session: enrolment id → mark.
    pub async fn session_attendance(
        &self,
        auth: &Authorized<'_, can::Teach>,
        session_id: crate::ids::SessionId,
    ) -> AppResult<Vec<(Uuid, Mark)>> {
        let txn = self.db().scoped(auth).await?;
        let s = txn
            .find_by_id::<session::Entity>(session_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        teaching(&txn, auth, s.course_id).await?;
        let rows = txn
            .find::<attendance::Entity>()
            .filter(attendance::Column::SessionId.eq(s.id))
            .order_by_asc(attendance::Column::EnrolmentId)
            .all(&txn)
            .await?;
        txn.commit().await?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    r.enrolment_id,
                    Mark::parse(&r.status).ok_or_else(|| AppError::internal_msg("unknown mark"))?,
                ))
            })
            .collect()
    }

    /// Records the level a participant leaves with.
    pub async fn set_exit_level(
        &self,
        auth: &Authorized<'_, can::Teach>,
        enrolment_id: crate::ids::EnrolmentId,
        level: Level,
    ) -> AppResult<Enrolment> {
        let txn = self.db().scoped_write(auth).await?;
        let row = find(&txn, enrolment_id.into()).await?;
        teaching(&txn, auth, row.course_id).await?;
        let mut a = row.into_active_model();
        a.exit_level = Set(level.as_str().to_owned());
        a.updated_at = Set(self.now());
        let saved = a.update(&txn).await?;
        let out = list_out(&txn, vec![saved])
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        txn.commit().await?;
        Ok(out)
    }

    /// Each enrolled participant's standing in a course.
    pub async fn standings(
        &self,
        auth: &Authorized<'_, can::Teach>,
        course_id: crate::ids::CourseId,
    ) -> AppResult<Vec<Standing>> {
        let now = self.now();
        let txn = self.db().scoped(auth).await?;
        let c = teaching(&txn, auth, course_id.into()).await?;
        let sessions = txn
            .find::<session::Entity>()
            .filter(session::Column::CourseId.eq(c.id))
            .filter(session::Column::Status.eq(SessionStatus::Scheduled.as_str()))
            .all(&txn)
            .await?;
        let total = i64::try_from(sessions.len()).unwrap_or(i64::MAX);
        let held = i64::try_from(sessions.iter().filter(|s| s.starts_at <= now).count())
            .unwrap_or(i64::MAX);
        let scheduled: std::collections::HashSet<Uuid> = sessions.iter().map(|s| s.id).collect();
        let rows = txn
            .find::<enrolment::Entity>()
            .filter(enrolment::Column::CourseId.eq(c.id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
            .order_by_asc(enrolment::Column::Id)
            .all(&txn)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut attended: HashMap<Uuid, i64> = HashMap::new();
        for chunk in ids.chunks(500) {
            for a in txn
                .find::<attendance::Entity>()
                .filter(attendance::Column::EnrolmentId.is_in(chunk.iter().copied()))
                .all(&txn)
                .await?
            {
                if scheduled.contains(&a.session_id)
                    && Mark::parse(&a.status).is_some_and(Mark::attended)
                {
                    *attended.entry(a.enrolment_id).or_default() += 1;
                }
            }
        }
        let list = list_out(&txn, rows).await?;
        txn.commit().await?;
        Ok(list
            .into_iter()
            .map(|e| {
                let a = attended.get(&e.id.uuid()).copied().unwrap_or(0);
                let percent = if total == 0 { 0 } else { a * 100 / total };
                let gained = matches!((e.entry_level, e.exit_level), (Some(i), Some(o)) if o.rank() > i.rank());
                Standing {
                    sessions_held: held,
                    attended: a,
                    attendance_percent: percent,
                    completed: total > 0 && a * 100 >= i64::from(c.completion_percent) * total,
                    gained_level: gained,
                    enrolment: e,
                }
            })
            .collect())
    }
}

/// The sessions an enrolment attended (present or late).
pub(crate) async fn attended_sessions(
    txn: &TenantTx,
    enrolment: Uuid,
) -> AppResult<std::collections::HashSet<Uuid>> {
    Ok(txn
        .find::<attendance::Entity>()
        .filter(attendance::Column::EnrolmentId.eq(enrolment))
        .all(txn)
        .await?
        .into_iter()
        .filter(|a| Mark::parse(&a.status).is_some_and(Mark::attended))
        .map(|a| a.session_id)
        .collect())
}
