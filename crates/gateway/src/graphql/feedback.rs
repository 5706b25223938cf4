//! "Did this help you?": staff ask after a completed course or a closed
//! case (`askCourseFeedback`, `askCaseFeedback`), the person answers on a
//! public page (`feedbackRequest`, `giveFeedback`, no sign-in), and the
//! centre reads the answers (`feedbackSummary`).

use crate::graphql::ids::*;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use integra_kernel::scope::can;
use integra_reporting::feedback as f;
use uuid::Uuid;

use super::scalars::Date;
use super::{GqlResultExt, scope, services};

/// What a person said.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::feedback::Answer")]
pub enum FeedbackAnswer {
    /// It helped.
    Helpful,
    /// It helped in part.
    Partly,
    /// It did not help.
    NotHelpful,
}

/// What a person is asked about.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::feedback::Subject")]
pub enum FeedbackSubject {
    /// A course they completed.
    Course,
    /// A counselling case that closed.
    Case,
}

/// One person asked.
#[derive(SimpleObject)]
pub struct FeedbackAsked {
    client_id: Id<ClientId>,
    client_name: String,
    /// The single-use answer page, to hand over when it was not emailed.
    link: String,
    /// Whether the link went out by email.
    emailed: bool,
}

/// What asking did.
#[derive(SimpleObject)]
pub struct AskedForFeedback {
    /// Newly asked.
    asked: Vec<FeedbackAsked>,
    /// Asked before, not again.
    already: i64,
}

impl From<f::AskedFor> for AskedForFeedback {
    fn from(a: f::AskedFor) -> Self {
        Self {
            asked: a
                .asked
                .into_iter()
                .map(|x| FeedbackAsked {
                    client_id: Id::from(x.client_id),
                    client_name: x.client_name,
                    link: x.link,
                    emailed: x.emailed,
                })
                .collect(),
            already: a.already,
        }
    }
}

/// The public page's view of a question: never the person's name.
#[derive(SimpleObject)]
pub struct PublicFeedbackRequest {
    centre_name: String,
    /// The course's title; empty for counselling.
    title: String,
    subject: FeedbackSubject,
    /// Already answered (the link is used up).
    answered: bool,
}

/// Answers about one course or case.
#[derive(SimpleObject)]
pub struct FeedbackSummary {
    subject: FeedbackSubject,
    subject_id: ID,
    title: String,
    asked: i64,
    helpful: i64,
    partly: i64,
    not_helpful: i64,
    /// Comments, without names.
    comments: Vec<String>,
}

/// Queries.
#[derive(Default)]
pub struct FeedbackQuery;

#[Object]
impl FeedbackQuery {
    /// The question behind a public answer link (no sign-in); an unknown
    /// link is refused naming `token`.
    #[graphql(complexity = "super::PUBLIC_LOOKUP_COST + child_complexity")]
    async fn feedback_request(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> async_graphql::Result<PublicFeedbackRequest> {
        let p = services(ctx)?.feedback.public(&token).await.gql()?;
        Ok(PublicFeedbackRequest {
            centre_name: p.centre,
            title: p.title,
            subject: p.subject.into(),
            answered: p.answered,
        })
    }

    /// The answers to the courses and cases asked about from `from` to
    /// `to`, newest first. Centre admins and coordinators.
    async fn feedback_summary(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<FeedbackSummary>> {
        let auth = scope(ctx)?.authorize::<can::ReadReports>().gql()?;
        let list = services(ctx)?
            .feedback
            .summary(&auth, from.0, to.0)
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|s| FeedbackSummary {
                subject: s.subject.into(),
                subject_id: ID(s.subject_id.to_string()),
                title: s.title,
                asked: s.asked,
                helpful: s.helpful,
                partly: s.partly,
                not_helpful: s.not_helpful,
                comments: s.comments,
            })
            .collect())
    }
}

/// Mutations.
#[derive(Default)]
pub struct FeedbackMutation;

#[Object]
impl FeedbackMutation {
    /// Asks everyone who completed an ended course whether it helped (by
    /// email where they have an address; the links are returned to hand
    /// over otherwise). Asking again asks only those not yet asked.
    /// Course managers.
    async fn ask_course_feedback(
        &self,
        ctx: &Context<'_>,
        course_id: Id<CourseId>,
    ) -> async_graphql::Result<AskedForFeedback> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let id: Uuid = course_id.get().into();
        let out = services(ctx)?.feedback.ask_course(&auth, id).await.gql()?;
        Ok(out.into())
    }

    /// Asks the client of a closed case whether it helped. Counselling
    /// staff.
    async fn ask_case_feedback(
        &self,
        ctx: &Context<'_>,
        case_id: Id<CaseId>,
    ) -> async_graphql::Result<AskedForFeedback> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id: Uuid = case_id.get().into();
        let out = services(ctx)?.feedback.ask_case(&auth, id).await.gql()?;
        Ok(out.into())
    }

    /// Answers through a public link (no sign-in), once. `language` is the
    /// page's (`cs`, `en` or `uk`).
    async fn give_feedback(
        &self,
        ctx: &Context<'_>,
        token: String,
        answer: FeedbackAnswer,
        comment: Option<String>,
        language: String,
    ) -> async_graphql::Result<bool> {
        services(ctx)?
            .feedback
            .answer(
                &token,
                answer.into(),
                comment.as_deref().unwrap_or_default(),
                &language,
            )
            .await
            .gql()?;
        Ok(true)
    }
}
