//! GraphQL for account emails (staff invitations, forgotten passwords) and
//! the centre admin's view of outgoing email.

use super::access::{Role, domain_roles, roles_of};
use crate::graphql::ids::*;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::scope::can;

use super::tenants::{Viewer, start_session};
use super::{GqlResultExt, request, scope, services};

/// Where an invitation stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_tenants::InvitationStatus")]
pub enum InvitationStatus {
    /// Sent, not yet used, still valid.
    Pending,
    /// Used: the person joined.
    Accepted,
    /// Not used within 7 days.
    Expired,
    /// Withdrawn, or replaced by a newer invitation.
    Revoked,
}

/// A staff invitation (centre admins).
#[derive(SimpleObject)]
pub struct Invitation {
    /// Id.
    id: Id<InvitationId>,
    /// Invited address.
    email: String,
    /// Name given by the admin.
    display_name: String,
    /// Roles on joining.
    roles: Vec<Role>,
    /// Language of the email: `cs` or `en`.
    language: String,
    /// When it was sent.
    created_at: DateTime<Utc>,
    /// When the link stops working.
    expires_at: DateTime<Utc>,
    /// Where it stands.
    status: InvitationStatus,
}

impl From<integra_tenants::Invitation> for Invitation {
    fn from(i: integra_tenants::Invitation) -> Self {
        Self {
            id: Id::from(i.id),
            email: i.email,
            display_name: i.display_name,
            roles: roles_of(i.roles.iter()),
            language: i.language.code().to_owned(),
            created_at: i.created_at,
            expires_at: i.expires_at,
            status: i.status.into(),
        }
    }
}

/// What an invitation link offers, shown before accepting it.
#[derive(SimpleObject)]
pub struct InvitationPreview {
    /// The centre.
    centre_name: String,
    /// The invited address.
    email: String,
    /// Name given by the admin.
    display_name: String,
    /// Whether the address already has an account: then accepting asks for
    /// its current password rather than a new one.
    has_account: bool,
    /// When the link stops working.
    expires_at: DateTime<Utc>,
}

/// Input of `inviteStaff`.
#[derive(InputObject)]
pub struct InviteStaffInput {
    /// Address to send the invitation to.
    email: String,
    /// The person's name.
    display_name: String,
    /// Centre roles to give.
    roles: Vec<Role>,
    /// Language of the email: `cs` (default) or `en`.
    #[graphql(default_with = "String::from(\"cs\")")]
    language: String,
}

/// Where an outgoing email stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_notify::MailStatus")]
pub enum EmailStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// Accepted by the mail server.
    Sent,
    /// Given up; can be sent again with `retryEmail`.
    Failed,
    /// Withdrawn before sending (e.g. a reminder of a cancelled appointment).
    Cancelled,
}

/// An outgoing email of the centre (centre admins).
#[derive(SimpleObject)]
pub struct OutgoingEmail {
    /// Id (also in the Message-ID).
    id: Id<EmailId>,
    /// Kind, e.g. `appointment_reminder`.
    kind: String,
    /// Recipient.
    recipient: String,
    /// Subject.
    subject: String,
    /// Where it stands.
    status: EmailStatus,
    /// Delivery attempts so far.
    attempts: i32,
    /// The mail server's last answer when it failed.
    last_error: String,
    /// Queued at.
    created_at: DateTime<Utc>,
    /// Accepted by the server at.
    sent_at: Option<DateTime<Utc>>,
    /// Next attempt (pending only).
    next_attempt_at: DateTime<Utc>,
}

impl From<integra_notify::OutboxMessage> for OutgoingEmail {
    fn from(m: integra_notify::OutboxMessage) -> Self {
        Self {
            id: Id::from(m.id),
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            status: m.status.into(),
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
            next_attempt_at: m.next_attempt_at,
        }
    }
}

/// Account and email queries.
#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The active centre's invitations of the last 90 days (centre admins).
    async fn invitations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Invitation>> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let list = services(ctx)?.accounts.invitations(&auth).await.gql()?;
        Ok(list.into_iter().map(Invitation::from).collect())
    }

    /// What an invitation link is for (no sign-in needed). A link that is
    /// unknown, used, withdrawn or expired is `BAD_USER_INPUT` on `token`.
    #[graphql(complexity = "super::PUBLIC_LOOKUP_COST + child_complexity")]
    async fn invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> async_graphql::Result<InvitationPreview> {
        let p = services(ctx)?
            .accounts
            .preview_invitation(&token)
            .await
            .gql()?;
        Ok(InvitationPreview {
            centre_name: p.centre_name,
            email: p.email,
            display_name: p.display_name,
            has_account: p.has_account,
            expires_at: p.expires_at,
        })
    }

    /// The active centre's outgoing emails, newest first, optionally of one
    /// status: `FAILED` shows what did not reach people (centre admins).
    async fn emails(
        &self,
        ctx: &Context<'_>,
        status: Option<EmailStatus>,
        #[graphql(default = 100)] first: i32,
    ) -> async_graphql::Result<Vec<OutgoingEmail>> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let first = u64::try_from(first.clamp(1, 500)).unwrap_or(100);
        let list = services(ctx)?
            .mail
            .messages(&auth, status.map(Into::into), first)
            .await
            .gql()?;
        Ok(list.into_iter().map(OutgoingEmail::from).collect())
    }
}

/// Account and email mutations.
#[derive(Default)]
pub struct AccountsMutation;

#[Object]
impl AccountsMutation {
    /// Invites someone to the active centre's staff by email; the link
    /// works once, for 7 days (centre admins). Inviting an address again
    /// replaces the earlier invitation.
    async fn invite_staff(
        &self,
        ctx: &Context<'_>,
        input: InviteStaffInput,
    ) -> async_graphql::Result<Invitation> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let inv = services(ctx)?
            .accounts
            .invite(
                &auth,
                integra_tenants::NewInvitation {
                    email: input.email,
                    display_name: input.display_name,
                    roles: domain_roles(&input.roles),
                    language: input.language,
                },
            )
            .await
            .gql()?;
        Ok(inv.into())
    }

    /// Withdraws a pending invitation (centre admins).
    async fn revoke_invitation(
        &self,
        ctx: &Context<'_>,
        id: Id<InvitationId>,
    ) -> async_graphql::Result<Invitation> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let inv = services(ctx)?
            .accounts
            .revoke_invitation(&auth, id.get())
            .await
            .gql()?;
        Ok(inv.into())
    }

    /// Accepts an invitation and signs in (sets the session cookie). A new
    /// account is created with `password`; an existing account must give
    /// its current password.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
        display_name: Option<String>,
    ) -> async_graphql::Result<Viewer> {
        let svc = services(ctx)?;
        let req = request(ctx)?;
        let signed = svc
            .accounts
            .accept_invitation(&token, &password, display_name.as_deref(), req.client)
            .await
            .gql()?;
        Ok(start_session(ctx, svc, signed))
    }

    /// "Forgot password": emails a link valid 30 minutes if the address
    /// belongs to an account. Always answers true, so it reveals nothing.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        email: String,
    ) -> async_graphql::Result<bool> {
        services(ctx)?
            .accounts
            .request_password_reset(&email)
            .await
            .gql()?;
        Ok(true)
    }

    /// Sets a new password with the link from the email; every session of
    /// the account ends. A bad link is `BAD_USER_INPUT` on `token`.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> async_graphql::Result<bool> {
        services(ctx)?
            .accounts
            .reset_password(&token, &password)
            .await
            .gql()?;
        Ok(true)
    }

    /// Sends a failed email again (centre admins).
    async fn retry_email(
        &self,
        ctx: &Context<'_>,
        id: Id<EmailId>,
    ) -> async_graphql::Result<OutgoingEmail> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let svc = services(ctx)?;
        let m = svc
            .mail
            .retry(&auth, id.get(), svc.clock.now())
            .await
            .gql()?;
        Ok(m.into())
    }
}
