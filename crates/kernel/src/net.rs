//! Where a request comes from, as every per-address limit keys it.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// The network a caller is counted by: an IPv4 address, or the /64 network
/// of an IPv6 address (the block one household or office gets, so a caller
/// cannot step around a limit by rotating through its 2^64 addresses). An
/// IPv4 address mapped into IPv6 counts as itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientNetwork(IpAddr);

impl ClientNetwork {
    /// The network `ip` belongs to.
    pub fn of(ip: IpAddr) -> Self {
        Self(match ip {
            IpAddr::V4(_) => ip,
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let s = v6.segments();
                    IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
                }
            },
        })
    }

    /// The network's address (an IPv6 one with its last 64 bits zero).
    pub fn addr(self) -> IpAddr {
        self.0
    }
}

impl fmt::Display for ClientNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_by_its_64_and_mapped_ipv4_as_itself() {
        let a = ClientNetwork::of("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = ClientNetwork::of("2001:db8:1:2:bbbb::9".parse().unwrap());
        let c = ClientNetwork::of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        let mapped = ClientNetwork::of("::ffff:192.0.2.7".parse().unwrap());
        assert_eq!(mapped, ClientNetwork::of("192.0.2.7".parse().unwrap()));
        assert_eq!(mapped.to_string(), "192.0.2.7");
    }
}
