//! "Did this help you?": after a course has ended (its participants who
//! completed it) or a case has closed (its client), staff ask for a
//! short answer. Each person gets a single-use link — by email when they
//! have an address, otherwise the link is handed over by staff — to a
//! public page in Czech, English or Ukrainian. A "helpful" answer counts
//! toward the result indicator [`Indicator::ReportedHelpful`] in the month
//! it was given, for the funding project of the course or of the case's
//! latest intervention.
//!
//! [`Indicator::ReportedHelpful`]: crate::Indicator::ReportedHelpful

use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use integra_clients::facts::contacts;
use integra_kernel::TenantTx;
use integra_kernel::lifecycle::{ExportSection, words};
use integra_kernel::scope::can;
use integra_kernel::validate::text;
use integra_kernel::{
    AppError, AppResult, Authorized, CentreId, ClientId, Database, PlatformDb, SharedClock,
    TenantScope, stmt, vocabulary,
};
use integra_notify::templates::FeedbackRequest;
use integra_notify::{Envelope, Language, MailSignal, enqueue, is_deliverable};
use integra_tenants::auth::sha256_hex;
use sea_orm::ConnectionTrait;
use std::sync::Arc;
use uuid::Uuid;

use crate::facts::local_day;

vocabulary!(
    /// What a person said.
    Answer {
        /// It helped.
        Helpful = "helpful",
        /// It helped in part.
        Partly = "partly",
        /// It did not help.
        NotHelpful = "not_helpful",
    }
);

vocabulary!(
    /// What a person is asked about.
    Subject {
        /// A course they completed.
        Course = "course",
        /// A counselling case that closed.
        Case = "case",
    }
);

/// One person asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    /// The client.
    pub client_id: ClientId,
    /// Their name, for the staff member handing the link over.
    pub client_name: String,
    /// The single-use answer page.
    pub link: String,
    /// Whether the link went out by email.
    pub emailed: bool,
}

/// What asking did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AskedFor {
    /// Newly asked.
    pub asked: Vec<Asked>,
    /// Already asked before (not asked again).
    pub already: i64,
}

/// The public page's view of a request: never the person's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicFeedback {
    /// The centre.
    pub centre: String,
    /// The course's title, or empty for counselling.
    pub title: String,
    /// What it is about.
    pub subject: Subject,
    /// Already answered (the link is used up).
    pub answered: bool,
}

/// Answers to one course or case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackSummary {
    /// What was asked about.
    pub subject: Subject,
    /// The course or case.
    pub subject_id: Uuid,
    /// Its title.
    pub title: String,
    /// People asked.
    pub asked: i64,
    /// Answers by kind.
    pub helpful: i64,
    /// "In part".
    pub partly: i64,
    /// "No".
    pub not_helpful: i64,
    /// The comments given, without names.
    pub comments: Vec<String>,
}

/// Asks for and receives feedback.
#[derive(Clone)]
pub struct FeedbackService {
    /// The platform's doors, for its public and background paths.
    platform: PlatformDb,
    clock: SharedClock,
    courses: integra_courses::CourseService,
    mail: MailSignal,
    public_url: Arc<str>,
}

/// The one message for a link that cannot be used.
pub const LINK_INVALID: &str = "the link is invalid";

impl FeedbackService {
    /// The tenant-scoped handle (the one under the platform's doors).
    pub(crate) fn db(&self) -> &Database {
        self.platform.database()
    }

    /// Creates the service; answer links start with `public_url`.
    pub fn new(
        platform: PlatformDb,
        clock: SharedClock,
        courses: integra_courses::CourseService,
        mail: MailSignal,
        public_url: &str,
    ) -> Self {
        Self {
            platform,
            clock,
            courses,
            mail,
            public_url: Arc::from(public_url.trim_end_matches('/')),
        }
    }

    /// Asks everyone who completed an ended course (the courses' own
    /// completion rule, [`integra_courses::CourseService::standings`]).
    pub async fn ask_course(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        course: Uuid,
    ) -> AppResult<AskedFor> {
        let completed: Vec<ClientId> = self
            .courses
            .standings(&auth.authorize::<can::Teach>()?, course.into())
            .await?
            .into_iter()
            .filter(|s| s.completed)
            .map(|s| s.enrolment.client_id)
            .collect();
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        let row = txn
            .query_one_raw(txn.stmt("SELECT c.title, c.funding_project_id, MAX(s.starts_at) AS last_at \
                 FROM courses c LEFT JOIN course_sessions s \
                 ON s.tenant_id = c.tenant_id AND s.course_id = c.id AND s.status = 'scheduled' \
                 WHERE c.tenant_id = :tenant AND c.id = ? GROUP BY c.id, c.title, c.funding_project_id",
                vec![ course.into()],
            ))
            .await?
            .ok_or(AppError::NotFound)?;
        let title: String = row.try_get("", "title")?;
        let project: Option<Uuid> = row.try_get("", "funding_project_id")?;
        let last: Option<DateTime<Utc>> = row.try_get("", "last_at")?;
        let Some(last) = last.filter(|l| *l <= now) else {
            return Err(AppError::bad_input(
                "courseId",
                "the course has not ended yet; ask when its last session has taken place",
            ));
        };
        self.ask(
            txn,
            auth,
            Subject::Course,
            course,
            &title,
            project,
            local_day(last),
            &completed,
            now,
        )
        .await
    }

    /// Asks the client of a closed case.
    pub async fn ask_case(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        case: Uuid,
    ) -> AppResult<AskedFor> {
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        let row = txn
            .query_one_raw(txn.stmt("SELECT client_id, status, closed_on FROM cases WHERE tenant_id = :tenant AND id = ?",
                vec![ case.into()],
            ))
            .await?
            .ok_or(AppError::NotFound)?;
        let status: String = row.try_get("", "status")?;
        let closed: Option<NaiveDate> = row.try_get("", "closed_on")?;
        let Some(closed) = closed.filter(|_| status == "closed") else {
            return Err(AppError::bad_input(
                "caseId",
                "the case is still open; ask when it has closed",
            ));
        };
        let client = ClientId(row.try_get("", "client_id")?);
        let project: Option<Uuid> = txn
            .query_one_raw(txn.stmt("SELECT funding_project_id FROM interventions WHERE tenant_id = :tenant AND case_id = ? \
                 ORDER BY occurred_on DESC, id DESC LIMIT 1",
                vec![ case.into()],
            ))
            .await?
            .map(|r| r.try_get("", "funding_project_id"))
            .transpose()?;
        self.ask(
            txn,
            auth,
            Subject::Case,
            case,
            "",
            project,
            closed,
            &[client],
            now,
        )
        .await
    }

    /// Asks `clients` about one course or case and commits `txn`.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn ask(
        &self,
        txn: TenantTx,
        scope: &TenantScope,
        subject: Subject,
        subject_id: Uuid,
        title: &str,
        project: Option<Uuid>,
        served_on: NaiveDate,
        clients: &[ClientId],
        now: DateTime<Utc>,
    ) -> AppResult<AskedFor> {
        let backend = self.db().backend();
        let tenant = scope.centre_id().uuid();
        let mut out = AskedFor::default();
        let before: std::collections::HashSet<Uuid> = txn
            .query_all_raw(txn.stmt("SELECT client_id FROM feedback_requests WHERE tenant_id = :tenant AND subject = ? AND subject_id = ?",
                vec![ subject.as_str().into(), subject_id.into()],
            ))
            .await?
            .iter()
            .map(|r| r.try_get("", "client_id"))
            .collect::<Result<_, _>>()?;
        let people = contacts(&txn, clients).await?;
        let (centre, _) = integra_tenants::centres::letterhead(&txn, None).await?;
        for client in clients {
            if before.contains(&client.0) {
                out.already += 1;
                continue;
            }
            // Anonymised or merged away: nobody to ask.
            let Some(person) = people.get(client) else {
                continue;
            };
            let token = new_token(scope.centre_id())?;
            let link = format!("{}/feedback#{token}", self.public_url);
            let emailed = is_deliverable(&person.email);
            // Asked at the same moment by someone else: theirs stands.
            let inserted = txn
                .execute_raw(stmt(
                backend,
                "INSERT INTO feedback_requests (id, tenant_id, client_id, subject, subject_id, title, \
                 funding_project_id, served_on, token_hash, emailed, requested_by, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (tenant_id, subject, subject_id, client_id) DO NOTHING",
                vec![
                    Uuid::now_v7().into(),
                    tenant.into(),
                    client.0.into(),
                    subject.as_str().into(),
                    subject_id.into(),
                    title.into(),
                    project.into(),
                    served_on.into(),
                    sha256_hex(token.as_bytes()).into(),
                    emailed.into(),
                    scope.user_id().0.into(),
                    now.into(),
                ],
            ))
            .await?
                .rows_affected();
            if inserted == 0 {
                out.already += 1;
                continue;
            }
            if emailed {
                let language = Language::for_speaker(&person.languages);
                let about = match (title.is_empty(), language) {
                    (false, _) => title.to_owned(),
                    (true, Language::Cs) => "poradenství v centru".to_owned(),
                    (true, Language::En) => "counselling at the centre".to_owned(),
                };
                let envelope = Envelope {
                    tenant: Some(scope.centre_id()),
                    client: Some(person.id),
                    reference: format!("feedback:{}:{subject_id}", subject.as_str()),
                    to: person.email.clone(),
                    to_name: person.name.clone(),
                    language,
                    send_at: None,
                };
                let letter = FeedbackRequest {
                    name: person.name.clone(),
                    title: about,
                    centre: centre.clone(),
                    link: link.clone(),
                };
                enqueue(&txn, now, envelope, &letter).await?;
            }
            out.asked.push(Asked {
                client_id: *client,
                client_name: person.name.clone(),
                link,
                emailed,
            });
        }
        txn.commit().await?;
        if out.asked.iter().any(|a| a.emailed) {
            self.mail.wake();
        }
        Ok(out)
    }

    /// The request behind a public link.
    pub async fn public(&self, token: &str) -> AppResult<PublicFeedback> {
        let (centre, hash) = parse_token(token)?;
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let row = find(&txn, &hash).await?;
        let (name, _) = integra_tenants::centres::letterhead(&txn, None).await?;
        txn.commit().await?;
        Ok(PublicFeedback {
            centre: name,
            title: row.1,
            subject: row.0,
            answered: row.2,
        })
    }

    /// Records the answer given through a public link (once).
    pub async fn answer(
        &self,
        token: &str,
        answer: Answer,
        comment: &str,
        language: &str,
    ) -> AppResult<()> {
        let comment = text("comment", comment, 1000, false)?;
        let language = match language.trim() {
            l @ ("cs" | "en" | "uk") => l.to_owned(),
            _ => return Err(AppError::bad_input("language", "use cs, en or uk")),
        };
        let (centre, hash) = parse_token(token)?;
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let (_, _, answered) = find(&txn, &hash).await?;
        if answered {
            return Err(AppError::Conflict(
                "This question has already been answered. Thank you!".into(),
            ));
        }
        let n = txn
            .execute_raw(txn.stmt("UPDATE feedback_requests SET answered_at = ?, answer = ?, comment = ?, language = ? \
             WHERE tenant_id = :tenant AND token_hash = ? AND answered_at IS NULL",
            vec![
                self.clock.now().into(),
                answer.as_str().into(),
                comment.into(),
                language.into(),
                hash.into(),
            ],
        ))
        .await?
        .rows_affected();
        if n == 0 {
            // Answered from another tab between the read and the write.
            return Err(AppError::Conflict(
                "This question has already been answered. Thank you!".into(),
            ));
        }
        txn.commit().await?;
        Ok(())
    }

    /// The questions put to one client and their answers, for the
    /// data-subject export ([`FeedbackClientLinks`](crate::client_links::FeedbackClientLinks)).
    pub(crate) async fn export_section(
        txn: &TenantTx,
        client: ClientId,
    ) -> AppResult<ExportSection> {
        let rows = txn
            .query_all_raw(txn.stmt(
                "SELECT subject, title, created_at, emailed, answered_at, answer, comment FROM feedback_requests \
                 WHERE tenant_id = :tenant AND client_id = ? ORDER BY created_at, id",
                vec![ client.uuid().into()],
            ))
            .await?;
        let mut out = ExportSection::new(
            "Asked whether it helped",
            &[
                "About",
                "Asked",
                "By e-mail",
                "Answered",
                "Answer",
                "Comment",
            ],
        );
        let when = |t: Option<DateTime<Utc>>| {
            t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default()
        };
        for r in rows {
            let subject: String = r.try_get("", "subject")?;
            let title: String = r.try_get("", "title")?;
            let emailed: bool = r.try_get("", "emailed")?;
            out.push(vec![
                if title.is_empty() {
                    words(&subject)
                } else {
                    format!("{} {title}", words(&subject))
                },
                when(Some(r.try_get("", "created_at")?)),
                if emailed { "yes" } else { "no" }.to_owned(),
                when(r.try_get("", "answered_at")?),
                r.try_get::<Option<String>>("", "answer")?
                    .map(|a| words(&a))
                    .unwrap_or_default(),
                r.try_get("", "comment")?,
            ]);
        }
        Ok(out)
    }

    /// The answers to the centre's courses and cases asked about from
    /// `from` to `to` (the day asked), newest first.
    pub async fn summary(
        &self,
        auth: &Authorized<'_, can::ReadReports>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<FeedbackSummary>> {
        if to < from {
            return Err(AppError::bad_input("to", "must not be before from"));
        }
        let txn = self.db().scoped(auth).await?;
        let rows = txn
            .query_all_raw(txn.stmt("SELECT subject, subject_id, title, answer, comment, created_at FROM feedback_requests \
                 WHERE tenant_id = :tenant AND created_at >= ? AND created_at < ? ORDER BY created_at DESC, id",
                vec![
                    crate::facts::local_start(from).into(),
                    crate::facts::local_start(to.succ_opt().unwrap_or(to)).into(),
                ],
            ))
            .await?;
        txn.commit().await?;
        let mut out: Vec<FeedbackSummary> = Vec::new();
        let mut index: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
        for r in rows {
            let subject: String = r.try_get("", "subject")?;
            let id: Uuid = r.try_get("", "subject_id")?;
            let Some(subject) = Subject::parse(&subject) else {
                continue;
            };
            let i = match index.get(&id) {
                Some(i) => *i,
                None => {
                    index.insert(id, out.len());
                    out.push(FeedbackSummary {
                        subject,
                        subject_id: id,
                        title: r.try_get("", "title")?,
                        asked: 0,
                        helpful: 0,
                        partly: 0,
                        not_helpful: 0,
                        comments: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let s = &mut out[i];
            s.asked += 1;
            let answer: Option<String> = r.try_get("", "answer")?;
            match answer.as_deref().and_then(Answer::parse) {
                Some(Answer::Helpful) => s.helpful += 1,
                Some(Answer::Partly) => s.partly += 1,
                Some(Answer::NotHelpful) => s.not_helpful += 1,
                None => {}
            }
            let comment: String = r.try_get("", "comment")?;
            if !comment.is_empty() {
                s.comments.push(comment);
            }
        }
        Ok(out)
    }
}

/// A new link secret: the centre (so the public page knows where to look)
/// and 32 random bytes.
fn new_token(centre: CentreId) -> AppResult<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AppError::internal_msg(format!("getrandom: {e}")))?;
    Ok(format!(
        "{}.{}",
        centre.uuid().simple(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    ))
}

fn parse_token(token: &str) -> AppResult<(CentreId, String)> {
    let token = token.trim().trim_start_matches('#');
    let invalid = || AppError::bad_input("token", LINK_INVALID);
    if token.len() > 200 {
        return Err(invalid());
    }
    let (centre, _) = token.split_once('.').ok_or_else(invalid)?;
    let centre = Uuid::parse_str(centre).map_err(|_| invalid())?;
    Ok((CentreId::from(centre), sha256_hex(token.as_bytes())))
}

async fn find(txn: &TenantTx, hash: &str) -> AppResult<(Subject, String, bool)> {
    let row = txn
        .query_one_raw(txn.stmt(
            "SELECT subject, title, answered_at FROM feedback_requests WHERE tenant_id = :tenant AND token_hash = ?",
            vec![hash.into()],
        ))
        .await?
        .ok_or_else(|| AppError::bad_input("token", LINK_INVALID))?;
    let subject: String = row.try_get("", "subject")?;
    let answered: Option<DateTime<Utc>> = row.try_get("", "answered_at")?;
    Ok((
        Subject::parse(&subject).unwrap_or(Subject::Course),
        row.try_get("", "title")?,
        answered.is_some(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_their_centre_and_do_not_repeat() {
        let centre = CentreId::new();
        let a = new_token(centre).unwrap();
        let b = new_token(centre).unwrap();
        assert_ne!(a, b);
        let (c, hash) = parse_token(&format!("#{a}")).unwrap();
        assert_eq!(c, centre);
        assert_eq!(hash, sha256_hex(a.as_bytes()));
        for bad in ["", "nothing", "x.y", &"a".repeat(300)] {
            assert!(parse_token(bad).is_err(), "{bad}");
        }
    }
}
