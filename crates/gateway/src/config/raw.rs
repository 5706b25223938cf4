//! The layers: built-in defaults, then an optional TOML file, then
//! `INTEGRA_*` environment variables, each value kept with where it came
//! from so that a bad one is reported as one line naming the setting the
//! way its author wrote it (the variable, or the key and the file).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::ConfigError;
use super::settings::{SETTINGS, Setting, by_path};

/// Where a value came from.
#[derive(Clone, Debug)]
enum Source {
    Default,
    File(PathBuf),
    Env,
}

/// Every setting's text and source, after layering.
pub(super) struct Raw {
    values: BTreeMap<&'static str, (String, Source)>,
}

impl Raw {
    /// Layers the defaults, `file` and `env`.
    pub(super) fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut values = BTreeMap::new();
        for s in SETTINGS {
            if let Some(d) = s.default {
                values.insert(s.path, (d.to_owned(), Source::Default));
            }
        }
        if let Some(path) = file {
            for (setting, text) in read_file(path)? {
                values.insert(setting.path, (text, Source::File(path.to_owned())));
            }
        }
        for s in SETTINGS {
            if let Some(v) = env(s.env) {
                values.insert(s.path, (v, Source::Env));
            }
        }
        Ok(Self { values })
    }

    /// The setting's value, if any layer gave one.
    pub(super) fn get(&self, path: &'static str) -> Option<&str> {
        self.values.get(path).map(|(v, _)| v.as_str())
    }

    /// How the setting at `path` is named to the person who set it: its
    /// variable, or its key in the file.
    pub(super) fn name(&self, path: &'static str) -> String {
        let env = by_path(path).map_or(path, |s| s.env);
        match self.values.get(path) {
            Some((_, Source::File(file))) => format!("{path} (in {})", file.display()),
            Some((_, Source::Env | Source::Default)) | None => env.to_owned(),
        }
    }

    /// The trimmed value at `path` when `check` accepts it; otherwise the
    /// line "NAME: 'value' is not WHAT".
    pub(super) fn checked(
        &self,
        path: &'static str,
        what: &str,
        check: &dyn Fn(&str) -> bool,
    ) -> Result<String, ConfigError> {
        let v = self
            .get(path)
            .ok_or_else(|| ConfigError(format!("{}: is not set", self.name(path))))?;
        if check(v.trim()) {
            Ok(v.trim().to_owned())
        } else {
            Err(self.invalid(path, v, what))
        }
    }

    /// "NAME: 'value' is not WHAT", the value shortened.
    pub(super) fn invalid(&self, path: &'static str, value: &str, what: &str) -> ConfigError {
        ConfigError(format!(
            "{}: '{}' is not {what}",
            self.name(path),
            shorten(value)
        ))
    }

    /// A whole number from `min` to `max`.
    pub(super) fn int(&self, path: &'static str, min: i64, max: i64) -> Result<i64, ConfigError> {
        let what = format!("a whole number from {min} to {max}");
        let v = self.checked(path, &what, &|v| {
            v.parse::<i64>().is_ok_and(|n| (min..=max).contains(&n))
        })?;
        v.parse::<i64>().map_err(|_| self.invalid(path, &v, &what))
    }

    /// A whole number from `min` to `max` as `T` (whose range holds it).
    pub(super) fn number<T: TryFrom<i64>>(
        &self,
        path: &'static str,
        min: i64,
        max: i64,
    ) -> Result<T, ConfigError> {
        let n = self.int(path, min, max)?;
        T::try_from(n).map_err(|_| self.invalid(path, &n.to_string(), "in range"))
    }
}

/// The settings a TOML file gives: `[section]` tables of keys. A key
/// outside a section, or one no setting has, is refused by name.
fn read_file(path: &Path) -> Result<Vec<(&'static Setting, String)>, ConfigError> {
    let at = || path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("config file {}: cannot be read: {e}", at())))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        ConfigError(format!(
            "config file {}: not valid TOML: {}",
            at(),
            e.message()
        ))
    })?;
    let mut out = Vec::new();
    for (section, entries) in table {
        let toml::Value::Table(entries) = entries else {
            let hint = SETTINGS
                .iter()
                .find(|s| s.path.split_once('.').is_some_and(|(_, k)| k == section))
                .map(|s| {
                    let (sec, key) = s.path.split_once('.').unwrap_or((s.path, ""));
                    format!(" (settings sit in sections: [{sec}] {key} = …)")
                })
                .unwrap_or_default();
            return Err(ConfigError(format!(
                "config file {}: unknown setting '{section}'{hint}",
                at()
            )));
        };
        for (key, value) in entries {
            let full = format!("{section}.{key}");
            let setting = by_path(&full).ok_or_else(|| {
                ConfigError(format!("config file {}: unknown setting '{full}'", at()))
            })?;
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(ConfigError(format!(
                        "config file {}: {full}: expected a string or number, got {}",
                        at(),
                        other.type_str()
                    )));
                }
            };
            out.push((setting, text));
        }
    }
    Ok(out)
}

fn shorten(v: &str) -> String {
    if v.chars().count() > 60 {
        format!("{}…", v.chars().take(60).collect::<String>())
    } else {
        v.to_owned()
    }
}
