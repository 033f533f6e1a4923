//! No-panic test: thousands of deterministic mutations of valid programs must parse (with
//! diagnostics) and render without panicking, looping or overflowing the stack.

use crate::{SourceFile, parse, render_all};

const SEEDS: &[&str] = &[
    r#"type Shape =
  Circle(r: float)
  | Rect(w: float, h: float)
  | Empty {}

fun area(s: Shape): float {
  return match s {
    Circle(r) => 3.0 * r * r
    Rect(w, h) => w * h
    _ => 0.0
  }
}
print(area(Rect { w: 2.0, h: 3.0 }))
"#,
    r#"fun makeCounter(): fun(): int {
  var n = 0
  return fun(): int {
    n = n + 1
    return n
  }
}
let next = makeCounter()
var grid: list<list<int>> = [[1, 2], [3, 4],]
grid[0][1] = -next() as int
let m = {"a": 1, b: 0x1F, (k): 1e3}
for k in m { print(k, m[k] ?? 0) }
for i in 0..len(grid) { if i % 2 == 0 && !(i in [1]) { continue } else if i > 3 { break } }
let s = if grid[0][0] < 2 then "x\n\t\u00e9" else "y"
/* block
   comment */ # hash
test "t" { expect s == "x" }
"#,
    r#"type Node { value: int, next: any
  fun show(): string { return str(value) }
}
type Pair = { a: int, b: string }
var xs = []
var i = 0
while i < 10 {
  xs = append(xs, Node { value: i, next: none })
  i = i + 1
}
let ys = xs[1:3]
let zs = xs[:2] union all xs[8:] 
print(ys[0].value, zs, xs[::2], substring("hello", 1, 3))
let label = if len(ys) == 2 { "two" } else if len(ys) == 1 { "one" } else { "many" }
fun apply(f: fun(int): int, x: int): int => f(x)
print(apply(fun (a: int): int => a * 2, 21) / 2.0 - 0b101 + 0o17)
"#,
];

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\\",
    "/*",
    "*/",
    "//",
    "#",
    "\n",
    ":",
    ",",
    ".",
    "..",
    "=>",
    "=",
    "==",
    "|",
    "-",
    "!",
    "as",
    " in ",
    "fun",
    "if",
    "else",
    "match",
    "type",
    "let",
    "var",
    "return",
    "for",
    "while",
    "0x",
    "1e",
    "99999999999999999999",
    "é",
    "🐶",
    "_",
    "then",
    "union",
    "all",
    "\u{0}",
    "@",
    "\r",
    "\u{2028}",
    "Empty {}",
    "P { a: 1 }",
];

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut out = src.to_vec();
    let edits = 1 + rng.below(4);
    for _ in 0..edits {
        let len = out.len();
        match rng.below(5) {
            0 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below(8.min(len - at));
                out.drain(at..at + n);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below(40.min(len - at));
                let chunk: Vec<u8> = out[at..at + n].to_vec();
                let to = rng.below(len);
                out.splice(to..to, chunk);
            }
            2 => {
                let at = rng.below(len + 1);
                let s = INTERESTING[rng.below(INTERESTING.len())];
                out.splice(at..at, s.bytes());
            }
            3 => {
                let at = rng.below(len + 1);
                out.insert(at, rng.next() as u8);
            }
            _ if len > 0 => {
                let at = rng.below(len);
                let pool = b"(){}[]\":;,.=-+*!<>|?&\n 0a_";
                out[at] = pool[rng.below(pool.len())];
            }
            _ => {}
        }
    }
    out
}

fn check(src: String) {
    let file = SourceFile::new("fuzz.mochi", src);
    let (program, diags) = parse(&file);
    let len = file.text.len() as u32;
    for d in &diags {
        assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?}");
        assert!(d.code.starts_with('P'));
    }
    assert!(program.node_count < 10 * len + 10);
    let rendered = render_all(&diags, &file);
    assert_eq!(rendered.is_empty(), diags.is_empty());
}

#[test]
fn seeds_parse_cleanly() {
    for s in SEEDS {
        super::ok(s);
    }
}

#[test]
fn mangled_inputs_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..4000 {
        let seed = SEEDS[round % SEEDS.len()].as_bytes();
        let mut bytes = mutate(&mut rng, seed);
        // Sometimes stack mutations on top of each other.
        for _ in 0..rng.below(3) {
            bytes = mutate(&mut rng, &bytes);
        }
        check(String::from_utf8_lossy(&bytes).into_owned());
    }
}

#[test]
fn truncations_never_panic() {
    for s in SEEDS {
        let mut cut = 0;
        while cut <= s.len() {
            if s.is_char_boundary(cut) {
                check(s[..cut].to_string());
                check(s[cut..].to_string());
            }
            cut += 1;
        }
    }
}

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Rng(12345);
    for _ in 0..1500 {
        let n = rng.below(60);
        let mut src = String::new();
        for _ in 0..n {
            src.push_str(INTERESTING[rng.below(INTERESTING.len())]);
            if rng.below(3) == 0 {
                src.push(' ');
            }
            if rng.below(4) == 0 {
                src.push('x');
            }
        }
        check(src);
    }
}
