//! How names are compared: folding, tokens, skeletons, spelling variants.
//!
//! A name is *folded* into lower-case ASCII words: Cyrillic is transliterated
//! (`Коваленко` → `kovalenko`), diacritics are dropped (`Dvořák` → `dvorak`,
//! `Nguyễn Thị` → `nguyen thi`), and anything that is not a letter or digit
//! separates words. `deunicode` does the transliteration: it is the
//! maintained table for "any script to ASCII", which a hand-written map would
//! only approximate.
//!
//! A word's *skeleton* absorbs the usual transliteration variants: `x` is
//! `ks`, `kh`/`ch` are `h`, `w` is `v`, `ph` is `f`, `j`/`y` are `i`, and then
//! vowels and doubled letters go, so that `Oleksandr`, `Olexandr` and
//! `Aleksandr` all become `lksndr`. A Czech feminine ending `-ová` is removed
//! first (`Kovalenková` ~ `Kovalenko`).
//!
//! Typing errors are found with *deletion variants* (the symmetric-delete
//! method): two words within edit distance *d* share a variant made by
//! deleting at most *d* letters from each. Variants are generated for
//! distance 1 from 4 letters and distance 2 from 8 letters.

use std::collections::BTreeSet;

/// Longest word kept (longer input is cut; names are not that long).
const MAX_WORD: usize = 40;

/// Folds text into lower-case ASCII words.
pub fn words(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(MAX_WORD).collect())
        .collect()
}

/// Folds text into one lower-case ASCII string with single spaces.
pub fn fold(text: &str) -> String {
    words(text).join(" ")
}

/// The skeleton of a folded word (see the module docs).
pub fn skeleton(word: &str) -> String {
    let w = word
        .strip_suffix("ova")
        .filter(|s| s.len() >= 3)
        .unwrap_or(word);
    let mut s = w
        .replace("shch", "s")
        .replace("sch", "s")
        .replace("kh", "h")
        .replace("ch", "h")
        .replace("ph", "f")
        .replace('x', "ks")
        .replace('w', "v")
        .replace('q', "k");
    s = s.replace(['j', 'y'], "i");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The largest number of typing errors tolerated in a word of this length.
pub fn max_distance(word: &str) -> usize {
    match word.len() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The word and every string made by deleting up to `max_distance` letters.
pub fn deletion_variants(word: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert(word.to_owned());
    let mut frontier = vec![word.to_owned()];
    for _ in 0..max_distance(word) {
        let mut next = Vec::new();
        for w in &frontier {
            let chars: Vec<char> = w.chars().collect();
            for i in 0..chars.len() {
                let v: String = chars
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, c)| c)
                    .collect();
                if out.insert(v.clone()) {
                    next.push(v);
                }
            }
        }
        frontier = next;
    }
    out
}

/// The search keys stored for one word of a name: its deletion variants and
/// its skeleton (prefixed `~` so that it never equals a real word).
pub fn index_keys(word: &str) -> BTreeSet<String> {
    let mut keys = deletion_variants(word);
    let sk = skeleton(word);
    if sk.len() >= 2 {
        keys.insert(format!("~{sk}"));
    }
    keys
}

/// Edit distance with transpositions (a swapped pair counts once).
pub fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

/// How well a stored word answers a typed word, from 0 (not at all) to 1
/// (the same word), or `None` when it does not match.
pub fn match_quality(typed: &str, stored: &str) -> Option<f64> {
    if typed == stored {
        return Some(1.0);
    }
    let d = distance(typed, stored);
    let tolerated = max_distance(typed).max(max_distance(stored).min(1));
    let by_typing: Option<f64> =
        (d <= tolerated && d > 0).then_some(if d == 1 { 0.75 } else { 0.55 });
    let sk = skeleton(typed);
    let by_spelling = (sk == skeleton(stored) && sk.len() >= 2).then_some(0.7);
    // A transliteration variant (x / ks) may also be two edits away: it is
    // the better explanation.
    match (by_typing, by_spelling) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// How well stored words answer typed words: the sum of each typed word's
/// best [`match_quality`], or `None` when some typed word matches nothing.
pub fn agreement(typed: &[String], stored: &[String]) -> Option<f64> {
    if typed.is_empty() {
        return None;
    }
    let mut total = 0.0;
    for t in typed {
        total += stored
            .iter()
            .filter_map(|s| match_quality(t, s))
            .fold(None, |best: Option<f64>, q| {
                Some(best.map_or(q, |b| b.max(q)))
            })?;
    }
    Some(total)
}

/// The normalised identity used for the pseudonymous person key: skeletons
/// of the family and given names (so spelling variants agree), birth date
/// and nationality.
pub fn person_key_material(
    family: &str,
    given: &str,
    birth_date: Option<chrono::NaiveDate>,
    nationality: &str,
) -> String {
    let part = |s: &str| {
        words(s)
            .iter()
            .map(|w| skeleton(w))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "{}|{}|{}|{}",
        part(family),
        part(given),
        birth_date.map(|d| d.to_string()).unwrap_or_default(),
        nationality.to_ascii_uppercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_diacritics_and_script() {
        assert_eq!(fold("Dvořák"), "dvorak");
        assert_eq!(fold("Коваленко"), "kovalenko");
        assert_eq!(fold("Nguyễn Thị"), "nguyen thi");
        assert_eq!(fold("  KOVALENKO-Nováková "), "kovalenko novakova");
        assert_eq!(words("Олександр"), vec!["oleksandr"]);
    }

    #[test]
    fn transliteration_variants_share_a_skeleton() {
        let s = skeleton("oleksandr");
        assert_eq!(s, "lksndr");
        assert_eq!(skeleton("olexandr"), s);
        assert_eq!(skeleton("aleksandr"), s);
        assert_eq!(skeleton(&fold("Олександр")), s);
        assert_eq!(skeleton("kovalenkova"), skeleton("kovalenko"));
        assert_eq!(skeleton("yulia"), skeleton("julija"));
        assert_eq!(skeleton("khrystyna"), skeleton("hrystyna"));
    }

    #[test]
    fn typing_errors_share_a_deletion_variant() {
        let shares = |a: &str, b: &str| !deletion_variants(a).is_disjoint(&deletion_variants(b));
        assert!(shares("kovalenko", "kovalneko"));
        assert!(shares("kovalenko", "kovaleko"));
        assert!(shares("kovalenko", "kowalenko"));
        assert!(shares("novak", "novka"));
        assert!(!shares("novak", "svoboda"));
        assert_eq!(match_quality("kovalenko", "kovalenko"), Some(1.0));
        assert!(match_quality("kovalneko", "kovalenko").is_some());
        assert!(match_quality("svoboda", "kovalenko").is_none());
    }

    #[test]
    fn spelling_variants_of_one_person_give_one_identity() {
        let d = chrono::NaiveDate::from_ymd_opt(1990, 5, 17);
        let a = person_key_material("Kovalenko", "Oleksandr", d, "ua");
        assert_eq!(a, person_key_material("Коваленко", "Олександр", d, "UA"));
        assert_eq!(a, person_key_material("KOVALENKO", "Olexandr", d, "UA"));
        assert_eq!(a, person_key_material("Kovalenko", "Aleksandr", d, "UA"));
        assert_ne!(a, person_key_material("Kovalenko", "Oleksandr", d, "RU"));
        assert_ne!(
            a,
            person_key_material(
                "Kovalenko",
                "Oleksandr",
                chrono::NaiveDate::from_ymd_opt(1990, 5, 18),
                "UA"
            )
        );
        assert_ne!(a, person_key_material("Shevchenko", "Oleksandr", d, "UA"));
    }
}
