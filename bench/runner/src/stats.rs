//! Small statistics and parsing helpers.

/// Median of the samples (mean of the middle two for an even count); `None` when empty.
pub fn median(samples: &[f64]) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// Geometric mean of positive values; `None` when empty or when any value is not positive.
pub fn geomean(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| *v <= 0.0 || !v.is_finite()) {
        return None;
    }
    let log_sum: f64 = values.iter().map(|v| v.ln()).sum();
    Some((log_sum / values.len() as f64).exp())
}

/// Parses `key: value` lines (as printed by `mochi run --jit-stats` on stderr). Keys are one
/// token of letters, digits, `_`, `-` or `.`, optionally indented; anything else is ignored, so
/// the format can grow without breaking the runner. Later duplicates replace earlier ones.
pub fn parse_key_values(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.trim().split_once(':') else {
            continue;
        };
        let key = key.trim();
        let value = value.trim();
        let key_ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !key_ok || value.is_empty() {
            continue;
        }
        if let Some(slot) = out.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value.to_string();
        } else {
            out.push((key.to_string(), value.to_string()));
        }
    }
    out
}

/// The leading number of a stats value (`"1234 ns"` → 1234.0), if any.
pub fn leading_number(value: &str) -> Option<f64> {
    let end = value
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))) && c != 'e'
        })
        .map_or(value.len(), |(i, _)| i);
    value[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn geomean_of_ratios() {
        let g = geomean(&[2.0, 8.0]).unwrap();
        assert!((g - 4.0).abs() < 1e-12);
        assert_eq!(geomean(&[1.0, 0.0]), None);
        assert_eq!(geomean(&[]), None);
    }

    #[test]
    fn parses_stats_lines() {
        let text = "jit: compiled 3 functions\n  ops: 120\ncode_bytes: 4096\nstitch_ns_per_op: 12.5 ns\n\
                    runtime error: boom happened\nnot a stat line\nops: 121\n";
        let kv = parse_key_values(text);
        assert_eq!(
            kv,
            vec![
                ("jit".to_string(), "compiled 3 functions".to_string()),
                ("ops".to_string(), "121".to_string()),
                ("code_bytes".to_string(), "4096".to_string()),
                ("stitch_ns_per_op".to_string(), "12.5 ns".to_string()),
            ]
        );
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("12.5 ns"), Some(12.5));
        assert_eq!(leading_number("4096"), Some(4096.0));
        assert_eq!(leading_number("-3"), Some(-3.0));
        assert_eq!(leading_number("1e3"), Some(1000.0));
        assert_eq!(leading_number("n/a"), None);
    }
}
