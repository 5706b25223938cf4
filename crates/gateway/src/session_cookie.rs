//! The session cookie: an opaque token, HttpOnly, SameSite=Lax; in
//! production `Secure` and named with the `__Host-` prefix, which browsers
//! accept only from a secure origin, for the whole site (`Path=/`) and for
//! this host alone (no `Domain`), so no sibling site can set or shadow it.

use http::HeaderMap;
use http::HeaderValue;
use http::header::COOKIE;

/// Cookie name in dev mode (plain HTTP on loopback).
pub const NAME: &str = "integra_session";

/// Cookie name in production.
pub const SECURE_NAME: &str = "__Host-integra_session";

/// The cookie's name: [`SECURE_NAME`] when cookies are `Secure`.
pub fn name(secure: bool) -> &'static str {
    if secure { SECURE_NAME } else { NAME }
}

/// The header requests with the session cookie must carry (any value).
pub const CSRF_HEADER: &str = "x-integra-csrf";

/// `Set-Cookie` value that stores `token`.
pub fn set(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let name = name(secure);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` value that removes the cookie.
pub fn clear(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "__Host-integra_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("integra_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The session token from the request's cookies, if any (empty values
/// ignored); only the cookie of the mode's name counts.
pub fn token(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_token_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; integra_session=tok; b=2"),
        );
        assert_eq!(token(&h, false).as_deref(), Some("tok"));
        assert_eq!(token(&h, true), None, "production reads only __Host-");
        h.insert(COOKIE, HeaderValue::from_static("integra_session="));
        assert_eq!(token(&h, false), None);
        h.insert(
            COOKIE,
            HeaderValue::from_static("__Host-integra_session=tok2"),
        );
        assert_eq!(token(&h, true).as_deref(), Some("tok2"));
    }

    #[test]
    fn cookie_attributes() {
        let v = set("abc", 60, true);
        let s = v.to_str().unwrap();
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.ends_with("Secure"));
        assert!(s.starts_with("__Host-integra_session=abc; Path=/;") && !s.contains("Domain"));
        assert!(clear(true).to_str().unwrap().starts_with("__Host-"));
        assert!(!set("abc", 60, false).to_str().unwrap().contains("Secure"));
    }
}
