use super::settings::SETTINGS;
use super::*;

fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |k| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn defaults_are_zero_config() {
    let c = Config::load_from(None, env(&[])).unwrap();
    assert_eq!(c.database.url, "sqlite://./data/integra.sqlite3");
    assert_eq!(c.server.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(c.server.mode, Mode::Dev);
    assert_eq!(c.log.format, LogFormat::Pretty);
    assert_eq!(c.session.idle, Duration::from_secs(480 * 60));
    assert_eq!(c.mail.poll, Duration::from_millis(1000));
    assert_eq!(c.registration.retention_days, Some(365));
}

#[test]
fn bad_values_name_the_setting() {
    let e = Config::load_from(None, env(&[("INTEGRA_BIND", "nowhere")])).unwrap_err();
    assert!(
        e.0.starts_with("INTEGRA_BIND: 'nowhere' is not a socket address"),
        "{e}"
    );
    let e = Config::load_from(None, env(&[("INTEGRA_MODE", "prod")])).unwrap_err();
    assert!(e.0.starts_with("INTEGRA_MODE:"), "{e}");
    let e = Config::load_from(None, env(&[("INTEGRA_DATABASE_URL", "mysql://x")])).unwrap_err();
    assert!(e.0.starts_with("INTEGRA_DATABASE_URL:"), "{e}");
    let e = Config::load_from(None, env(&[("INTEGRA_DB_MAX_CONNECTIONS", "0")])).unwrap_err();
    assert!(e.0.starts_with("INTEGRA_DB_MAX_CONNECTIONS:"), "{e}");
    let e = Config::load_from(None, env(&[("INTEGRA_MAIL_POLL_MS", "5")])).unwrap_err();
    assert_eq!(
        e.0,
        "INTEGRA_MAIL_POLL_MS: '5' is not a whole number from 10 to 600000"
    );
}

#[test]
fn production_requires_a_secret_that_never_prints() {
    let e = Config::load_from(None, env(&[("INTEGRA_MODE", "production")])).unwrap_err();
    assert!(e.0.starts_with("INTEGRA_SECRET_KEY: is required"), "{e}");
    let e = Config::load_from(
        None,
        env(&[
            ("INTEGRA_MODE", "production"),
            ("INTEGRA_SECRET_KEY", "short"),
        ]),
    )
    .unwrap_err();
    assert!(e.0.contains("at least 32"), "{e}");
    let secret = "0123456789abcdef0123456789abcdef";
    let c = Config::load_from(
        None,
        env(&[
            ("INTEGRA_MODE", "production"),
            ("INTEGRA_SECRET_KEY", secret),
            ("INTEGRA_SMTP_URL", "smtps://u:hunter2@mail.example.cz:465"),
            ("INTEGRA_DATABASE_URL", "postgres://app:s3cret@db/integra"),
        ]),
    )
    .unwrap();
    assert_eq!(c.log.format, LogFormat::Json);
    assert_eq!(c.secret(), Some(secret));
    let printed = format!("{c:?}");
    for hidden in [secret, "hunter2", "s3cret"] {
        assert!(!printed.contains(hidden), "{hidden} in {printed}");
    }
}

#[test]
fn file_sections_then_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("integra.toml");
    std::fs::write(
        &path,
        "[server]\nbind = \"0.0.0.0:9000\"\n[database]\nmax_connections = 4\n[mail]\npoll_ms = 250\n",
    )
    .unwrap();
    let c = Config::load_from(Some(&path), env(&[])).unwrap();
    assert_eq!(c.server.bind.to_string(), "0.0.0.0:9000");
    assert_eq!(c.database.max_connections, 4);
    assert_eq!(c.mail.poll, Duration::from_millis(250));
    let c = Config::load_from(Some(&path), env(&[("INTEGRA_BIND", "127.0.0.1:1")])).unwrap();
    assert_eq!(c.server.bind.to_string(), "127.0.0.1:1");

    std::fs::write(&path, "[server]\nbind = \"x\"\n").unwrap();
    let e = Config::load_from(Some(&path), env(&[])).unwrap_err();
    assert!(e.0.starts_with("server.bind (in "), "{e}");
    std::fs::write(&path, "[server]\ncolour = \"red\"\n").unwrap();
    let e = Config::load_from(Some(&path), env(&[])).unwrap_err();
    assert!(e.0.contains("unknown setting 'server.colour'"), "{e}");
    std::fs::write(&path, "bind = \"0.0.0.0:9000\"\n").unwrap();
    let e = Config::load_from(Some(&path), env(&[])).unwrap_err();
    assert!(
        e.0.contains("unknown setting 'bind' (settings sit in sections: [server] bind = …)"),
        "{e}"
    );
}

#[test]
fn dev_secret_is_generated_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let mut c = Config::load_from(None, env(&[("INTEGRA_DATA_DIR", &data)])).unwrap();
    c.ensure_secret().unwrap();
    let first = c.secret().unwrap().to_owned();
    let mut c2 = Config::load_from(None, env(&[("INTEGRA_DATA_DIR", &data)])).unwrap();
    c2.ensure_secret().unwrap();
    assert_eq!(c2.secret(), Some(first.as_str()));
}

#[test]
fn urls_are_redacted() {
    assert_eq!(
        redact_url("postgres://app:s3cret@db/integra"),
        "postgres://app:***@db/integra"
    );
    assert_eq!(
        redact_url("sqlite://./data/x.sqlite3"),
        "sqlite://./data/x.sqlite3"
    );
}

/// The README's configuration table names every setting, with its TOML
/// key and its default as the code has them, and no setting the code lacks.
#[test]
fn the_readme_table_matches_the_settings() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| `INTEGRA_"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect();
    let mut wrong = Vec::new();
    for s in SETTINGS {
        let Some(row) = rows.iter().find(|r| r[0] == format!("`{}`", s.env)) else {
            wrong.push(format!("{}: no row", s.env));
            continue;
        };
        if row.get(1) != Some(&format!("`{}`", s.path)) {
            wrong.push(format!("{}: file key should be `{}`", s.env, s.path));
        }
        if let Some(d) = s.default
            && row.get(2) != Some(&format!("`{d}`"))
        {
            wrong.push(format!("{}: default should be `{d}`", s.env));
        }
    }
    for row in &rows {
        if !SETTINGS.iter().any(|s| row[0] == format!("`{}`", s.env)) {
            wrong.push(format!("{}: no such setting", row[0]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
