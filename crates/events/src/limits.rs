//! Limits on public registrations per client address and per email address,
//! so that a script cannot fill an event or flood someone's inbox.
//!
//! The limits are held in memory (governor's GCRA, keyed), so each process
//! counts on its own: with several processes behind a balancer the real
//! limit is that many times the setting. A client is counted by its
//! [`ClientNetwork`] (an IPv6 one by its /64).
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use integra_kernel::{AppError, AppResult, ClientNetwork};
use sha2::{Digest, Sha256};

/// How many public registrations are accepted per hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegistrationLimits {
    /// Attempts per client address per hour (0 = no limit). A school or an
    /// office registering a group shares one address, so keep it generous.
    pub per_address_per_hour: u32,
    /// Registrations per email address per hour, across all events of all
    /// centres (0 = no limit).
    pub per_email_per_hour: u32,
}

impl Default for RegistrationLimits {
    fn default() -> Self {
        Self {
            per_address_per_hour: 60,
            per_email_per_hour: 5,
        }
    }
}

/// Checks are cheap; every this many, keys that have fully recovered are
/// dropped so the maps do not grow without end.
const SWEEP_EVERY: u64 = 4096;

#[derive(Clone)]
pub(crate) struct Limiter {
    by_address: Option<Arc<DefaultKeyedRateLimiter<ClientNetwork>>>,
    by_email: Option<Arc<DefaultKeyedRateLimiter<[u8; 32]>>>,
    checks: Arc<AtomicU64>,
}

fn per_hour(n: u32) -> Option<Quota> {
    NonZeroU32::new(n).map(Quota::per_hour)
}

impl Limiter {
    pub(crate) fn new(limits: RegistrationLimits) -> Self {
        Self {
            by_address: per_hour(limits.per_address_per_hour)
                .map(|q| Arc::new(RateLimiter::keyed(q))),
            by_email: per_hour(limits.per_email_per_hour).map(|q| Arc::new(RateLimiter::keyed(q))),
            checks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Counts an attempt from `client`; refuses it beyond the limit.
    pub(crate) fn address(&self, client: Option<ClientNetwork>) -> AppResult<()> {
        let (Some(limiter), Some(net)) = (&self.by_address, client) else {
            return Ok(());
        };
        self.sweep();
        check(limiter, &net)
    }

    /// Counts a registration for `email` (already normalised); refuses it
    /// beyond the limit. Only a hash of the address is kept.
    pub(crate) fn email(&self, email: &str) -> AppResult<()> {
        let Some(limiter) = &self.by_email else {
            return Ok(());
        };
        let key: [u8; 32] = Sha256::digest(inbox(email).as_bytes()).into();
        check(limiter, &key)
    }

    fn sweep(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            if let Some(l) = &self.by_address {
                l.retain_recent();
                l.shrink_to_fit();
            }
            if let Some(l) = &self.by_email {
                l.retain_recent();
                l.shrink_to_fit();
            }
        }
    }
}

/// The inbox an address reaches, as the limit counts it: lower case and
/// without a `+tag` on its local part (`Jana+1@X.cz` and `jana+2@x.cz` are
/// one inbox, one count).
fn inbox(email: &str) -> String {
    let email = email.trim().to_lowercase();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split_once('+').map_or(local, |(base, _)| base);
            format!("{local}@{domain}")
        }
        None => email,
    }
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> AppResult<()> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_secs: wait.as_secs() + 1,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn net(ip: &str) -> Option<ClientNetwork> {
        Some(ClientNetwork::of(ip.parse::<IpAddr>().unwrap()))
    }

    #[test]
    fn refuses_beyond_the_limit_per_key() {
        let l = Limiter::new(RegistrationLimits {
            per_address_per_hour: 2,
            per_email_per_hour: 1,
        });
        let (a, b) = (net("192.0.2.1"), net("192.0.2.2"));
        assert!(l.address(a).is_ok());
        assert!(l.address(a).is_ok());
        match l.address(a) {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!((1..=1801).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected a limit, got {other:?}"),
        }
        assert!(l.address(b).is_ok(), "another address has its own count");
        assert!(l.address(None).is_ok(), "no address known: not counted");
        assert!(l.email("a@example.cz").is_ok());
        assert!(l.email("a@example.cz").is_err());
        assert!(l.email("A+tag@Example.cz").is_err(), "the same inbox");
        assert!(l.email("b@example.cz").is_ok());
    }

    #[test]
    fn ipv6_counts_by_its_network() {
        let l = Limiter::new(RegistrationLimits {
            per_address_per_hour: 1,
            per_email_per_hour: 0,
        });
        assert!(l.address(net("2001:db8:1:2::10")).is_ok());
        assert!(l.address(net("2001:db8:1:2::11")).is_err());
        assert!(l.address(net("2001:db8:1:3::10")).is_ok());
        for _ in 0..10 {
            assert!(l.email("x@example.cz").is_ok(), "0 means no limit");
        }
    }
}
