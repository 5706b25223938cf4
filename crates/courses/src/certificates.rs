//! Certificates for participants who completed a course: a PDF in Czech
//! with a number that anyone holding it can check (`verify`), which names
//! the issuing centre and never the holder.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Prague;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, ClientId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::enrolment::find;
use crate::entity::{certificate, course, session};
use crate::model::{CourseKind, EnrolmentStatus, Level, SessionStatus};
use crate::pdf::{CertificateText, render};
use crate::service::{CourseService, lecturers_of, teaching};

/// A certificate, issued once and then the same on every download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The checkable number, e.g. `USTI-2027-7F3K9QXD`.
    pub number: String,
    /// When it was first issued.
    pub issued_at: DateTime<Utc>,
    /// A file name for the download.
    pub file_name: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// What a number check tells anyone: nothing about the holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The course.
    pub course: String,
    /// The issuing centre.
    pub centre: String,
    /// The day of issue.
    pub issued_on: NaiveDate,
}

fn czech_date(d: NaiveDate) -> String {
    d.format("%-d. %-m. %Y").to_string()
}

fn kind_line(kind: &str, level: &str) -> String {
    let k = match CourseKind::parse(kind) {
        Some(CourseKind::CzechLanguage) => "Kurz českého jazyka",
        Some(CourseKind::Conversation) => "Konverzační kurz češtiny",
        Some(CourseKind::Children) => "Kurz češtiny pro děti",
        Some(CourseKind::VocationalCzech) => "Kurz odborné češtiny",
        Some(CourseKind::Sociocultural) => "Sociokulturní kurz",
        Some(CourseKind::AdaptationIntegration) => {
            "Adaptačně-integrační kurz „Vítejte v České republice“"
        }
        None => "Kurz",
    };
    match Level::parse(level) {
        Some(l) => format!("{k}, úroveň {}", l.as_str()),
        None => k.to_owned(),
    }
}

impl CourseService {
    /// The certificate of a participant who completed the course (the
    /// course's attendance threshold met); issued with a new number the
    /// first time, the same number afterwards.
    pub async fn certificate(
        &self,
        auth: &Authorized<'_, can::Teach>,
        enrolment_id: crate::ids::EnrolmentId,
    ) -> AppResult<Certificate> {
        let now = self.now();
        let txn = self.db().scoped_write(auth).await?;
        let e = find(&txn, enrolment_id.into()).await?;
        let c = teaching(&txn, auth, e.course_id).await?;
        if e.status != EnrolmentStatus::Enrolled.as_str() {
            return Err(AppError::bad_input(
                "enrolmentId",
                "only an enrolled participant gets a certificate",
            ));
        }
        let tenant = auth.centre_id().uuid();
        let sessions = txn
            .find::<session::Entity>()
            .filter(session::Column::CourseId.eq(c.id))
            .filter(session::Column::Status.eq(SessionStatus::Scheduled.as_str()))
            .order_by_asc(session::Column::StartsAt)
            .all(&txn)
            .await?;
        let attended = crate::attendance::attended_sessions(&txn, e.id).await?;
        let total = sessions.len();
        let mine: Vec<&session::Model> = sessions
            .iter()
            .filter(|s| attended.contains(&s.id))
            .collect();
        let needed = i64::from(c.completion_percent);
        let done = total > 0
            && i64::try_from(mine.len()).unwrap_or(0) * 100
                >= needed * i64::try_from(total).unwrap_or(i64::MAX);
        if !done {
            return Err(AppError::bad_input(
                "enrolmentId",
                format!(
                    "has not completed the course: attended {} of {total} sessions, {needed} % needed",
                    mine.len()
                ),
            ));
        }
        let (slug, centre_name, seat) =
            integra_tenants::centres::identity(&txn, auth.centre_id()).await?;
        let existing = txn
            .find::<certificate::Entity>()
            .filter(certificate::Column::EnrolmentId.eq(e.id))
            .one(&txn)
            .await?;
        let row = match existing {
            Some(r) => r,
            None => {
                let number = format!(
                    "{}-{}-{}",
                    slug.to_ascii_uppercase(),
                    now.with_timezone(&Prague).format("%Y"),
                    integra_tenants::auth::readable_code(8)?
                );
                let row = certificate::Model {
                    id: Uuid::now_v7(),
                    tenant_id: tenant,
                    enrolment_id: e.id,
                    number,
                    issued_at: now,
                    issued_by: Some(auth.user_id().uuid()),
                };
                certificate::Entity::insert(certificate::ActiveModel {
                    id: Set(row.id),
                    tenant_id: Set(row.tenant_id),
                    enrolment_id: Set(row.enrolment_id),
                    number: Set(row.number.clone()),
                    issued_at: Set(row.issued_at),
                    issued_by: Set(row.issued_by),
                })
                .on_conflict(
                    OnConflict::columns([
                        certificate::Column::TenantId,
                        certificate::Column::EnrolmentId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
                // Two first downloads at once: the one that lost keeps
                // the winner's number.
                txn.find::<certificate::Entity>()
                    .filter(certificate::Column::EnrolmentId.eq(e.id))
                    .one(&txn)
                    .await?
                    .unwrap_or(row)
            }
        };
        let person = integra_clients::facts::summaries(&txn, self.today(), &[e.client_id])
            .await?
            .into_iter()
            .find(|p| p.id == ClientId(e.client_id))
            .ok_or(AppError::NotFound)?;
        let lecturers = lecturers_of(&txn, &[c.id])
            .await?
            .remove(&c.id)
            .unwrap_or_default();
        let names = integra_tenants::staff::user_names(&txn, &lecturers).await?;
        txn.commit().await?;
        let minutes = |list: &[&session::Model]| -> i64 {
            list.iter()
                .map(|s| (s.ends_at - s.starts_at).num_minutes())
                .sum()
        };
        let all: Vec<&session::Model> = sessions.iter().collect();
        let local_day = |t: DateTime<Utc>| t.with_timezone(&Prague).date_naive();
        let text = CertificateText {
            holder: format!("{} {}", person.given_name, person.family_name)
                .trim()
                .to_owned(),
            born: person.birth_date.map(czech_date).unwrap_or_default(),
            course: c.title.clone(),
            kind: kind_line(&c.kind, &c.level),
            dates: match (sessions.first(), sessions.last()) {
                (Some(f), Some(l)) => format!(
                    "{} – {}",
                    czech_date(local_day(f.starts_at)),
                    czech_date(local_day(l.starts_at))
                ),
                _ => String::new(),
            },
            hours: format!("{} z {}", hours(minutes(&mine)), hours(minutes(&all))),
            lecturers: lecturers
                .iter()
                .filter_map(|u: &UserId| names.get(u).cloned())
                .collect::<Vec<_>>()
                .join(", "),
            centre: centre_name,
            issued: format!("V {} dne {}", seat, czech_date(local_day(row.issued_at))),
            number: row.number.clone(),
            verify_at: self.public_url.to_string(),
        };
        let pdf = render(&text).ok_or_else(|| AppError::internal_msg("certificate fonts"))?;
        Ok(Certificate {
            file_name: format!("osvedceni-{}.pdf", row.number),
            number: row.number,
            issued_at: row.issued_at,
            pdf,
        })
    }

    /// Checks a certificate number, without signing in: the course, the
    /// centre and the day of issue, or `NOT_FOUND`.
    pub async fn verify(&self, number: &str) -> AppResult<Verified> {
        let number = number.trim().to_ascii_uppercase();
        if number.len() > 80 {
            return Err(AppError::NotFound);
        }
        let mut parts = number.rsplitn(3, '-');
        let (Some(_code), Some(_year), Some(slug)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(AppError::NotFound);
        };
        let Some(centre) =
            integra_tenants::centres::by_slug(self.platform.connection(), slug).await?
        else {
            return Err(AppError::NotFound);
        };
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let row = txn
            .find::<certificate::Entity>()
            .filter(certificate::Column::Number.eq(number))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let e = txn
            .find_by_id::<crate::entity::enrolment::Entity>(row.enrolment_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let c = txn
            .find_by_id::<course::Entity>(e.course_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let (_, centre_name, _) = integra_tenants::centres::identity(&txn, centre).await?;
        txn.commit().await?;
        Ok(Verified {
            course: c.title,
            centre: centre_name,
            issued_on: row.issued_at.with_timezone(&Prague).date_naive(),
        })
    }
}

fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", minutes as f64 / 60.0).replace('.', ",")
    }
}
