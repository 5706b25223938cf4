//! Who is calling: the connection's peer, or, when the peer is one of the
//! configured reverse proxies (`INTEGRA_TRUSTED_PROXIES`), the address the
//! proxies forwarded in `X-Forwarded-For`.
//!
//! The header is read from the right: each trusted proxy appends the
//! address it received the request from, so the right-most entry that is
//! *not* a trusted proxy is the first address no proxy of ours vouches
//! for. Entries left of it are whatever the caller chose to send and are
//! never believed. Without the setting the peer is the caller, as a
//! forwarded header from anyone could name any address.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::HeaderMap;
use integra_kernel::ClientNetwork;
use ipnet::IpNet;

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses addresses and CIDR ranges separated by commas or spaces
    /// (`10.0.0.5, 10.1.0.0/16, ::1`). An empty text trusts no one.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split([',', ' ', '\t', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                IpNet::from_str(s)
                    .or_else(|_| IpAddr::from_str(s).map(IpNet::from))
                    .map_err(|_| format!("'{s}' is not an address or CIDR range"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The caller's address for a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut caller = peer;
        let entries = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect::<Vec<_>>();
        for entry in entries.iter().rev() {
            let Some(ip) = parse_entry(entry) else {
                // A mangled entry: nothing left of it can be believed.
                return caller;
            };
            caller = ip;
            if !self.trusts(ip) {
                return ip;
            }
        }
        caller
    }

    /// The network per-address limits count the caller by.
    pub fn network(&self, peer: IpAddr, headers: &HeaderMap) -> ClientNetwork {
        ClientNetwork::of(self.client(peer, headers))
    }
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    IpAddr::from_str(entry)
        .ok()
        .or_else(|| SocketAddr::from_str(entry).ok().map(|s| s.ip()))
        .map(canonical)
}

/// An IPv4 address mapped into IPv6 as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_caller() {
        let t = TrustedProxies::default();
        assert_eq!(
            t.client(ip("192.0.2.9"), &headers(&["203.0.113.5"])),
            ip("192.0.2.9")
        );
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_caller() {
        let t = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        let h = headers(&["198.51.100.66, 203.0.113.5", "10.0.0.7"]);
        assert_eq!(t.client(ip("10.0.0.1"), &h), ip("203.0.113.5"));
        // From an untrusted peer the header is ignored.
        assert_eq!(t.client(ip("192.0.2.9"), &h), ip("192.0.2.9"));
        // Ports and brackets, IPv4 mapped into IPv6.
        let h = headers(&["[2001:db8::1]:4711"]);
        assert_eq!(t.client(ip("::ffff:10.0.0.1"), &h), ip("2001:db8::1"));
        // A garbage entry stops the walk at the last believable hop.
        let h = headers(&["203.0.113.5, garbage, 10.0.0.3"]);
        assert_eq!(t.client(ip("10.0.0.1"), &h), ip("10.0.0.3"));
        // No header: the proxy itself.
        assert_eq!(t.client(ip("::1"), &HeaderMap::new()), ip("::1"));
    }

    #[test]
    fn bad_settings_are_named() {
        assert_eq!(
            TrustedProxies::parse("10.0.0.1, nope").unwrap_err(),
            "'nope' is not an address or CIDR range"
        );
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }
}
