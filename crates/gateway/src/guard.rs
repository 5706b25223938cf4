//! What one GraphQL request may ask, checked before the schema runs
//! anything: the body's size, the nesting of its brackets (before the
//! recursive parser sees the text), the operations in the document, the
//! root fields of the operation (aliases count one each) and the fields
//! of the whole document. A caller without a session gets much lower
//! limits than staff: the public pages ask for a handful of fields, and
//! nobody should be able to run 2,000 certificate look-ups in one request.
//!
//! The schema's depth and complexity limits still apply afterwards; fields
//! that reach the database carry a real cost there.

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// The limits of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLimits {
    /// Bytes of the request body.
    pub max_body_bytes: usize,
    /// Nesting of `{`, `(` and `[` in the query text.
    pub max_bracket_depth: usize,
    /// Operations defined in one document.
    pub max_operations: usize,
    /// Fields at the root of the executed operation (each alias counts).
    pub max_root_fields: usize,
    /// Fields in the whole document (each alias counts).
    pub max_fields: usize,
}

impl RequestLimits {
    /// Callers without a session: sign-in, the public pages.
    pub const ANONYMOUS: Self = Self {
        max_body_bytes: 64 * 1024,
        max_bracket_depth: 24,
        max_operations: 1,
        max_root_fields: 5,
        max_fields: 150,
    };

    /// Signed-in staff (room for an uploaded spreadsheet and for the
    /// ministry's trend chart, which asks for every period at once).
    pub const SIGNED_IN: Self = Self {
        max_body_bytes: crate::http::MAX_BODY_BYTES,
        max_bracket_depth: 48,
        max_operations: 20,
        max_root_fields: 50,
        max_fields: 2_000,
    };

    /// The limits for a caller with or without a session.
    pub fn for_caller(signed_in: bool) -> Self {
        if signed_in {
            Self::SIGNED_IN
        } else {
            Self::ANONYMOUS
        }
    }
}

/// Checks the nesting of brackets in `query` without parsing it (strings,
/// block strings and comments skipped). The parser recurses once per
/// level, so this runs first.
pub fn check_text(query: &str, limits: &RequestLimits) -> Result<(), String> {
    let bytes = query.as_bytes();
    let (mut i, mut depth) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                if depth > limits.max_bracket_depth {
                    return Err(format!(
                        "the query nests deeper than {} brackets",
                        limits.max_bracket_depth
                    ));
                }
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Refuses the NUL character anywhere in the request's text or variables:
/// PostgreSQL cannot store it in text (it would fail deep in a write as an
/// internal error), and no name, note or address has one.
pub fn check_nul(query: &str, variables: &async_graphql::Variables) -> Result<(), String> {
    fn has_nul(v: &async_graphql::Value) -> bool {
        use async_graphql::Value;
        match v {
            Value::String(s) => s.contains('\0'),
            Value::List(items) => items.iter().any(has_nul),
            Value::Object(fields) => fields
                .iter()
                .any(|(k, v)| k.as_str().contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    let escaped = query
        .as_bytes()
        .windows(6)
        .any(|w| w.eq_ignore_ascii_case(b"\\u0000"));
    if query.contains('\0') || escaped || variables.iter().any(|(_, v)| has_nul(v)) {
        return Err("text may not contain the NUL character (\\u0000)".into());
    }
    Ok(())
}

/// Checks a parsed document: how many operations it defines, how many
/// fields its executed operation has at the root and how many fields it
/// has in all.
pub fn check_document(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    limits: &RequestLimits,
) -> Result<(), String> {
    let operations = doc.operations.iter().count();
    if operations > limits.max_operations {
        return Err(format!(
            "the document defines {operations} operations; at most {} are allowed",
            limits.max_operations
        ));
    }
    let mut fields = 0usize;
    for (_, op) in doc.operations.iter() {
        fields += count_fields(&op.node.selection_set.node);
    }
    for fragment in doc.fragments.values() {
        fields += count_fields(&fragment.node.selection_set.node);
    }
    if fields > limits.max_fields {
        return Err(format!(
            "the query asks for {fields} fields; at most {} are allowed",
            limits.max_fields
        ));
    }
    let executed = doc
        .operations
        .iter()
        .find(|(name, _)| operation_name.is_none() || name.map(|n| n.as_str()) == operation_name);
    if let Some((_, op)) = executed {
        let mut seen = HashSet::new();
        let roots = root_fields(doc, &op.node.selection_set.node, &mut seen);
        if roots > limits.max_root_fields {
            return Err(format!(
                "the operation asks for {roots} fields at its root; at most {} are allowed",
                limits.max_root_fields
            ));
        }
    }
    Ok(())
}

/// Every field written in a selection set, nested ones included (fragment
/// spreads not followed: each fragment is counted once where defined).
fn count_fields(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => 1 + count_fields(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
            Selection::InlineFragment(i) => count_fields(&i.node.selection_set.node),
        })
        .sum()
}

/// The fields at the root of an operation, through fragments (each
/// fragment followed once, so a cycle cannot loop).
fn root_fields<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashSet<&'a str>,
) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(i) => root_fields(doc, &i.node.selection_set.node, seen),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                match doc.fragments.get(&spread.node.fragment_name.node) {
                    Some(f) if seen.insert(name) => {
                        root_fields(doc, &f.node.selection_set.node, seen)
                    }
                    _ => 0,
                }
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: RequestLimits = RequestLimits::ANONYMOUS;

    fn doc(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).unwrap()
    }

    #[test]
    fn brackets_are_counted_outside_strings_and_comments() {
        assert!(check_text("{ a(x: \"{{{{{{{{{{{{{{{{{{{{{{{{{{\") }", &A).is_ok());
        assert!(check_text("# {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n{ a }", &A).is_ok());
        assert!(check_text("{ a(x: \"\"\"{{{{{{{{{{{{{{{{{{{{{{{{{{\"\"\") }", &A).is_ok());
        let deep = format!("{}{}", "{".repeat(10_000), "}".repeat(10_000));
        assert!(
            check_text(&deep, &A)
                .unwrap_err()
                .contains("deeper than 24")
        );
        let list = format!("{{ a(x: {}1{}) }}", "[".repeat(30), "]".repeat(30));
        assert!(check_text(&list, &A).is_err());
    }

    #[test]
    fn aliases_count_at_the_root_and_through_fragments() {
        let many: String = (0..6).map(|i| format!("a{i}: viewer {{ id }} ")).collect();
        let err = check_document(&doc(&format!("{{ {many} }}")), None, &A).unwrap_err();
        assert!(err.contains("6 fields at its root"), "{err}");
        let spread = "query { ...F } fragment F on Query { a: x b: x ...G } fragment G on Query { c: x d: x e: x f: x ...F }";
        let err = check_document(&doc(spread), None, &A).unwrap_err();
        assert!(err.contains("6 fields at its root"), "{err}");
        assert!(check_document(&doc("{ viewer { id email } }"), None, &A).is_ok());
    }

    #[test]
    fn nul_is_refused_in_text_and_variables() {
        let none = async_graphql::Variables::default();
        assert!(check_nul("{ a(x: \"ok\") }", &none).is_ok());
        assert!(check_nul("{ a(x: \"\\u0000\") }", &none).is_err());
        assert!(check_nul("{ a(x: \"\0\") }", &none).is_err());
        let vars =
            async_graphql::Variables::from_json(serde_json::json!({"i": {"name": ["a\u{0}b"]}}));
        assert!(check_nul("query($i: X) { a(i: $i) }", &vars).is_err());
    }

    #[test]
    fn operations_and_fields_are_capped() {
        let two = "query A { x } query B { x }";
        assert!(check_document(&doc(two), Some("A"), &A).is_err());
        assert!(check_document(&doc(two), Some("A"), &RequestLimits::SIGNED_IN).is_ok());
        let wide: String = (0..200).map(|i| format!("f{i}: x ")).collect();
        let err = check_document(&doc(&format!("{{ v {{ {wide} }} }}")), None, &A).unwrap_err();
        assert!(err.contains("201 fields"), "{err}");
    }
}
