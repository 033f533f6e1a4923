//! The built-in functions of LANGUAGE.md section 11, defined once.
//!
//! A user definition of the same name always shadows a built-in.

macro_rules! builtins {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// A built-in function, resolved by name when no user binding shadows it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Builtin { $($variant),* }

        impl Builtin {
            /// Every built-in, in declaration order (the order is the runtime's dispatch index).
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant),*];

            /// The Mochi-level name.
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }

            /// Looks a name up.
            pub fn from_name(name: &str) -> Option<Builtin> {
                match name { $($name => Some(Builtin::$variant),)* _ => None }
            }
        }
    };
}

builtins! {
    Print = "print",
    Len = "len",
    Str = "str",
    Append = "append",
    Substring = "substring",
    Substr = "substr",
    Slice = "slice",
    Int = "int",
    Float = "float",
    Concat = "concat",
    Upper = "upper",
    Lower = "lower",
    Input = "input",
    Now = "now",
    Panic = "panic",
    Json = "json",
    Keys = "keys",
    Values = "values",
    Count = "count",
    Exists = "exists",
    Min = "min",
    Max = "max",
    Sum = "sum",
    Avg = "avg",
    First = "first",
    Reverse = "reverse",
    PadStart = "padStart",
    Contains = "contains",
    IndexOf = "indexOf",
    Split = "split",
    Join = "join",
    Repeat = "repeat",
    Abs = "abs",
    Pow = "pow",
    Floor = "floor",
    ParseIntStr = "parseIntStr",
    Sha256 = "sha256",
    Num = "num",
    Denom = "denom",
    // Internal helpers that queries and `load`/`save` compile to (LANGUAGE.md §17-18).
    // Their names are not identifiers, so no program can name them.
    QuerySource = "query source",
    QuerySort = "query sort",
    QueryDistinct = "query distinct",
    QueryGroup = "query group",
    QueryIndex = "query index",
    QueryProbe = "query probe",
    QuerySkip = "query skip",
    QueryTake = "query take",
    Load = "load",
    Save = "save",
}

impl Builtin {
    /// A helper the compiler emits for queries and `load`/`save`, never a user-visible name.
    pub fn is_internal(self) -> bool {
        matches!(
            self,
            Builtin::QuerySource
                | Builtin::QuerySort
                | Builtin::QueryDistinct
                | Builtin::QueryGroup
                | Builtin::QueryIndex
                | Builtin::QueryProbe
                | Builtin::QuerySkip
                | Builtin::QueryTake
                | Builtin::Load
                | Builtin::Save
        )
    }
}
