//! Go's per-code-point simple case mapping (`unicode.ToUpper`/`ToLower`), which `upper`,
//! `lower` and `strings.ToUpper`/`ToLower` follow (LANGUAGE.md §11, §19.3): every code point
//! maps to exactly one code point, so `"ß"` stays `"ß"` where Rust's `str::to_uppercase`
//! (full mapping) gives `"SS"`, and a final `Σ` lowercases to `σ`, not `ς`.
//!
//! Rust's `char` mappings are the full ones. Where the full mapping is a single code point it
//! equals the simple one; where it is several, the simple mapping is the code point itself,
//! except for the few listed below (UnicodeData.txt's simple mappings of those code points).

/// The simple uppercase mapping of `c`.
pub fn upper_char(c: char) -> char {
    let mut full = c.to_uppercase();
    match (full.next(), full.next()) {
        (Some(u), None) => u,
        _ => match c as u32 {
            // Greek with ypogegrammeni: the simple mapping is the prosgegrammeni capital.
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => shift(c, 8),
            0x1FB3 | 0x1FC3 | 0x1FF3 => shift(c, 9),
            _ => c,
        },
    }
}

/// The simple lowercase mapping of `c`.
pub fn lower_char(c: char) -> char {
    let mut full = c.to_lowercase();
    match (full.next(), full.next()) {
        (Some(l), None) => l,
        // U+0130 (İ): full mapping `i̇`, simple mapping `i`.
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

fn shift(c: char, by: u32) -> char {
    char::from_u32(c as u32 + by).unwrap_or(c)
}

/// `s` in simple uppercase.
pub fn upper(s: &str) -> String {
    s.chars().map(upper_char).collect()
}

/// `s` in simple lowercase.
pub fn lower(s: &str) -> String {
    s.chars().map(lower_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_mappings() {
        assert_eq!(upper("Héllo ß ﬀ"), "HÉLLO ß ﬀ");
        assert_eq!(lower("HÉLLO İ ΟΔΟΣ"), "héllo i οδοσ");
        assert_eq!(upper("ᾀ ᾳ ῃ ῳ ᾈ ᾲ"), "ᾈ ᾼ ῌ ῼ ᾈ ᾲ");
        assert_eq!(lower("ᾈ"), "ᾀ");
        assert_eq!(upper("ǆ"), "Ǆ");
    }
}
