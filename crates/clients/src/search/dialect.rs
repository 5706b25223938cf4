//! The SQL the search and the name index write differently for each
//! engine: one small trait with a PostgreSQL and a SQLite implementation
//! ([`for_engine`]). Everything else about a search is the same statement
//! on both. PostgreSQL gets one statement text for any number of words or
//! rows (arrays unnested, lateral look-ups), because planning these
//! statements costs more than running them and a prepared statement's plan
//! is kept per text; SQLite has neither arrays nor lateral joins and gets
//! `VALUES` lists and `UNION ALL` parts.

use std::collections::BTreeMap;

use integra_kernel::Backend;
use sea_orm::Value;
use sea_orm::sea_query::ArrayType;

use super::Cursor;

/// The engine-specific SQL of the search and the index.
pub(super) trait SearchSql: Send + Sync {
    /// The engine (for the shared helpers that take it, e.g. `in_texts`).
    fn backend(&self) -> Backend;

    /// The stored words a search looks for as a table of `(term, w,
    /// quality)`: the stored word, which typed word it answers, how well.
    fn words_table(&self, rows: &[(String, i64, f64)]) -> (String, Vec<Value>);

    /// Most rows one insert of the index writes.
    fn insert_batch(&self) -> usize;

    /// An insert of `chunk` (two columns each) into `target` (a table and
    /// its three columns, the centre's first), skipping rows already there.
    fn insert_new(
        &self,
        target: &str,
        types: &(ArrayType, ArrayType),
        chunk: &[(Value, Value)],
    ) -> (String, Vec<Value>);

    /// One typed word's postings as `pages (client_id, quality)` over the
    /// words' table `q`, at most a page each, past the cursor; `None` when
    /// the cursor is past every word.
    fn single_word_pages(
        &self,
        terms: &BTreeMap<String, f64>,
        first: u64,
        after: Option<&Cursor>,
    ) -> Option<(String, Vec<Value>)>;

    /// A score of zero as a double.
    fn zero_score(&self) -> &'static str;

    /// Each candidate `d`'s own index entries as `t`, looked up by client
    /// and kept from being flattened into a join of every posting.
    fn candidate_entries(&self) -> &'static str;
}

/// The SQL for `backend`.
pub(super) fn for_engine(backend: Backend) -> &'static dyn SearchSql {
    match backend {
        Backend::Postgres => &Postgres,
        Backend::Sqlite => &Sqlite,
    }
}

fn placeholders(n: usize, group: &str) -> String {
    vec![group; n].join(", ")
}

fn array(kind: ArrayType, values: impl Iterator<Item = Value>) -> Value {
    Value::Array(kind, Some(Box::new(values.collect())))
}

/// PostgreSQL.
struct Postgres;

impl SearchSql for Postgres {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    // Three arrays unnested: one statement text, and one kept plan, for any
    // number of words.
    fn words_table(&self, rows: &[(String, i64, f64)]) -> (String, Vec<Value>) {
        (
            "SELECT * FROM unnest(?, ?, ?)".to_owned(),
            vec![
                array(ArrayType::String, rows.iter().map(|r| r.0.clone().into())),
                array(ArrayType::BigInt, rows.iter().map(|r| r.1.into())),
                array(ArrayType::Double, rows.iter().map(|r| r.2.into())),
            ],
        )
    }

    fn insert_batch(&self) -> usize {
        10_000
    }

    fn insert_new(
        &self,
        target: &str,
        types: &(ArrayType, ArrayType),
        chunk: &[(Value, Value)],
    ) -> (String, Vec<Value>) {
        (
            format!(
                "INSERT INTO {target} SELECT :tenant, * FROM unnest(?, ?) ON CONFLICT DO NOTHING"
            ),
            vec![
                array(types.0.clone(), chunk.iter().map(|r| r.0.clone())),
                array(types.1.clone(), chunk.iter().map(|r| r.1.clone())),
            ],
        )
    }

    // Each candidate word's postings read by a lateral look-up over `q`, so
    // that the statement's text is one for any number of words.
    fn single_word_pages(
        &self,
        _terms: &BTreeMap<String, f64>,
        first: u64,
        after: Option<&Cursor>,
    ) -> Option<(String, Vec<Value>)> {
        let mut values: Vec<Value> = Vec::new();
        let mut pages = String::from(
            "SELECT p.client_id, q.quality FROM q CROSS JOIN LATERAL \
             (SELECT t.client_id FROM client_terms t WHERE t.tenant_id = :tenant AND t.term = q.term",
        );
        if let Some(c) = after {
            // Past the cursor: a word ranked above it is done, a word ranked
            // equal continues after its client, and whoever a better-matching
            // word listed already is not listed again.
            pages.push_str(
                " AND (q.quality < ? OR t.client_id < ?) \
                 AND NOT EXISTS (SELECT 1 FROM q h JOIN client_terms ht ON ht.tenant_id = :tenant \
                 AND ht.client_id = t.client_id AND ht.term = h.term WHERE h.quality > q.quality)",
            );
            values.extend([c.s.into(), c.i.into()]);
        }
        pages.push_str(" ORDER BY t.client_id DESC LIMIT ?) p");
        values.push(i64::try_from(first + 1).unwrap_or(i64::MAX).into());
        if let Some(c) = after {
            pages.push_str(" WHERE q.quality <= ?");
            values.push(c.s.into());
        }
        Some((pages, values))
    }

    fn zero_score(&self) -> &'static str {
        "CAST(0 AS double precision)"
    }

    // PostgreSQL underestimates common names and would join every posting
    // of every typed word; `OFFSET 0` keeps the lateral look-up whole.
    fn candidate_entries(&self) -> &'static str {
        "CROSS JOIN LATERAL (SELECT t.client_id, t.term FROM client_terms t WHERE t.tenant_id = :tenant AND t.client_id = d.client_id OFFSET 0) t"
    }
}

/// SQLite.
struct Sqlite;

impl SearchSql for Sqlite {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn words_table(&self, rows: &[(String, i64, f64)]) -> (String, Vec<Value>) {
        if rows.is_empty() {
            return ("SELECT '', 0, 0.0 WHERE 1 = 0".to_owned(), Vec::new());
        }
        (
            format!("VALUES {}", placeholders(rows.len(), "(?, ?, ?)")),
            rows.iter()
                .flat_map(|r| [Value::from(r.0.clone()), Value::from(r.1), Value::from(r.2)])
                .collect(),
        )
    }

    // Within SQLite's limit of bound values per statement.
    fn insert_batch(&self) -> usize {
        1000
    }

    fn insert_new(
        &self,
        target: &str,
        _types: &(ArrayType, ArrayType),
        chunk: &[(Value, Value)],
    ) -> (String, Vec<Value>) {
        (
            format!(
                "INSERT INTO {target} VALUES {} ON CONFLICT DO NOTHING",
                placeholders(chunk.len(), "(:tenant, ?, ?)")
            ),
            chunk
                .iter()
                .flat_map(|r| [r.0.clone(), r.1.clone()])
                .collect(),
        )
    }

    // No lateral joins: one `UNION ALL` part per word.
    fn single_word_pages(
        &self,
        terms: &BTreeMap<String, f64>,
        first: u64,
        after: Option<&Cursor>,
    ) -> Option<(String, Vec<Value>)> {
        let mut parts = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        for (term, q) in terms {
            let mut part = String::from(
                "SELECT * FROM (SELECT t.client_id, t.term FROM client_terms t WHERE t.tenant_id = :tenant AND t.term = ?",
            );
            let mut own: Vec<Value> = vec![term.clone().into()];
            if let Some(c) = after {
                if *q > c.s {
                    // Everyone with this word ranked above the cursor.
                    continue;
                }
                if *q == c.s {
                    part.push_str(" AND t.client_id < ?");
                    own.push(c.i.into());
                }
                let higher: Vec<&String> = terms
                    .iter()
                    .filter(|(_, hq)| **hq > *q)
                    .map(|(t, _)| t)
                    .collect();
                if !higher.is_empty() {
                    // Already listed under a better-matching word.
                    part.push_str(&format!(
                        " AND NOT EXISTS (SELECT 1 FROM client_terms h WHERE h.tenant_id = :tenant AND h.client_id = t.client_id AND h.term IN ({}))",
                        placeholders(higher.len(), "?")
                    ));
                    own.extend(higher.into_iter().map(|t| Value::from(t.clone())));
                }
            }
            part.push_str(&format!(
                " ORDER BY t.client_id DESC LIMIT {}) AS p{}",
                first + 1,
                parts.len()
            ));
            parts.push(part);
            values.extend(own);
        }
        if parts.is_empty() {
            return None;
        }
        Some((
            format!(
                "SELECT p.client_id, q.quality FROM ({}) p JOIN q ON q.term = p.term",
                parts.join(" UNION ALL ")
            ),
            values,
        ))
    }

    fn zero_score(&self) -> &'static str {
        "0.0"
    }

    // `CROSS JOIN` fixes the join order on SQLite.
    fn candidate_entries(&self) -> &'static str {
        "CROSS JOIN client_terms t ON t.tenant_id = :tenant AND t.client_id = d.client_id"
    }
}
