//! Go `encoding/csv`'s quoting errors (LANGUAGE.md §18.6, §18.9), which the `csv` crate does
//! not raise (it reads `1,x"y` as the field `x"y`). This pass replays Go's `readRecord`
//! over the whole input, only to find the first error and its position:
//!
//! * a `"` inside a field that does not start with `"`: `bare " in non-quoted-field`;
//! * a closing `"` followed by anything but `"`, the delimiter or the end of the line, or a
//!   quoted field still open at the end of the input: `extraneous or missing " in
//!   quoted-field`.
//!
//! Lines and 1-based byte columns are counted as Go counts them (`\r\n` is one line end,
//! blank lines are skipped); a record spanning lines reports `record on line N; parse error
//! on line M, column C: ...`.

const BARE: &str = "bare \" in non-quoted-field";
const QUOTE: &str = "extraneous or missing \" in quoted-field";

/// Go's `readLine`: the lines of `text`, each with its `\n` (a `\r\n` end becomes `\n`, a
/// `\r` before the end of input is dropped).
fn lines(text: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let mut line = rest[..end].to_vec();
        rest = &rest[end..];
        let n = line.len();
        if line.last() != Some(&b'\n') {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        } else if n >= 2 && line[n - 2] == b'\r' {
            line.truncate(n - 2);
            line.push(b'\n');
        }
        out.push(line);
    }
    out
}

/// `text` with Go's line ends: every `\r\n` read as `\n`, inside quoted fields too, and a
/// `\r` that ends the input dropped; a lone `\r` elsewhere is ordinary data.
pub fn normalize_line_ends(text: &[u8]) -> Vec<u8> {
    lines(text).concat()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn error(rec_line: usize, line: usize, col: usize, what: &str) -> String {
    if rec_line == line {
        format!("parse error on line {line}, column {col}: {what}")
    } else {
        format!("record on line {rec_line}; parse error on line {line}, column {col}: {what}")
    }
}

/// The first quoting error of `text` read with `delimiter`, as Go words it.
pub fn check(text: &[u8], delimiter: char) -> Result<(), String> {
    let mut buf = [0u8; 4];
    let comma: &[u8] = delimiter.encode_utf8(&mut buf).as_bytes();
    let all = lines(text);
    let mut next = 0usize; // index of the next line to read; Go's numLine == next
    while next < all.len() {
        let mut line: &[u8] = &all[next];
        next += 1;
        if line == b"\n" {
            continue; // blank line
        }
        let rec_line = next;
        let mut pos_line = next;
        let mut col = 1usize;
        'field: loop {
            if line.first() != Some(&b'"') {
                let i = find(line, comma);
                let field = match i {
                    Some(i) => &line[..i],
                    None => line.strip_suffix(b"\n").unwrap_or(line),
                };
                if let Some(j) = field.iter().position(|&b| b == b'"') {
                    return Err(error(rec_line, next, col + j, BARE));
                }
                match i {
                    Some(i) => {
                        line = &line[i + comma.len()..];
                        col += i + comma.len();
                        continue 'field;
                    }
                    None => break 'field,
                }
            }
            line = &line[1..];
            col += 1;
            loop {
                if let Some(i) = line.iter().position(|&b| b == b'"') {
                    line = &line[i + 1..];
                    col += i + 1;
                    if line.first() == Some(&b'"') {
                        line = &line[1..];
                        col += 1;
                    } else if line.starts_with(comma) {
                        line = &line[comma.len()..];
                        col += comma.len();
                        continue 'field;
                    } else if line.is_empty() || line == b"\n" {
                        break 'field;
                    } else {
                        return Err(error(rec_line, next, col - 1, QUOTE));
                    }
                } else if !line.is_empty() {
                    col += line.len();
                    if next < all.len() {
                        line = &all[next];
                        next += 1;
                        pos_line += 1;
                        col = 1;
                    } else {
                        line = &[];
                    }
                } else {
                    return Err(error(rec_line, pos_line, col, QUOTE));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn go_wording_and_positions() {
        assert_eq!(check(b"a,b\n1,2\n", ','), Ok(()));
        assert_eq!(check(b"a,\"x\"\"y\",\"m\nl\"\r\n\n", ','), Ok(()));
        assert_eq!(
            check(b"a,b\n1,x\"y\n", ','),
            Err("parse error on line 2, column 4: bare \" in non-quoted-field".into())
        );
        assert_eq!(
            check(b"a,\"b\"c\n", ','),
            Err("parse error on line 1, column 5: extraneous or missing \" in quoted-field".into())
        );
        assert_eq!(
            check(b"a\n\"open\nstill", ','),
            Err("record on line 2; parse error on line 3, column 6: extraneous or missing \" in quoted-field".into())
        );
        assert_eq!(check(b"a\t\"b\"\n", '\t'), Ok(()));
    }
}
