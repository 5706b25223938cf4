//! SQL functions kept as files beside the context that owns them.
//!
//! A few requests run as one PostgreSQL function (one round trip instead of
//! one per statement). Such a function is code, not schema history: it
//! lives in a `.sql` file of its context crate (`crates/<context>/sql/`),
//! the crate names it in a [`SqlFunctions`] constant, the gateway lists
//! those constants, and `integra migrate` installs every file whose text
//! changed since the last run (`integra_migrations::functions`).

/// One `.sql` file of functions.
#[derive(Clone, Copy, Debug)]
pub struct SqlFunctions {
    /// The file's path in the repository (the name it is recorded under).
    pub file: &'static str,
    /// The functions the file defines: every function of these names is
    /// dropped before a changed file is installed, so that a changed
    /// argument list replaces the old function instead of adding another.
    pub functions: &'static [&'static str],
    /// The file's text, with `{{NAME}}` placeholders for `constants`.
    pub sql: &'static str,
    /// Limits shared with the Rust code (the merge chain's length and the
    /// like), named once in Rust and written into the text.
    pub constants: &'static [(&'static str, i64)],
}

impl SqlFunctions {
    /// The text to run: the file with its placeholders filled. An unknown
    /// placeholder is an error, so a typo cannot install broken SQL.
    pub fn text(&self) -> Result<String, String> {
        let mut text = self.sql.to_owned();
        for (name, value) in self.constants {
            text = text.replace(&format!("{{{{{name}}}}}"), &value.to_string());
        }
        match text.find("{{") {
            Some(at) => Err(format!(
                "{}: unknown placeholder {}",
                self.file,
                text[at..].chars().take(40).collect::<String>()
            )),
            None => Ok(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_refused() {
        let f = SqlFunctions {
            file: "x.sql",
            functions: &["f"],
            sql: "FOR i IN 1..{{LIMIT}} LOOP",
            constants: &[("LIMIT", 16)],
        };
        assert_eq!(f.text().as_deref(), Ok("FOR i IN 1..16 LOOP"));
        let g = SqlFunctions {
            constants: &[],
            ..f
        };
        assert!(g.text().unwrap_err().contains("{{LIMIT}}"));
    }
}
