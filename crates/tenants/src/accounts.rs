//! Account emails: staff invitations and "forgot password".
//!
//! Both work with a single-use link whose token is random, kept only as a
//! SHA-256 in `account_tokens`, and sent by email through the outbox in the
//! same transaction that creates it. The token travels in the link's
//! fragment (`…/invitation#TOKEN`), which browsers do not send to servers, so
//! it never lands in an access log.
//!
//! - An invitation is valid 7 days. Accepting it creates the account with
//!   the chosen password, or, for an address that already has an account,
//!   asks for that account's password; either way the person joins the
//!   centre with the roles the admin chose.
//! - A reset link is valid 30 minutes. Asking for one answers the same
//!   whether the address exists or not; using it sets the password, ends
//!   every other session of the account and clears a sign-in lock-out.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use integra_kernel::scope::can;
use integra_kernel::{
    AppError, AppResult, Authorized, CentreId, Database, PlatformDb, RoleSet, SharedClock, UserId,
};
use integra_notify::templates::{Invitation as InvitationLetter, PasswordReset};
use integra_notify::{Envelope, Language, MailSignal, enqueue, is_deliverable};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::auth::{new_token, normalise_email, sha256_hex};
use crate::entity::{account_token, centre, login_throttle, membership, user};
use crate::staff::centre_roles;
use crate::{AuthService, SignedIn, password};

/// How long an invitation link works.
pub const INVITATION_VALID: Duration = Duration::days(7);
/// How long a password-reset link works.
pub const RESET_VALID: Duration = Duration::minutes(30);
/// Reset emails per account within [`RESET_VALID`]; further requests are
/// answered the same but send nothing, so nobody can flood a mailbox.
pub const RESETS_PER_WINDOW: u64 = 3;

const INVITE: &str = "invite";
const RESET: &str = "reset";
/// The longest accepted email address (RFC 5321 path limit).
const MAX_EMAIL: usize = 254;

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationStatus {
    /// Sent, not yet used, still valid.
    Pending,
    /// Used: the person joined.
    Accepted,
    /// Not used in time.
    Expired,
    /// Withdrawn by an admin (or replaced by a newer invitation).
    Revoked,
}

impl InvitationStatus {
    /// The GraphQL/enum name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

/// A staff invitation as the centre admin sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    /// Id.
    pub id: crate::ids::InvitationId,
    /// The invited address.
    pub email: String,
    /// The name the admin gave.
    pub display_name: String,
    /// Roles the person gets on joining.
    pub roles: RoleSet,
    /// Language of the invitation email.
    pub language: Language,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// Where it stands.
    pub status: InvitationStatus,
}

/// What the invitation page shows before the person accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationPreview {
    /// The centre's name.
    pub centre_name: String,
    /// The invited address.
    pub email: String,
    /// The name the admin gave.
    pub display_name: String,
    /// Whether the address already has an account (then the page asks for
    /// its password instead of a new one).
    pub has_account: bool,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

/// A new invitation.
#[derive(Clone, Debug)]
pub struct NewInvitation {
    /// The address to invite.
    pub email: String,
    /// The person's name.
    pub display_name: String,
    /// Centre roles to give.
    pub roles: Vec<integra_kernel::Role>,
    /// `cs` or `en`.
    pub language: String,
}

/// Invitations and password resets.
#[derive(Clone)]
pub struct AccountService {
    /// The platform's doors, for its public and background paths.
    platform: PlatformDb,
    clock: SharedClock,
    auth: AuthService,
    signal: MailSignal,
    public_url: Arc<str>,
}

impl AccountService {
    /// The tenant-scoped handle (the one under the platform's doors).
    pub(crate) fn db(&self) -> &Database {
        self.platform.database()
    }

    /// Creates the service; links in emails start with `public_url`
    /// (e.g. `https://integra.example.cz`).
    pub fn new(
        platform: PlatformDb,
        clock: SharedClock,
        auth: AuthService,
        signal: MailSignal,
        public_url: &str,
    ) -> Self {
        Self {
            platform,
            clock,
            auth,
            signal,
            public_url: Arc::from(public_url.trim_end_matches('/')),
        }
    }

    fn link(&self, page: &str, token: &str) -> String {
        format!("{}/{page}#{token}", self.public_url)
    }

    /// Invites someone to the admin's centre by email. An earlier pending
    /// invitation of the same address to this centre is replaced.
    pub async fn invite(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        input: NewInvitation,
    ) -> AppResult<Invitation> {
        let email = normalise_email(&input.email);
        if email.is_empty() {
            return Err(AppError::bad_input("email", "is required"));
        }
        if email.chars().count() > MAX_EMAIL || !is_deliverable(&email) {
            return Err(AppError::bad_input("email", "is not a valid email address"));
        }
        let display_name =
            integra_kernel::validate::text("displayName", &input.display_name, 200, true)?;
        let roles = centre_roles(&input.roles)?;
        let language = Language::parse("language", &input.language)?;
        let now = self.clock.now();
        let centre_id = auth.centre_id();

        let txn = self.db().scoped_write(auth).await?;
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        if let Some(u) = &existing {
            let member = txn
                .find::<membership::Entity>()
                .filter(membership::Column::UserId.eq(u.id))
                .count(&txn)
                .await?;
            if member > 0 {
                return Err(AppError::Conflict(
                    "This person is already a member of the centre's staff.".into(),
                ));
            }
        }
        account_token::Entity::update_many()
            .col_expr(account_token::Column::RevokedAt, Some(now).into())
            .filter(account_token::Column::Purpose.eq(INVITE))
            .filter(account_token::Column::CentreId.eq(centre_id.uuid()))
            .filter(account_token::Column::Email.eq(email.as_str()))
            .filter(account_token::Column::UsedAt.is_null())
            .filter(account_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        let centre_name = centre::Entity::find_by_id(centre_id.uuid())
            .one(&txn)
            .await?
            .map(|c| c.name)
            .ok_or(AppError::NotFound)?;
        let inviter = user::Entity::find_by_id(auth.user_id().uuid())
            .one(&txn)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        let token = new_token()?;
        let row = account_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            purpose: Set(INVITE.to_owned()),
            token_hash: Set(sha256_hex(token.as_bytes())),
            email: Set(email.clone()),
            user_id: Set(existing.as_ref().map(|u| u.id)),
            centre_id: Set(Some(centre_id.uuid())),
            roles: Set(roles.to_stored()),
            display_name: Set(display_name.clone()),
            language: Set(language.code().to_owned()),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(now),
            expires_at: Set(now + INVITATION_VALID),
            used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        enqueue(
            &txn,
            now,
            Envelope {
                tenant: Some(centre_id),
                client: None,
                reference: format!("invitation:{}", row.id),
                to: email,
                to_name: display_name,
                language,
                send_at: None,
            },
            &InvitationLetter {
                centre: centre_name,
                inviter,
                link: self.link("invitation", &token),
                expires: language.when(row.expires_at),
                has_account: existing.is_some(),
            },
        )
        .await?;
        txn.commit().await?;
        self.signal.wake();
        tracing::info!(event = "staff_invited", invitation_id = %row.id, "staff invitation sent");
        invitation(row, now)
    }

    /// The centre's invitations of the last 90 days, newest first.
    pub async fn invitations(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
    ) -> AppResult<Vec<Invitation>> {
        let now = self.clock.now();
        let txn = self.db().scoped(auth).await?;
        let rows = account_token::Entity::find()
            .filter(account_token::Column::Purpose.eq(INVITE))
            .filter(account_token::Column::CentreId.eq(auth.centre_id().uuid()))
            .filter(account_token::Column::CreatedAt.gte(now - Duration::days(90)))
            .order_by_desc(account_token::Column::CreatedAt)
            .limit(500)
            .all(&txn)
            .await?;
        txn.commit().await?;
        rows.into_iter().map(|r| invitation(r, now)).collect()
    }

    /// Withdraws a pending invitation; its link stops working.
    pub async fn revoke_invitation(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: crate::ids::InvitationId,
    ) -> AppResult<Invitation> {
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        let row = account_token::Entity::find_by_id(id)
            .filter(account_token::Column::Purpose.eq(INVITE))
            .filter(account_token::Column::CentreId.eq(auth.centre_id().uuid()))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.used_at.is_some() {
            return Err(AppError::Conflict(
                "The invitation has already been accepted.".into(),
            ));
        }
        let row = if row.revoked_at.is_none() {
            let mut active: account_token::ActiveModel = row.into();
            active.revoked_at = Set(Some(now));
            active.update(&txn).await?
        } else {
            row
        };
        integra_notify::cancel_pending(&txn, &format!("invitation:{}", row.id)).await?;
        txn.commit().await?;
        tracing::info!(event = "invitation_revoked", invitation_id = %id, "staff invitation revoked");
        invitation(row, now)
    }

    /// What an invitation link is for, without using it. An unknown, used,
    /// revoked or expired link is `BAD_USER_INPUT` on `token`.
    pub async fn preview_invitation(&self, token: &str) -> AppResult<InvitationPreview> {
        let now = self.clock.now();
        let conn = self.platform.connection();
        let row = usable_token(&self.platform, INVITE, token, now).await?;
        let centre_id = row
            .centre_id
            .ok_or_else(|| AppError::internal_msg("invitation without a centre"))?;
        let centre_name = centre::Entity::find_by_id(centre_id)
            .one(conn)
            .await?
            .map(|c| c.name)
            .ok_or_else(|| AppError::bad_input("token", LINK_INVALID))?;
        let has_account = user::Entity::find()
            .filter(user::Column::Email.eq(row.email.as_str()))
            .count(conn)
            .await?
            > 0;
        Ok(InvitationPreview {
            centre_name,
            email: row.email,
            display_name: row.display_name,
            has_account,
            expires_at: row.expires_at,
        })
    }

    /// Accepts an invitation and signs the person in. A new account gets
    /// `password` (and `display_name`, if given); an existing account must
    /// give its current password.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: &str,
        display_name: Option<&str>,
        client: Option<integra_kernel::ClientNetwork>,
    ) -> AppResult<SignedIn> {
        let now = self.clock.now();
        let row = usable_token(&self.platform, INVITE, token, now).await?;
        let centre_id = CentreId::from(
            row.centre_id
                .ok_or_else(|| AppError::internal_msg("invitation without a centre"))?,
        );
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(row.email.as_str()))
            .one(self.platform.connection())
            .await?;
        let name = match display_name.map(str::trim) {
            Some(n) if !n.is_empty() => {
                integra_kernel::validate::text("displayName", n, 200, true)?
            }
            _ => row.display_name.clone(),
        };
        // Check (or hash) the password before the transaction: argon2 takes
        // tens of milliseconds and must not hold a write lock. An existing
        // account's password is checked under the sign-in throttle.
        let new_hash = match &existing {
            Some(u) => {
                if is_ministry(u)? {
                    return Err(AppError::Conflict(MINISTRY_CANNOT_JOIN.into()));
                }
                self.auth
                    .check_password(&row.email, password, client)
                    .await?;
                None
            }
            None => {
                password::validate_new("password", password)?;
                Some(password::hash(password.to_owned()).await?)
            }
        };
        let roles = RoleSet::parse_stored(&row.roles).map_err(AppError::internal_msg)?;
        let txn = self.platform.unscoped_for_centre(centre_id).await?;
        take_token(&txn, row.id, now).await?;
        let user_id = match (&existing, new_hash) {
            (Some(u), _) => u.id,
            (None, Some(hash)) => {
                let id = UserId::new().uuid();
                user::ActiveModel {
                    id: Set(id),
                    email: Set(row.email.clone()),
                    display_name: Set(name),
                    password_hash: Set(Some(hash)),
                    platform_roles: Set(String::new()),
                    created_at: Set(now),
                    disabled_at: Set(None),
                    language: Set(row.language.clone()),
                }
                .insert(&txn)
                .await
                .map_err(|e| match e.sql_err() {
                    // Someone created the account in the meantime.
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
                        "An account with this email was created meanwhile; open the link again."
                            .into(),
                    ),
                    _ => AppError::from(e),
                })?;
                id
            }
            (None, None) => return Err(AppError::internal_msg("no password for a new account")),
        };
        let already = txn
            .find::<membership::Entity>()
            .filter(membership::Column::UserId.eq(user_id))
            .one(&txn)
            .await?;
        match already {
            // Joined meanwhile (another invitation): the roles add up.
            Some(m) => {
                let have = RoleSet::parse_stored(&m.roles).map_err(AppError::internal_msg)?;
                let mut active: membership::ActiveModel = m.into();
                active.roles = Set(have.union(roles).to_stored());
                active.update(&txn).await?;
            }
            None => {
                membership::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    tenant_id: Set(centre_id.uuid()),
                    user_id: Set(user_id),
                    roles: Set(roles.to_stored()),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
        txn.commit().await?;
        tracing::info!(event = "invitation_accepted", invitation_id = %row.id, user_id = %user_id, "staff invitation accepted");
        let user = user::Entity::find_by_id(user_id)
            .one(self.platform.connection())
            .await?
            .ok_or_else(|| AppError::internal_msg("the accepting account vanished"))?;
        self.auth.open_session(user).await
    }

    /// Sends a password-reset link if `email` belongs to an enabled account.
    /// The answer is the same either way.
    pub async fn request_password_reset(&self, email: &str) -> AppResult<()> {
        let email = normalise_email(email);
        if email.is_empty() {
            return Err(AppError::bad_input("email", "is required"));
        }
        if email.chars().count() > MAX_EMAIL {
            return Err(AppError::bad_input("email", "is not a valid email address"));
        }
        let now = self.clock.now();
        let started = tokio::time::Instant::now();
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(self.platform.connection())
            .await?
            .filter(|u| u.disabled_at.is_none() && is_deliverable(&u.email));
        let Some(u) = found else {
            tracing::info!(
                event = "password_reset_unknown",
                "password reset asked for an unknown address"
            );
            // The same time as for a known address: the answer's timing
            // must not tell which addresses have accounts.
            tokio::time::sleep_until(started + RESET_ANSWER_TIME).await;
            return Ok(());
        };
        let outcome = self.send_reset(&u, now).await;
        tokio::time::sleep_until(started + RESET_ANSWER_TIME).await;
        outcome
    }

    /// Writes a reset link for `u` and its email, unless too many were sent
    /// lately (then nothing, silently).
    async fn send_reset(&self, u: &user::Model, now: DateTime<Utc>) -> AppResult<()> {
        let txn = self.platform.for_user_write(UserId(u.id)).await?;
        let recent = account_token::Entity::find()
            .filter(account_token::Column::Purpose.eq(RESET))
            .filter(account_token::Column::UserId.eq(u.id))
            .filter(account_token::Column::CreatedAt.gt(now - RESET_VALID))
            .count(&txn)
            .await?;
        if recent >= RESETS_PER_WINDOW {
            txn.commit().await?;
            tracing::warn!(event = "password_reset_throttled", user_id = %u.id, "password reset not sent: too many recent requests");
            return Ok(());
        }
        let token = new_token()?;
        let language = Language::from_stored(&u.language);
        account_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            purpose: Set(RESET.to_owned()),
            token_hash: Set(sha256_hex(token.as_bytes())),
            email: Set(u.email.clone()),
            user_id: Set(Some(u.id)),
            centre_id: Set(None),
            roles: Set(String::new()),
            display_name: Set(String::new()),
            language: Set(language.code().to_owned()),
            created_by: Set(None),
            created_at: Set(now),
            expires_at: Set(now + RESET_VALID),
            used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        enqueue(
            &txn,
            now,
            Envelope {
                tenant: None,
                client: None,
                reference: String::new(),
                to: u.email.clone(),
                to_name: u.display_name.clone(),
                language,
                send_at: None,
            },
            &PasswordReset {
                name: u.display_name.clone(),
                link: self.link("reset-password", &token),
                valid_minutes: RESET_VALID.num_minutes(),
            },
        )
        .await?;
        txn.commit().await?;
        self.signal.wake();
        tracing::info!(event = "password_reset_sent", user_id = %u.id, "password reset link sent");
        Ok(())
    }

    /// Sets a new password with a reset link; every session of the account
    /// ends and a sign-in lock-out is lifted. The link then stops working,
    /// as do other reset links of the account.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> AppResult<()> {
        password::validate_new("password", new_password)?;
        let now = self.clock.now();
        let row = usable_token(&self.platform, RESET, token, now).await?;
        let user_id = row
            .user_id
            .ok_or_else(|| AppError::internal_msg("reset token without a user"))?;
        let hash = password::hash(new_password.to_owned()).await?;
        let txn = self.platform.for_user_write(UserId(user_id)).await?;
        take_token(&txn, row.id, now).await?;
        let updated = user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Some(hash).into())
            .filter(user::Column::Id.eq(user_id))
            .filter(user::Column::DisabledAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(AppError::bad_input("token", LINK_INVALID));
        }
        account_token::Entity::update_many()
            .col_expr(account_token::Column::RevokedAt, Some(now).into())
            .filter(account_token::Column::Purpose.eq(RESET))
            .filter(account_token::Column::UserId.eq(user_id))
            .filter(account_token::Column::UsedAt.is_null())
            .filter(account_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        login_throttle::Entity::delete_many()
            .filter(
                login_throttle::Column::Key
                    .starts_with(crate::throttle::account_prefix(&row.email)),
            )
            .exec(&txn)
            .await?;
        txn.commit().await?;
        let ended = self.auth.sign_out_everywhere(UserId(user_id)).await?;
        tracing::info!(event = "password_reset", user_id = %user_id, sessions_ended = ended, "password reset with a link");
        Ok(())
    }
}

/// Every answer to a password-reset request takes at least this long,
/// whether the address has an account or not (the work for a known one
/// takes a few milliseconds; the floor hides it).
const RESET_ANSWER_TIME: std::time::Duration = std::time::Duration::from_millis(250);

/// Why a ministry officer's account cannot accept a centre's invitation.
pub const MINISTRY_CANNOT_JOIN: &str = "This account belongs to the ministry and cannot join a centre: \
     the ministry sees figures, never a person. Ask for the invitation to another email address.";

/// Whether an account holds the ministry officer's role: such an account
/// never becomes a member of a centre.
fn is_ministry(user: &user::Model) -> AppResult<bool> {
    Ok(RoleSet::parse_stored(&user.platform_roles)
        .map_err(AppError::internal_msg)?
        .contains(integra_kernel::Role::MinistryOfficer))
}

/// The one message for a link that cannot be used, whatever the reason.
pub const LINK_INVALID: &str = "the link is invalid, already used or expired";

async fn usable_token(
    db: &PlatformDb,
    purpose: &str,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<account_token::Model> {
    let token = token.trim().trim_start_matches('#');
    if token.is_empty() || token.len() > 200 {
        return Err(AppError::bad_input("token", LINK_INVALID));
    }
    // Read as the holder of the link: the one row keyed by its hash.
    let hash = sha256_hex(token.as_bytes());
    let txn = db.by_secret(&hash).await?;
    let row = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(hash))
        .filter(account_token::Column::Purpose.eq(purpose))
        .one(&txn)
        .await?;
    txn.commit().await?;
    row.filter(|t| t.used_at.is_none() && t.revoked_at.is_none() && t.expires_at > now)
        .ok_or_else(|| AppError::bad_input("token", LINK_INVALID))
}

/// Marks a token used inside the transaction; a second use (even a
/// concurrent one) finds nothing to mark and is refused.
async fn take_token(conn: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    let res = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Some(now).into())
        .filter(account_token::Column::Id.eq(id))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::RevokedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::bad_input("token", LINK_INVALID))
    }
}

fn invitation(row: account_token::Model, now: DateTime<Utc>) -> AppResult<Invitation> {
    let status = if row.used_at.is_some() {
        InvitationStatus::Accepted
    } else if row.revoked_at.is_some() {
        InvitationStatus::Revoked
    } else if row.expires_at <= now {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Pending
    };
    Ok(Invitation {
        id: row.id.into(),
        email: row.email,
        display_name: row.display_name,
        roles: RoleSet::parse_stored(&row.roles).map_err(AppError::internal_msg)?,
        language: Language::from_stored(&row.language),
        created_at: row.created_at,
        expires_at: row.expires_at,
        status,
    })
}
