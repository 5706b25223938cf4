//! Parsed GraphQL documents kept by their text.
//!
//! The web app and other callers send the same few dozen operation texts
//! over and over, with only their variables changing. async-graphql parses
//! each request's text again (a pest grammar: 3.6 % of the server's CPU
//! samples for a client's page on the national set, kernel time included);
//! [`DocumentCache`] parses a text
//! once and hands every later request with the same text a copy of the
//! tree (cheap: names are shared, not copied). Validation, the depth and
//! complexity limits and the resolvers run for every request as before:
//! only the parse is reused.

use async_graphql::parser::types::{ExecutableDocument, OperationType};

/// Texts longer than this are parsed every time and never kept, so that a
/// few odd large documents cannot take the cache's room.
const MAX_KEPT_BYTES: usize = 16 * 1024;

/// How many distinct texts are kept (`quick_cache` evicts the least
/// useful beyond this; scan-resistant, so a burst of one-off texts does
/// not push out the app's own operations).
const CAPACITY: usize = 512;

/// Parsed documents by text, shared by every request of the server.
#[derive(Clone)]
pub struct DocumentCache(std::sync::Arc<quick_cache::sync::Cache<String, ExecutableDocument>>);

impl Default for DocumentCache {
    fn default() -> Self {
        Self(std::sync::Arc::new(quick_cache::sync::Cache::new(CAPACITY)))
    }
}

impl DocumentCache {
    /// The parsed document of `query`: kept from an earlier request or
    /// parsed now (and kept when it parsed and is not too long). `None`
    /// when it does not parse; the caller leaves such a text to the schema,
    /// which reports the syntax error in GraphQL's usual shape.
    pub fn parse(&self, query: &str) -> Option<ExecutableDocument> {
        if let Some(doc) = self.0.get(query) {
            return Some(doc);
        }
        let doc = async_graphql::parser::parse_query(query).ok()?;
        if query.len() <= MAX_KEPT_BYTES {
            self.0.insert(query.to_owned(), doc.clone());
        }
        Some(doc)
    }

    /// Gives `request` its parsed document from [`DocumentCache::parse`],
    /// so that the schema does not parse the text again.
    pub fn prepare(&self, request: &mut async_graphql::Request) {
        if let Some(doc) = self.parse(&request.query) {
            request.set_parsed_query(doc);
        }
    }

    /// How many texts are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Whether a parsed document holds an operation other than a query.
pub fn mutates(doc: &ExecutableDocument) -> bool {
    doc.operations
        .iter()
        .any(|(_, op)| op.node.ty != OperationType::Query)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "query($id: ClientId!) { client(id: $id) { id givenName } }";

    #[test]
    fn a_text_is_parsed_once_and_kept() {
        let cache = DocumentCache::default();
        assert_eq!(cache.len(), 0);
        let first = cache.parse(PAGE).expect("parses");
        assert_eq!(cache.len(), 1);
        let again = cache.parse(PAGE).expect("kept");
        assert_eq!(cache.len(), 1);
        // The kept tree is the parser's own, field for field.
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
        let fresh = async_graphql::parser::parse_query(PAGE).expect("parses");
        assert_eq!(format!("{again:?}"), format!("{fresh:?}"));
        assert!(!mutates(&again));
    }

    #[test]
    fn bad_and_long_texts_are_not_kept() {
        let cache = DocumentCache::default();
        assert!(cache.parse("{ client(id: ").is_none());
        assert_eq!(cache.len(), 0);
        let long = format!("{{ viewer {{ email }} }}{}", " ".repeat(MAX_KEPT_BYTES));
        assert!(cache.parse(&long).is_some());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn a_request_gets_the_kept_document() {
        let cache = DocumentCache::default();
        let mut request = async_graphql::Request::new("mutation { signOut }");
        cache.prepare(&mut request);
        assert_eq!(cache.len(), 1);
        let doc = request.parsed_query().expect("set");
        assert!(mutates(doc));
        // A text that does not parse is left to the schema.
        let mut broken = async_graphql::Request::new("{ viewer {");
        cache.prepare(&mut broken);
        assert_eq!(cache.len(), 1);
        assert!(broken.parsed_query().is_err());
    }
}
