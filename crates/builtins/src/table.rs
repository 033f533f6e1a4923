//! The row table: every function the runtime provides, one row each.
//!
//! A row is `Variant = "name" (PARAMS) -> RESULT, SCOPE...;` with a doc line. `PARAMS` lists
//! the required parameter types, then the optional ones in `[ ]`, then `..T` for any number
//! of further arguments; the arity every layer checks is derived from it. `SCOPE` says where
//! a program may name the function ([`Scope`]). The checker refines the result type of a few
//! generic rows written `Any` (`append`, `min`, ...) from the argument types.
//!
//! Global built-ins take `Any` parameters: LANGUAGE.md §11 is lenient, and the runtime
//! checks what it needs. Module members (`Member`) have their exact types (§19.3).
//!
//! Adding a built-in is one row here plus its implementation in the runtime's
//! `call_builtin` (or `natives.rs` for a module member).

use crate::{Arity, Scope, ScopeWord, Signature, Ty};

macro_rules! builtins {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $name:literal
            ( $($param:ident),* $([ $($opt:ident),* ])? $(.. $rest:ident)? )
            -> $ret:ident, $($scope:ident)+;
    )*) => {
        /// A function the runtime provides: a built-in of LANGUAGE.md §11, a member of a
        /// foreign module (§19.3), or a helper only the compiler calls.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Builtin { $( $(#[doc = $doc])* $variant ),* }

        /// Each row's signature, in row order.
        static SIGNATURES: &[Signature] = &[$(
            Signature {
                params: &[$(Ty::$param),*],
                optional: &[$($(Ty::$opt),*)?],
                rest: rest!($($rest)?),
                ret: Ty::$ret,
                scope: Scope::of(&[$(ScopeWord::$scope),+]),
            }
        ),*];

        impl Builtin {
            /// Every row, in table order (the order is the index `CallBuiltin` carries).
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant),*];

            /// The name: what a program writes for a global built-in or a method, the
            /// qualified member (`math.sqrt`) for a module member, a descriptive dotted
            /// name for an internal one. Runtime errors are prefixed with it.
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }

            /// The row with this name, whatever its scope.
            fn named(name: &str) -> Option<Builtin> {
                match name { $($name => Some(Builtin::$variant),)* _ => None }
            }
        }
    };
}

macro_rules! rest {
    () => {
        None
    };
    ($t:ident) => {
        Some(Ty::$t)
    };
}

impl Builtin {
    /// The built-in a program calls by this name (`len`), if any.
    pub fn global(name: &str) -> Option<Builtin> {
        Builtin::named(name).filter(|b| b.scope().global)
    }

    /// The built-in a program may call as `recv.name(..)`, if any.
    pub fn method(name: &str) -> Option<Builtin> {
        Builtin::named(name).filter(|b| b.scope().method)
    }

    /// Parameters, result and scope.
    pub fn signature(self) -> &'static Signature {
        &SIGNATURES[self as usize]
    }

    /// Where programs may name it.
    pub fn scope(self) -> Scope {
        self.signature().scope
    }

    /// The accepted argument counts (for methods, the receiver counts).
    pub fn arity(self) -> Arity {
        self.signature().arity()
    }

    /// Index of the row (what `CallBuiltin` carries).
    pub fn index(self) -> u16 {
        self as u16
    }

    /// The row at `index`.
    pub fn from_index(index: u16) -> Option<Builtin> {
        Builtin::ALL.get(index as usize).copied()
    }
}

builtins! {
    // ----- LANGUAGE.md §11 -----
    /// `print(v...)`: print forms joined by spaces, then a newline.
    Print = "print" (..Any) -> Unit, Global;
    /// `len(x)`: list elements, string code points, map entries; `none` is 0.
    Len = "len" (Any) -> Int, Global Method;
    /// `str(x)`: the str form.
    Str = "str" (Any) -> Str, Global Method;
    /// `append(xs, v)`: a new list with `v` added.
    Append = "append" (Any, Any) -> ListAny, Global Method;
    /// `substring(s, a[, b])`: a code-point slice, clamped.
    Substring = "substring" (Any, Any [Any]) -> Str, Global Method;
    /// `substr(s, a[, b])`: the same as `substring`.
    Substr = "substr" (Any, Any [Any]) -> Str, Global Method;
    /// `slice(x, a[, b])`: a list or string slice, clamped.
    Slice = "slice" (Any, Any [Any]) -> Any, Global Method;
    /// `int(x)`: `x as int`.
    Int = "int" (Any) -> Int, Global Method;
    /// `float(x)`: int to float.
    Float = "float" (Any) -> Float, Global Method;
    /// `concat(a, b, ...)`: a new list of all elements.
    Concat = "concat" (..Any) -> ListAny, Global Method;
    /// `upper(s)`: per-code-point simple uppercase mapping.
    Upper = "upper" (Any) -> Str, Global Method;
    /// `lower(s)`: per-code-point simple lowercase mapping.
    Lower = "lower" (Any) -> Str, Global Method;
    /// `input()`: the next line of standard input, `""` at its end.
    Input = "input" () -> Str, Global;
    /// `now()`: nanoseconds, or the seeded sequence under `MOCHI_NOW_SEED`.
    Now = "now" () -> Int, Global;
    /// `panic(msg)`: stops the program with `msg` on stderr, exit status 1.
    Panic = "panic" ([Any]) -> Any, Global;
    /// `error(msg)`: the same as `panic(msg)` (LANGUAGE.md §19.4).
    Error = "error" ([Any]) -> Any, Global;
    /// `json(v)`: prints `v` as indented JSON.
    Json = "json" (Any) -> Unit, Global;
    /// `keys(m)`: the keys in key order.
    Keys = "keys" (Any) -> ListAny, Global Method;
    /// `values(m)`: the values in key order.
    Values = "values" (Any) -> ListAny, Global Method;
    /// `count(xs)`: the number of elements.
    Count = "count" (Any) -> Int, Global Method;
    /// `exists(x)`: a non-empty list, map or string.
    Exists = "exists" (Any) -> Bool, Global Method;
    /// `min(xs)` or `min(a, b, ...)`: the least number.
    Min = "min" (Any ..Any) -> Any, Global Method;
    /// `max(xs)` or `max(a, b, ...)`: the greatest number.
    Max = "max" (Any ..Any) -> Any, Global Method;
    /// `sum(xs)`: the sum of a numeric list.
    Sum = "sum" (Any) -> Any, Global Method;
    /// `avg(xs)`: the float mean of a numeric list.
    Avg = "avg" (Any) -> Float, Global Method;
    /// `first(xs)`: the first element or `none`.
    First = "first" (Any) -> Any, Global Method;
    /// `reverse(x)`: a reversed copy of a list or string.
    Reverse = "reverse" (Any) -> Any, Global Method;
    /// `padStart(s, n[, pad])`: left-pads to `n` code points.
    PadStart = "padStart" (Any, Any [Any]) -> Str, Global Method;
    /// `contains(s, sub)`: substring test (method form: membership).
    Contains = "contains" (Any, Any) -> Bool, Global Method;
    /// `indexOf(s, sub)`: code-point index of the first occurrence, or -1.
    IndexOf = "indexOf" (Any, Any) -> Int, Global Method;
    /// `split(s[, sep])`: Go `strings.Split`.
    Split = "split" (Any [Any]) -> ListStr, Global Method;
    /// `join(xs[, sep])`: the str forms joined by `sep`.
    Join = "join" (Any [Any]) -> Str, Global Method;
    /// `repeat(s, n)`: `s` repeated `n` times.
    Repeat = "repeat" (Any, Any) -> Any, Global Method;
    /// `abs(x)`: same-type absolute value.
    Abs = "abs" (Any) -> Any, Global Method;
    /// `pow(b, e)`: exact int power, else Go's `math.Pow`.
    Pow = "pow" (Any, Any) -> Any, Global Method;
    /// `floor(x)`: floor as an int.
    Floor = "floor" (Any) -> Int, Global Method;
    /// `parseIntStr(s[, base])`: parses `s` in `base`.
    ParseIntStr = "parseIntStr" (Any [Any]) -> Int, Global Method;
    /// `sha256(x)`: the 32 digest bytes of a string or byte list.
    Sha256 = "sha256" (Any) -> ListInt, Global Method;
    /// `num(r)`: the numerator of a bigrat.
    Num = "num" (Any) -> BigInt, Global Method;
    /// `denom(r)`: the denominator of a bigrat.
    Denom = "denom" (Any) -> BigInt, Global Method;
    /// `m.get(k, default)`: `m[k]` if `k in m`, else `default` (LANGUAGE.md §19.5).
    MapGet = "get" (Map, Any, Any) -> Any, Method;

    // ----- emitted by the compiler only -----
    /// A monotonic clock in nanoseconds, for `bench` blocks.
    BenchClock = "bench.clock" () -> Int, Internal;
    /// Bytes allocated on the Mochi heap so far, for `bench` blocks.
    BenchMemory = "bench.memory" () -> Int, Internal;
    /// `bench.report(name, clock, memory)`: prints a `bench` block's JSON report.
    BenchReport = "bench.report" (Str, Int, Int) -> Unit, Internal;
    /// `extern(what)`: the runtime error `WHAT has no implementation` (LANGUAGE.md §19.3).
    ExternMissing = "extern" (Str) -> Any, Internal;
    /// `query.source(v)`: the elements a query source yields (LANGUAGE.md §17.3).
    QuerySource = "query.source" (Any) -> ListAny, Internal;
    /// `query.sort(values, keys)`: `values` stably sorted by `keys` (LANGUAGE.md §17.7).
    QuerySort = "query.sort" (Any, Any) -> ListAny, Internal;
    /// `query.distinct(xs)`: the values not equal to an earlier one (LANGUAGE.md §17.9).
    QueryDistinct = "query.distinct" (Any) -> ListAny, Internal;
    /// `query.group(keys, items, spread)`: the groups, in first-seen order (LANGUAGE.md §17.6).
    QueryGroup = "query.group" (Any, Any, Any) -> ListAny, Internal;
    /// `query.index(keys)`: a hash join's index of one side's keys.
    QueryIndex = "query.index" (Any) -> Any, Internal;
    /// `query.probe(index, key)`: the positions whose key is `== key`, or `none`.
    QueryProbe = "query.probe" (Any, Any) -> Any, Internal;
    /// `query.skip(xs, n)`: `xs[n:]` (LANGUAGE.md §17.8).
    QuerySkip = "query.skip" (Any, Any) -> ListAny, Internal;
    /// `query.take(xs, n)`: `xs[:n]` (LANGUAGE.md §17.8).
    QueryTake = "query.take" (Any, Any) -> ListAny, Internal;
    /// `list.slice_owned(xs, start, end, owner)`: `xs[start:end]` for `xs = xs[start:end]`
    /// (a missing bound is `none`), made in place when `xs` is the list object `owner` holds
    /// (the proof of `Op::AppendOwned`: nothing else refers to it).
    ListSliceOwned = "list.slice_owned" (Any, Any, Any, Any) -> Any, Internal;
    /// `list.add_owned(xs, v, owner)`: `xs + [v]` for `xs = xs + [v]`, appended in place
    /// when `xs` is the list object `owner` holds (as `Op::AppendOwned` does).
    ListAddOwned = "list.add_owned" (Any, Any, Any) -> Any, Internal;
    /// `load(path, row template, options)` (LANGUAGE.md §18).
    Load = "load" (Any, Any, Any) -> ListAny, Internal;
    /// `save(rows, path, options)` (LANGUAGE.md §18).
    Save = "save" (Any, Any, Any) -> Any, Internal;

    // ----- python "math" (LANGUAGE.md §19.3) -----
    /// `math.sqrt(x)`.
    PySqrt = "math.sqrt" (Float) -> Float, Member;
    /// `math.pow(x, y)`: C `pow` with CPython's errors.
    PyPow = "math.pow" (Float, Float) -> Float, Member;
    /// `math.sin(x)`.
    PySin = "math.sin" (Float) -> Float, Member;
    /// `math.cos(x)`.
    PyCos = "math.cos" (Float) -> Float, Member;
    /// `math.tan(x)`.
    PyTan = "math.tan" (Float) -> Float, Member;
    /// `math.asin(x)`.
    PyAsin = "math.asin" (Float) -> Float, Member;
    /// `math.acos(x)`.
    PyAcos = "math.acos" (Float) -> Float, Member;
    /// `math.atan(x)`.
    PyAtan = "math.atan" (Float) -> Float, Member;
    /// `math.atan2(y, x)`.
    PyAtan2 = "math.atan2" (Float, Float) -> Float, Member;
    /// `math.exp(x)`.
    PyExp = "math.exp" (Float) -> Float, Member;
    /// `math.log(x[, base])`.
    PyLog = "math.log" (Float [Float]) -> Float, Member;
    /// `math.log10(x)`.
    PyLog10 = "math.log10" (Float) -> Float, Member;
    /// `math.log2(x)`.
    PyLog2 = "math.log2" (Float) -> Float, Member;
    /// `math.fabs(x)`.
    PyFabs = "math.fabs" (Float) -> Float, Member;
    /// `math.hypot(x, y)`.
    PyHypot = "math.hypot" (Float, Float) -> Float, Member;

    // ----- go "math" -----
    /// `math.Sqrt(x)`.
    GoSqrt = "math.Sqrt" (Float) -> Float, Member;
    /// `math.Abs(x)`.
    GoAbs = "math.Abs" (Float) -> Float, Member;
    /// `math.Sin(x)`.
    GoSin = "math.Sin" (Float) -> Float, Member;
    /// `math.Log(x)`.
    GoLog = "math.Log" (Float) -> Float, Member;
    /// `math.Pow(x, y)`: Go's algorithm (LANGUAGE.md §11).
    GoPow = "math.Pow" (Float, Float) -> Float, Member;
    /// `math.Atan2(y, x)`.
    GoAtan2 = "math.Atan2" (Float, Float) -> Float, Member;

    // ----- go "strings" -----
    /// `strings.ToUpper(s)`: the built-in `upper`.
    StrToUpper = "strings.ToUpper" (Str) -> Str, Member;
    /// `strings.ToLower(s)`: the built-in `lower`.
    StrToLower = "strings.ToLower" (Str) -> Str, Member;
    /// `strings.TrimSpace(s)`.
    StrTrimSpace = "strings.TrimSpace" (Str) -> Str, Member;
    /// `strings.HasPrefix(s, prefix)`.
    StrHasPrefix = "strings.HasPrefix" (Str, Str) -> Bool, Member;
    /// `strings.HasSuffix(s, suffix)`.
    StrHasSuffix = "strings.HasSuffix" (Str, Str) -> Bool, Member;
    /// `strings.Contains(s, sub)`.
    StrContains = "strings.Contains" (Str, Str) -> Bool, Member;
    /// `strings.TrimPrefix(s, prefix)`.
    StrTrimPrefix = "strings.TrimPrefix" (Str, Str) -> Str, Member;
    /// `strings.TrimSuffix(s, suffix)`.
    StrTrimSuffix = "strings.TrimSuffix" (Str, Str) -> Str, Member;
    /// `strings.Split(s, sep)`: the built-in `split`.
    StrSplit = "strings.Split" (Str, Str) -> ListStr, Member;
    /// `strings.Join(xs, sep)`.
    StrJoin = "strings.Join" (ListStr, Str) -> Str, Member;
    /// `strings.Repeat(s, n)`.
    StrRepeat = "strings.Repeat" (Str, Int) -> Str, Member;
    /// `strings.ReplaceAll(s, old, new)`.
    StrReplaceAll = "strings.ReplaceAll" (Str, Str, Str) -> Str, Member;
    /// `strings.Fields(s)`: the runs of non-white-space.
    StrFields = "strings.Fields" (Str) -> ListStr, Member;

    // ----- go "os" -----
    /// `os.Getenv(name)`: the variable's value, `""` when unset.
    OsGetenv = "os.Getenv" (Str) -> Str, Member;
    /// `os.Environ()`: `KEY=VALUE` strings in the process's order.
    OsEnviron = "os.Environ" () -> ListStr, Member;

    // ----- go "mochi/runtime/ffi/go/testpkg" -----
    /// `testpkg.Add(a, b)`.
    TestpkgAdd = "testpkg.Add" (Int, Int) -> Int, Member;
    /// `testpkg.MD5Hex(s)`: lowercase hex MD5 of the UTF-8 bytes.
    TestpkgMd5Hex = "testpkg.MD5Hex" (Str) -> Str, Member;
}
