//! The GraphQL schema: one module per bounded context, merged here.

mod access;
mod accounts;
mod client_page;
mod client_records;
mod clients;
mod counselling;
mod courses;
mod error;
mod events;
mod feedback;
mod ids;
mod reporting;
mod scalars;
mod service_spans;
mod staff;
mod tenants;

use async_graphql::{Context, EmptySubscription, MergedObject, Schema};
use integra_clients::ClientService;
use integra_kernel::TenantScope;
use integra_tenants::{AuthService, Authenticated, CentreService, FundingService, StaffService};

pub use error::{GqlResultExt, finish_errors, to_gql};

/// Query root.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    tenants::TenantsQuery,
    staff::StaffQuery,
    accounts::AccountsQuery,
    clients::ClientsQuery,
    client_page::ClientPageQuery,
    client_records::ClientRecordsQuery,
    counselling::CounsellingQuery,
    events::EventsQuery,
    courses::CoursesQuery,
    reporting::ReportingQuery,
    feedback::FeedbackQuery,
);

/// Mutation root.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    tenants::TenantsMutation,
    staff::StaffMutation,
    accounts::AccountsMutation,
    clients::ClientsMutation,
    client_records::ClientRecordsMutation,
    client_records::ClientImportMutation,
    counselling::CounsellingMutation,
    events::EventsMutation,
    courses::CoursesMutation,
    reporting::ReportingMutation,
    feedback::FeedbackMutation,
);

/// The executable schema.
pub type IntegraSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Maximum nesting depth of a query.
pub const MAX_DEPTH: usize = 12;
/// Maximum complexity (fields weighed) of a query.
pub const MAX_COMPLEXITY: usize = 2_000;

/// The weight of a public field that looks something up in the database
/// by a code or token (certificate check, an event's public page, an
/// invitation or feedback link): a request can afford a few of them, not
/// thousands.
pub const PUBLIC_LOOKUP_COST: usize = 200;

/// Services the resolvers call.
#[derive(Clone)]
pub struct Services {
    /// Sign-in and sessions.
    pub auth: AuthService,
    /// Centres and branches.
    pub centres: CentreService,
    /// A centre's staff.
    pub staff: StaffService,
    /// Funding projects.
    pub funding: FundingService,
    /// The client registry.
    pub clients: ClientService,
    /// Counselling.
    pub counselling: integra_counselling::CounsellingService,
    /// Invitations and password resets.
    pub accounts: integra_tenants::AccountService,
    /// The centre admin's view of outgoing email.
    pub mail: integra_notify::MailAdmin,
    /// Events and public registration.
    pub events: integra_events::EventService,
    /// Courses, sessions, enrolment and attendance.
    pub courses: integra_courses::CourseService,
    /// Indicators, roll-ups and project targets.
    pub reporting: integra_reporting::ReportingService,
    /// "Did this help you?" questions and answers.
    pub feedback: integra_reporting::feedback::FeedbackService,
    /// Whether cookies get the `Secure` attribute.
    pub secure_cookies: bool,
    /// The services' clock.
    pub clock: integra_kernel::SharedClock,
}

/// Per-request data: who is calling.
#[derive(Clone, Debug)]
pub struct RequestAuth {
    /// The session, when the cookie held a valid one.
    pub auth: Option<std::sync::Arc<Authenticated>>,
    /// The raw token from the cookie (for sign-out).
    pub token: Option<String>,
    /// The caller's network (for per-address limits), behind a trusted
    /// proxy the forwarded address.
    pub client: Option<integra_kernel::ClientNetwork>,
}

/// Builds the schema. `introspection` (and field suggestions in errors)
/// is on only in dev mode.
pub fn build_schema(services: Option<Services>, introspection: bool) -> IntegraSchema {
    let mut builder = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
    .limit_directives(16)
    .extension(service_spans::ServiceCallSpans);
    if !introspection {
        // Production: no schema to explore, and no "Did you mean …?" that
        // would name hidden fields one guess at a time.
        builder = builder.disable_introspection().disable_suggestions();
    }
    if let Some(s) = services {
        builder = builder.data(s);
    }
    builder.finish()
}

/// The schema in SDL, as committed in `graphql/schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, true).sdl()
}

pub(crate) fn services<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Services> {
    ctx.data::<Services>()
        .map_err(|_| to_gql(integra_kernel::AppError::internal_msg("services missing")))
}

pub(crate) fn request<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a RequestAuth> {
    ctx.data::<RequestAuth>().map_err(|_| {
        to_gql(integra_kernel::AppError::internal_msg(
            "request auth missing",
        ))
    })
}

/// The signed-in session, or `UNAUTHENTICATED`.
pub(crate) fn signed_in<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Authenticated> {
    request(ctx)?.auth.as_deref().ok_or_else(|| {
        to_gql(integra_kernel::AppError::Unauthenticated(
            "Sign in first.".into(),
        ))
    })
}

/// The platform actor (ministry officer, platform admin), or
/// `UNAUTHENTICATED` / `FORBIDDEN`.
pub(crate) fn platform<'a>(
    ctx: &'a Context<'_>,
) -> async_graphql::Result<&'a integra_kernel::PlatformActor> {
    signed_in(ctx)?
        .platform
        .as_ref()
        .ok_or(integra_kernel::AppError::Forbidden)
        .gql()
}

/// The active centre's scope, or `UNAUTHENTICATED` / `FORBIDDEN`.
pub(crate) fn scope<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a TenantScope> {
    signed_in(ctx)?.require_scope().gql()
}
