//! Sign-in throttling that an attacker can neither race nor weaponise.
//!
//! Each password check first *reserves* an attempt, in one transaction,
//! before the (slow) hash is computed: the attempt counts as a failure
//! until the password proves right. So 200 concurrent guesses cannot all
//! slip through before the first failure is written; at most the free
//! attempts run, the rest are `RATE_LIMITED`.
//!
//! Attempts are counted per (account, client network) and per client
//! network, never per account alone: a hard account lock would let anyone
//! who knows a staff email keep that person out. Past the free attempts
//! each further attempt must wait a delay that doubles (30 s, 1 min, 2 min,
//! … at most 15 min); the count is forgotten after a quiet spell. An
//! unknown email is counted exactly like a known one.

use chrono::{DateTime, Duration, Utc};
use integra_kernel::{AppError, AppResult, ClientNetwork, PlatformDb, for_update};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::auth::sha256_hex;
use crate::entity::login_throttle;

/// How many attempts are free and how the delays grow.
#[derive(Clone, Debug)]
pub struct ThrottleConfig {
    /// Attempts for one account from one network before delays begin.
    pub pair_free_attempts: i32,
    /// Attempts from one network (any accounts) before delays begin.
    pub network_free_attempts: i32,
    /// The delay after the last free attempt; it doubles with each further
    /// failure.
    pub first_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// Failures are forgotten after this long without a new one.
    pub forget_after: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            pair_free_attempts: 5,
            network_free_attempts: 20,
            first_delay: Duration::seconds(30),
            max_delay: Duration::minutes(15),
            forget_after: Duration::minutes(15),
        }
    }
}

/// An attempt reserved by [`Throttle::reserve`]: give it back with
/// [`Throttle::succeeded`] when the password was right.
#[derive(Debug)]
pub(crate) struct Reservation {
    pair: String,
    network: Option<String>,
}

/// The throttle's rows in the database (shared by every process).
#[derive(Clone)]
pub(crate) struct Throttle {
    db: PlatformDb,
    config: ThrottleConfig,
}

/// The prefix of every pair key of one account, so that a password reset
/// can forget them all.
pub(crate) fn account_prefix(email: &str) -> String {
    format!("pair:{}:", sha256_hex(email.as_bytes()))
}

impl Throttle {
    pub(crate) fn new(db: PlatformDb, config: ThrottleConfig) -> Self {
        Self { db, config }
    }

    /// Reserves one attempt for `email` (normalised) from `client`, or
    /// answers `RATE_LIMITED` with the wait when either count is in its
    /// delay. Nothing is counted for a refused attempt.
    pub(crate) async fn reserve(
        &self,
        email: &str,
        client: Option<ClientNetwork>,
        now: DateTime<Utc>,
    ) -> AppResult<Reservation> {
        let net = client.map_or_else(|| "-".to_owned(), |n| n.to_string());
        let reservation = Reservation {
            pair: format!("{}{net}", account_prefix(email)),
            network: client.map(|n| format!("network:{n}")),
        };
        let mut keys: Vec<(&str, i32)> =
            vec![(reservation.pair.as_str(), self.config.pair_free_attempts)];
        if let Some(k) = &reservation.network {
            keys.push((k.as_str(), self.config.network_free_attempts));
        }
        keys.sort_by_key(|(k, _)| *k);
        let txn = self.db.connection().begin().await?;
        // Insert first: on SQLite the transaction then holds the write lock
        // before it reads; on PostgreSQL the rows exist to be locked.
        for (key, _) in &keys {
            login_throttle::Entity::insert(login_throttle::ActiveModel {
                key: Set((*key).to_owned()),
                failures: Set(0),
                window_started_at: Set(now),
                locked_until: Set(None),
            })
            .on_conflict_do_nothing_on([login_throttle::Column::Key])
            .exec(&txn)
            .await?;
        }
        let rows = for_update(
            login_throttle::Entity::find()
                .filter(login_throttle::Column::Key.is_in(keys.iter().map(|(k, _)| *k)))
                .order_by_asc(login_throttle::Column::Key),
            &txn,
        )
        .all(&txn)
        .await?;
        if let Some(until) = rows
            .iter()
            .filter_map(|r| r.locked_until)
            .filter(|t| *t > now)
            .max()
        {
            txn.rollback().await?;
            return Err(AppError::RateLimited {
                retry_after_secs: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
            });
        }
        for row in rows {
            let free = keys
                .iter()
                .find(|(k, _)| *k == row.key)
                .map_or(self.config.pair_free_attempts, |(_, f)| *f);
            let forgotten = row.window_started_at + self.config.forget_after <= now;
            let failures = if forgotten { 1 } else { row.failures + 1 };
            let mut active = row.into_active_model();
            active.failures = Set(failures);
            active.window_started_at = Set(now);
            active.locked_until =
                Set((failures >= free).then(|| now + self.delay(failures - free)));
            active.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(reservation)
    }

    /// The wait after the `beyond`-th failure past the free ones.
    fn delay(&self, beyond: i32) -> Duration {
        let doubled = self
            .config
            .first_delay
            .checked_mul(1_i32 << beyond.clamp(0, 20))
            .unwrap_or(self.config.max_delay);
        doubled.min(self.config.max_delay)
    }

    /// The password was right: the account's count from this network is
    /// forgotten, and the network's count gets its reserved attempt back
    /// (other people behind the same address keep theirs).
    pub(crate) async fn succeeded(&self, reservation: Reservation) -> AppResult<()> {
        let conn = self.db.connection();
        login_throttle::Entity::delete_by_id(reservation.pair)
            .exec(conn)
            .await?;
        if let Some(key) = reservation.network {
            login_throttle::Entity::update_many()
                .col_expr(
                    login_throttle::Column::Failures,
                    sea_orm::sea_query::ExprTrait::sub(
                        sea_orm::sea_query::Expr::col(login_throttle::Column::Failures),
                        1,
                    ),
                )
                .filter(login_throttle::Column::Key.eq(key))
                .filter(login_throttle::Column::Failures.gt(0))
                .exec(conn)
                .await?;
        }
        Ok(())
    }

    /// Forgets every count older than the quiet spell. Returns how many
    /// went.
    pub(crate) async fn purge(&self, now: DateTime<Utc>) -> AppResult<u64> {
        let gone = login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::WindowStartedAt.lte(now - self.config.forget_after))
            .filter(
                sea_orm::Condition::any()
                    .add(login_throttle::Column::LockedUntil.is_null())
                    .add(login_throttle::Column::LockedUntil.lte(now)),
            )
            .exec(self.db.connection())
            .await?;
        Ok(gone.rows_affected)
    }
}
