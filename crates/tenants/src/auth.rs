//! Sign-in, sessions and the issuing of tenant scopes.
//!
//! Sessions are server-side rows keyed by the SHA-256 of an opaque random
//! token; the token itself only ever lives in the client's cookie. Every
//! password check is throttled (see [`crate::throttle`]), and an unknown
//! email gets exactly the same answer (and roughly the same time) as a wrong
//! password.

use std::sync::Arc;

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use integra_kernel::{
    AppError, AppResult, CentreId, ClientNetwork, PlatformActor, PlatformDb, RoleSet, SharedClock,
    TenantScope, UserId,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::{centre, membership, session, user};
use crate::model::{Centre, Membership, UserSummary};
use crate::password;
use crate::throttle::{Throttle, ThrottleConfig};

/// The one message for every failed sign-in, so it reveals nothing.
pub const BAD_CREDENTIALS: &str = "Incorrect email or password.";

/// Session lifetime and throttling settings.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute_timeout: Duration,
    /// How password checks are throttled.
    pub throttle: ThrottleConfig,
    /// How long a resolved session may be answered from this process's
    /// memory before the database is asked again. Sign-out, centre switches
    /// and "sign out everywhere" through this process take effect at once;
    /// a change made by another process (or directly in the database) takes
    /// effect within this time. Zero turns the cache off.
    pub cache_ttl: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::hours(8),
            absolute_timeout: Duration::hours(72),
            throttle: ThrottleConfig::default(),
            cache_ttl: Duration::seconds(5),
        }
    }
}

/// A verified session: who is signed in and where they are working.
#[derive(Clone, Debug)]
pub struct Authenticated {
    /// The session row's id.
    pub session_id: Uuid,
    /// The user.
    pub user: UserSummary,
    /// Every centre the user belongs to, by name.
    pub memberships: Vec<Membership>,
    /// The active centre's scope, if the user works in one.
    pub scope: Option<TenantScope>,
    /// The platform actor, if the user holds platform roles.
    pub platform: Option<PlatformActor>,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

impl Authenticated {
    /// The active centre.
    pub fn active_centre(&self) -> Option<&Centre> {
        let scope = self.scope.as_ref()?;
        self.memberships
            .iter()
            .map(|m| &m.centre)
            .find(|c| c.id == scope.centre_id())
    }

    /// Roles in the active centre plus platform roles.
    pub fn roles(&self) -> RoleSet {
        let centre = self
            .scope
            .as_ref()
            .map(TenantScope::roles)
            .unwrap_or_default();
        let platform = self
            .platform
            .as_ref()
            .map(PlatformActor::roles)
            .unwrap_or_default();
        centre.union(platform)
    }

    /// The active centre's scope, or `FORBIDDEN` for users without one
    /// (ministry officers, platform admins).
    pub fn require_scope(&self) -> AppResult<&TenantScope> {
        self.scope.as_ref().ok_or(AppError::Forbidden)
    }
}

/// A fresh session: the token for the cookie and who it belongs to.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The opaque token; goes into the cookie and nowhere else.
    pub token: String,
    /// The session.
    pub auth: Authenticated,
}

/// A resolved session kept in memory for [`AuthConfig::cache_ttl`].
#[derive(Clone)]
struct CachedSession {
    auth: Arc<Authenticated>,
    fetched_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
}

/// How many resolved sessions one process keeps in memory at most.
const SESSION_CACHE_CAPACITY: usize = 20_000;

/// Sign-in and sessions.
#[derive(Clone)]
pub struct AuthService {
    db: PlatformDb,
    clock: SharedClock,
    config: AuthConfig,
    throttle: Throttle,
    /// Resolved sessions by token hash. `quick_cache` gives a bounded,
    /// concurrent map with a scan-resistant eviction policy, which a
    /// hand-written `Mutex<HashMap>` would have to reinvent.
    cache: Arc<quick_cache::sync::Cache<String, CachedSession>>,
}

impl AuthService {
    /// Creates the service.
    pub fn new(db: PlatformDb, clock: SharedClock, config: AuthConfig) -> Self {
        Self {
            throttle: Throttle::new(db.clone(), config.throttle.clone()),
            db,
            clock,
            config,
            cache: Arc::new(quick_cache::sync::Cache::new(SESSION_CACHE_CAPACITY)),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// Verifies credentials and opens a session.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: Option<ClientNetwork>,
    ) -> AppResult<SignedIn> {
        let user = self.check_password(email, password, client).await?;
        self.open_session(user).await
    }

    /// Checks `email`'s password under the throttle: an attempt is reserved
    /// before the hash is computed, and given back only when the password
    /// is right. Unknown, disabled and password-less accounts cost the same
    /// work and get the same answer as a wrong password.
    pub(crate) async fn check_password(
        &self,
        email: &str,
        password: &str,
        client: Option<ClientNetwork>,
    ) -> AppResult<user::Model> {
        let email = normalise_email(email);
        if email.is_empty() {
            return Err(AppError::bad_input("email", "is required"));
        }
        if email.chars().count() > 320 {
            return Err(AppError::bad_input("email", "is too long"));
        }
        let reservation = self
            .throttle
            .reserve(&email, client, self.clock.now())
            .await?;
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(self.db.connection())
            .await?;
        let usable = found
            .filter(|u| u.disabled_at.is_none())
            .and_then(|u| u.password_hash.clone().map(|h| (u, h)));
        let verified = match usable {
            Some((u, hash)) => password::verify(password.to_owned(), hash)
                .await?
                .then_some(u),
            None => {
                // Same work as a real check, so timing does not tell.
                password::verify(password.to_owned(), password::DUMMY_HASH.to_owned()).await?;
                None
            }
        };
        let Some(user) = verified else {
            tracing::info!(event = "sign_in_failed", "sign-in failed");
            return Err(AppError::Unauthenticated(BAD_CREDENTIALS.to_owned()));
        };
        self.throttle.succeeded(reservation).await?;
        Ok(user)
    }

    /// Opens a session for a user whose credentials were just verified (or
    /// whose account was just created with them).
    pub(crate) async fn open_session(&self, user: user::Model) -> AppResult<SignedIn> {
        let now = self.clock.now();
        let memberships = self.memberships_of(UserId(user.id)).await?;
        let active = memberships.first().map(|m| m.centre.id);
        let token = new_token()?;
        let row = session::ActiveModel {
            id: Set(Uuid::now_v7()),
            token_hash: Set(sha256_hex(token.as_bytes())),
            user_id: Set(user.id),
            active_centre_id: Set(active.map(CentreId::uuid)),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + self.config.absolute_timeout),
        }
        .insert(self.db.connection())
        .await?;
        tracing::info!(event = "signed_in", user_id = %user.id, "signed in");
        let auth = build(user, row, memberships)?;
        Ok(SignedIn { token, auth })
    }

    /// Resolves a session token from a cookie. `None` for unknown, expired or
    /// idle sessions (which are removed).
    pub async fn authenticate(&self, token: &str) -> AppResult<Option<Arc<Authenticated>>> {
        let now = self.clock.now();
        let hash = sha256_hex(token.as_bytes());
        if let Some(hit) = self.cache.get(&hash) {
            let fresh = now - hit.fetched_at < self.config.cache_ttl
                && hit.auth.expires_at > now
                && hit.last_seen_at + self.config.idle_timeout > now
                && now - hit.last_seen_at <= TOUCH_EVERY;
            if fresh {
                return Ok(Some(hit.auth));
            }
            self.cache.remove(&hash);
        }
        let conn = self.db.connection();
        let Some((sess, Some(user))) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(hash.as_str()))
            .find_also_related(user::Entity)
            .one(conn)
            .await?
        else {
            return Ok(None);
        };
        if sess.expires_at <= now
            || sess.last_seen_at + self.config.idle_timeout <= now
            || user.disabled_at.is_some()
        {
            session::Entity::delete_by_id(sess.id).exec(conn).await?;
            return Ok(None);
        }
        let mut last_seen_at = sess.last_seen_at;
        if now - sess.last_seen_at > TOUCH_EVERY {
            // Touch at most once a minute: one write per request would make
            // every read a write.
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, now.into())
                .filter(session::Column::Id.eq(sess.id))
                .exec(conn)
                .await?;
            last_seen_at = now;
        }
        let memberships = self.memberships_of(UserId(user.id)).await?;
        let auth = Arc::new(build(user, sess, memberships)?);
        self.remember(hash, &auth, now, last_seen_at);
        Ok(Some(auth))
    }

    fn remember(
        &self,
        hash: String,
        auth: &Arc<Authenticated>,
        fetched_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
    ) {
        if self.config.cache_ttl > Duration::zero() {
            self.cache.insert(
                hash,
                CachedSession {
                    auth: auth.clone(),
                    fetched_at,
                    last_seen_at,
                },
            );
        }
    }

    /// Makes another of the user's centres the active one. A centre the user
    /// does not belong to answers `NOT_FOUND`, exactly like a missing one.
    pub async fn switch_centre(
        &self,
        token: &str,
        auth: &Authenticated,
        centre: CentreId,
    ) -> AppResult<Authenticated> {
        if !auth.memberships.iter().any(|m| m.centre.id == centre) {
            return Err(AppError::NotFound);
        }
        session::Entity::update_many()
            .col_expr(session::Column::ActiveCentreId, Some(centre.uuid()).into())
            .filter(session::Column::Id.eq(auth.session_id))
            .exec(self.db.connection())
            .await?;
        self.cache.remove(&sha256_hex(token.as_bytes()));
        let mut next = auth.clone();
        next.scope = next
            .memberships
            .iter()
            .find(|m| m.centre.id == centre)
            .map(|m| TenantScope::issue_from_verified_session(centre, auth.user.id, m.roles));
        Ok(next)
    }

    /// Ends the session holding `token` (if any).
    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        let hash = sha256_hex(token.as_bytes());
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(hash.as_str()))
            .exec(self.db.connection())
            .await?;
        self.cache.remove(&hash);
        Ok(())
    }

    /// Ends every session of a user (password reset, disabling an account).
    pub async fn sign_out_everywhere(&self, user: UserId) -> AppResult<u64> {
        let res = session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user.uuid()))
            .exec(self.db.connection())
            .await?;
        self.cache.retain(|_, v| v.auth.user.id != user);
        Ok(res.rows_affected)
    }

    /// Deletes sessions past their idle or absolute limit and throttling
    /// counts that are over. Returns how many sessions
    /// went. Run periodically by the server; safe to run at any time.
    pub async fn purge_expired(&self) -> AppResult<u64> {
        let now = self.clock.now();
        let conn = self.db.connection();
        let sessions = session::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(session::Column::ExpiresAt.lte(now))
                    .add(session::Column::LastSeenAt.lte(now - self.config.idle_timeout)),
            )
            .exec(conn)
            .await?;
        self.throttle.purge(now).await?;
        Ok(sessions.rows_affected)
    }

    /// The user's memberships with their centres, ordered by centre name.
    async fn memberships_of(&self, user: UserId) -> AppResult<Vec<Membership>> {
        // One statement: memberships with their centres, under the policy
        // that shows a user their own memberships.
        let txn = self.db.for_user(user).await?;
        let rows = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user.uuid()))
            .find_also_related(centre::Entity)
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut out = Vec::with_capacity(rows.len());
        for (m, c) in rows {
            let Some(c) = c else { continue };
            let roles = RoleSet::parse_stored(&m.roles).map_err(AppError::internal_msg)?;
            out.push(Membership {
                centre: Centre::from_entity(c)?,
                roles,
            });
        }
        out.sort_by(|a, b| a.centre.name.cmp(&b.centre.name));
        Ok(out)
    }
}

fn build(
    user: user::Model,
    sess: session::Model,
    memberships: Vec<Membership>,
) -> AppResult<Authenticated> {
    let platform_roles =
        RoleSet::parse_stored(&user.platform_roles).map_err(AppError::internal_msg)?;
    let platform_roles: RoleSet = platform_roles
        .iter()
        .filter(|r| !r.is_centre_role())
        .collect();
    let user_id = UserId(user.id);
    let scope = sess.active_centre_id.and_then(|active| {
        memberships
            .iter()
            .find(|m| m.centre.id.uuid() == active)
            .map(|m| TenantScope::issue_from_verified_session(m.centre.id, user_id, m.roles))
    });
    let platform = (!platform_roles.is_empty())
        .then(|| PlatformActor::issue_from_verified_session(user_id, platform_roles));
    Ok(Authenticated {
        session_id: sess.id,
        user: UserSummary {
            id: user_id,
            email: user.email,
            display_name: user.display_name,
        },
        memberships,
        scope,
        platform,
        expires_at: sess.expires_at,
    })
}

/// How often a busy session's `last_seen_at` is written.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Lower-cases and trims an email address for lookup and storage.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The SHA-256 of `bytes` in hex: how secrets in links are stored.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The characters of [`readable_code`]: no look-alikes (no 0/O, 1/I/L).
pub const READABLE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// `len` random characters without look-alikes (no 0/O, 1/I/L), easy to
/// read out or type from paper: check-in codes, certificate numbers.
pub fn readable_code(len: usize) -> AppResult<String> {
    const ALPHABET: &[u8] = READABLE_ALPHABET;
    let mut buf = vec![0u8; len];
    getrandom::fill(&mut buf).map_err(|e| AppError::internal_msg(format!("getrandom: {e}")))?;
    Ok(buf
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// A new secret for a link: 32 random bytes, URL-safe base64.
pub fn new_token() -> AppResult<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AppError::internal_msg(format!("getrandom: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}
