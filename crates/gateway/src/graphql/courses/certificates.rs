//! Certificates, exit levels and the AIK confirmations.

use super::{enrolment::*, enums::*};
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::scope::can;

/// A course certificate (PDF).
#[derive(SimpleObject)]
pub struct CourseCertificate {
    /// The checkable number.
    number: String,
    issued_at: DateTime<Utc>,
    /// Suggested file name.
    file_name: String,
    /// The PDF, base64.
    pdf_base64: String,
}

/// What a certificate number check tells: never the holder.
#[derive(SimpleObject)]
pub struct VerifiedCertificate {
    course: String,
    centre: String,
    issued_on: Date,
}

/// A CSV file to download.
#[derive(SimpleObject)]
pub struct CsvFile {
    /// Suggested file name.
    file_name: String,
    /// Content (UTF-8 with BOM, `;`-separated).
    content: String,
}

/// Queries: certificates, exit levels and the AIK confirmations.
#[derive(Default)]
pub struct CertificatesQuery;

#[Object]
impl CertificatesQuery {
    /// The attendance confirmations of an adaptation-integration course
    /// for the ministry, as CSV (coordinators, admins).
    async fn aik_confirmations(
        &self,
        ctx: &Context<'_>,
        course_id: Id<CourseId>,
    ) -> async_graphql::Result<CsvFile> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let f = services(ctx)?
            .courses
            .aik_confirmations(&auth, course_id.get())
            .await
            .gql()?;
        Ok(CsvFile {
            file_name: f.file_name,
            content: f.content,
        })
    }

    /// Checks a certificate number; needs no sign-in and tells only the
    /// course, the issuing centre and the day of issue.
    #[graphql(complexity = "crate::graphql::PUBLIC_LOOKUP_COST + child_complexity")]
    async fn verify_certificate(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<VerifiedCertificate> {
        let v = services(ctx)?.courses.verify(&number).await.gql()?;
        Ok(VerifiedCertificate {
            course: v.course,
            centre: v.centre,
            issued_on: Date(v.issued_on),
        })
    }
}

/// Mutations: certificates, exit levels and the AIK confirmations.
#[derive(Default)]
pub struct CertificatesMutation;

#[Object]
impl CertificatesMutation {
    /// The certificate of a participant who completed the course: issued
    /// the first time, the same number afterwards.
    async fn course_certificate(
        &self,
        ctx: &Context<'_>,
        enrolment_id: Id<EnrolmentId>,
    ) -> async_graphql::Result<CourseCertificate> {
        use base64::Engine as _;
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let c = services(ctx)?
            .courses
            .certificate(&auth, enrolment_id.get())
            .await
            .gql()?;
        Ok(CourseCertificate {
            number: c.number,
            issued_at: c.issued_at,
            file_name: c.file_name,
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&c.pdf),
        })
    }

    /// Records the level a participant leaves with.
    async fn set_exit_level(
        &self,
        ctx: &Context<'_>,
        enrolment_id: Id<EnrolmentId>,
        level: Level,
    ) -> async_graphql::Result<Enrolment> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let e = services(ctx)?
            .courses
            .set_exit_level(&auth, enrolment_id.get(), level.into())
            .await
            .gql()?;
        Ok(e.into())
    }
}
