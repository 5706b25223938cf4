//! The session cookie: an opaque token, HttpOnly, SameSite=Lax, Secure in
//! production.

use http::HeaderMap;
use http::HeaderValue;
use http::header::COOKIE;

/// Cookie name.
pub const NAME: &str = "integra_session";

/// The header requests with the session cookie must carry (any value).
pub const CSRF_HEADER: &str = "x-integra-csrf";

/// `Set-Cookie` value that stores `token`.
pub fn set(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` value that removes the cookie.
pub fn clear(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "integra_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("integra_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The session token from the request's cookies, if any (empty values ignored).
pub fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == NAME && !v.is_empty())
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
        assert_eq!(token(&h).as_deref(), Some("tok"));
        h.insert(COOKIE, HeaderValue::from_static("integra_session="));
        assert_eq!(token(&h), None);
    }

    #[test]
    fn cookie_attributes() {
        let v = set("abc", 60, true);
        let s = v.to_str().unwrap();
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.ends_with("Secure"));
        assert!(!set("abc", 60, false).to_str().unwrap().contains("Secure"));
    }
}
