//! The op table: every bytecode op is defined once, as one row of [`for_each_op!`].
//!
//! A row is `Name { field: OperandType, ... } [flags];` with a doc line. From it come the
//! [`Op`] enum, [`OpCode`], names for `dis`, operand visiting for the verifier, and, in the
//! JIT, the stencil lookup and hole names (a field `a` becomes the hole `_JIT_A`).
//!
//! Naming: `<Verb><Type>[<Form>]`. Typed ops (`AddI64`, `LtF64JumpIfFalse`) have an inline fast
//! path for their static type and fall back to the dynamic (generic) semantics for any other
//! operand kinds (big ints, `none`, `any` values), so a wrong static guess is slow, never
//! wrong.
//!
//! Frame convention for calls: a call window starts at slot `base`; the callee's frame begins
//! at `caller_frame + base`, its arguments are the caller's slots `base..base+nargs`, and the two
//! slots `base-2` and `base-1` are the callee's header ([`FRAME_HEADER`]): `base-1` holds the
//! callee value (closure, for captured-variable access) and `base-2` is scratch for the
//! executing tier (return continuation).

/// Slots below a callee frame reserved for its header.
pub const FRAME_HEADER: u16 = 2;

/// A frame slot index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u16);
/// A signed 32-bit immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Imm(pub i32);
/// Index into [`crate::Program::consts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Const(pub u32);
/// Index of an op in the same function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target(pub u32);
/// Index into [`crate::Program::functions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Func(pub u32);
/// Index into the program's globals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Global(pub u32);
/// A small count (arguments, elements).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub u16);
/// Index into [`crate::Program::protos`] (closure prototypes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proto(pub u32);
/// Index into [`crate::Program::structs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructRef(pub u32);
/// Index into [`crate::Program::fields`]: a (struct, field position, name) triple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldRef(pub u32);
/// A built-in function: its row in the shared table (`Builtin::index`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltinRef(pub u16);
/// Index of a captured variable in the running closure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upval(pub u16);
/// The target type of a cast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CastTy {
    /// `as int` / `int(x)`.
    Int,
    /// `as float`.
    Float,
    /// `as string` (strings only; `str()` formats).
    Str,
    /// `as bigint`.
    BigInt,
    /// `as bigrat`.
    BigRat,
    /// Type assertion to a list, map or any: the value passes through unchanged.
    Identity,
}

/// The zero value an [`Op::IndexMapOrZero`] produces for a missing key: that of the map's
/// static value type (LANGUAGE.md §8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Zero {
    /// `0`.
    Int,
    /// `0.0`.
    Float,
    /// `""`.
    Str,
    /// `false`.
    Bool,
}

/// A decoded operand, for generic consumers (verifier, disassembler, JIT hole filling).
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(missing_docs)] // one variant per operand type, documented there
pub enum Operand {
    Reg(Reg),
    Imm(Imm),
    Const(Const),
    Target(Target),
    Func(Func),
    Global(Global),
    Count(Count),
    Proto(Proto),
    StructRef(StructRef),
    FieldRef(FieldRef),
    BuiltinRef(BuiltinRef),
    Upval(Upval),
    CastTy(CastTy),
    Zero(Zero),
}

/// Conversion of each operand type into [`Operand`].
pub trait OperandType: Copy {
    /// Wraps the operand.
    fn operand(self) -> Operand;
}

macro_rules! operand_types {
    ($($t:ident),*) => {$(
        impl OperandType for $t {
            fn operand(self) -> Operand { Operand::$t(self) }
        }
    )*};
}
operand_types!(
    Reg, Imm, Const, Target, Func, Global, Count, Proto, StructRef, FieldRef, BuiltinRef, Upval,
    CastTy, Zero
);

/// Properties of an op the verifier, the GC safepoint logic and the JIT rely on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// May raise a runtime error.
    pub can_fail: bool,
    /// May allocate on the heap (a GC safepoint follows it).
    pub allocates: bool,
    /// Transfers control to a `Target` operand.
    pub branches: bool,
    /// Never falls through to the next op.
    pub terminates: bool,
    /// Calls a Mochi function.
    pub calls: bool,
}

impl Flags {
    /// No flag set.
    pub const NONE: Flags = Flags {
        can_fail: false,
        allocates: false,
        branches: false,
        terminates: false,
        calls: false,
    };
}

/// The op table. Invoke with a macro name; that macro receives every row.
///
/// Flags: `fail` can fail, `alloc` allocates, `branch` has a jump target, `term` never falls
/// through, `call` calls Mochi code.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            /// Does nothing (placeholder for patched-out code).
            Nop {} [];
            /// `dst = src`
            Move { dst: Reg, src: Reg } [];
            /// `dst = consts[k]`
            LoadConst { dst: Reg, k: Const } [];
            /// `dst = imm` (small int)
            LoadInt { dst: Reg, imm: Imm } [];
            /// `dst = none`
            LoadNone { dst: Reg } [];
            /// `dst = true`
            LoadTrue { dst: Reg } [];
            /// `dst = false`
            LoadFalse { dst: Reg } [];
            /// `dst = globals[g]`
            LoadGlobal { dst: Reg, g: Global } [];
            /// `globals[g] = src`
            StoreGlobal { g: Global, src: Reg } [];
            /// `dst =` the function value of a capture-free function.
            LoadFunc { dst: Reg, func: Func } [alloc];
            /// `dst =` a new closure of prototype `proto` (captures its cells).
            MakeClosure { dst: Reg, proto: Proto } [alloc];
            /// `dst =` a new cell holding `src` (a captured variable's home).
            NewCell { dst: Reg, src: Reg } [alloc];
            /// `dst =` the value in cell `cell`.
            LoadCell { dst: Reg, cell: Reg } [];
            /// the value in cell `cell` `= src`.
            StoreCell { cell: Reg, src: Reg } [];
            /// `dst =` the value of the running closure's captured variable `up`.
            LoadUpval { dst: Reg, up: Upval } [];
            /// the running closure's captured variable `up` `= src`.
            StoreUpval { up: Upval, src: Reg } [];

            /// `dst = a + b` (int fast path; overflow promotes to a big int)
            AddI64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a - b` (int fast path)
            SubI64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a * b` (int fast path)
            MulI64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a / b` (int fast path, truncating; division by zero fails)
            DivI64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a % b` (int fast path, sign of the dividend)
            ModI64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a + imm` (int fast path)
            AddI64Imm { dst: Reg, a: Reg, imm: Imm } [fail, alloc];
            /// `dst = a - imm` (int fast path)
            SubI64Imm { dst: Reg, a: Reg, imm: Imm } [fail, alloc];
            /// `dst = a * imm` (int fast path)
            MulI64Imm { dst: Reg, a: Reg, imm: Imm } [fail, alloc];
            /// `dst = a / imm` (int fast path, truncating; `imm` is neither 0 nor -1)
            DivI64Imm { dst: Reg, a: Reg, imm: Imm } [fail, alloc];
            /// `dst = a % imm` (int fast path, sign of the dividend; `imm` is neither 0 nor -1)
            ModI64Imm { dst: Reg, a: Reg, imm: Imm } [fail, alloc];
            /// `dst = -src` (int fast path)
            NegI64 { dst: Reg, src: Reg } [fail, alloc];
            /// `dst = a + b` (float fast path)
            AddF64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a - b` (float fast path)
            SubF64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a * b` (float fast path)
            MulF64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a / b` (float fast path; division by zero fails)
            DivF64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a % b` (float fmod; by zero fails)
            ModF64 { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = -src` (float fast path)
            NegF64 { dst: Reg, src: Reg } [fail, alloc];
            /// `dst = a + b` (string fast path: concatenation)
            AddStr { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a + str(src)` (string fast path: `src` formatted straight into the
            /// result, with no string object of its own)
            AddStrOf { dst: Reg, a: Reg, src: Reg } [fail, alloc];
            /// `dst = a + b` for any operands (numbers, strings, lists)
            Add { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a - b` for any operands
            Sub { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a * b` for any operands
            Mul { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a / b` for any operands
            Div { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a % b` for any operands
            Mod { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = -src` for any operand
            Neg { dst: Reg, src: Reg } [fail, alloc];
            /// `dst = float(src)` for an int operand (any numeric accepted)
            IntToF64 { dst: Reg, src: Reg } [fail];
            /// `dst = src as int` for a float operand: truncated toward zero (any value
            /// accepted, as `Cast` to int: a float past 64 bits makes a big int)
            F64ToInt { dst: Reg, src: Reg } [fail, alloc];

            /// `dst = a == b` (structural)
            Eq { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a != b` (structural)
            Ne { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a < b` (numbers, strings; false with none)
            Lt { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a <= b`
            Le { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a == b` (int fast path)
            EqI64 { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a != b` (int fast path)
            NeI64 { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a < b` (int fast path)
            LtI64 { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a <= b` (int fast path)
            LeI64 { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a < b` (float fast path)
            LtF64 { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = a <= b` (float fast path)
            LeF64 { dst: Reg, a: Reg, b: Reg } [];
            /// `dst = !truthy(src)`
            Not { dst: Reg, src: Reg } [];

            /// `goto target`
            Jump { target: Target } [branch, term];
            /// `if !truthy(cond) goto target`
            JumpIfFalse { cond: Reg, target: Target } [branch];
            /// `if truthy(cond) goto target`
            JumpIfTrue { cond: Reg, target: Target } [branch];
            /// `if !(a < b) goto target` (int fast path)
            LtI64JumpIfFalse { a: Reg, b: Reg, target: Target } [branch];
            /// `if !(a <= b) goto target` (int fast path)
            LeI64JumpIfFalse { a: Reg, b: Reg, target: Target } [branch];
            /// `if !(a == b) goto target` (int fast path)
            EqI64JumpIfFalse { a: Reg, b: Reg, target: Target } [branch];
            /// `if !(a != b) goto target` (int fast path)
            NeI64JumpIfFalse { a: Reg, b: Reg, target: Target } [branch];
            /// `if !(a < imm) goto target` (int fast path)
            LtI64ImmJumpIfFalse { a: Reg, imm: Imm, target: Target } [branch];
            /// `if !(a <= imm) goto target` (int fast path)
            LeI64ImmJumpIfFalse { a: Reg, imm: Imm, target: Target } [branch];
            /// `if !(a > imm) goto target` (int fast path)
            GtI64ImmJumpIfFalse { a: Reg, imm: Imm, target: Target } [branch];
            /// `if !(a >= imm) goto target` (int fast path)
            GeI64ImmJumpIfFalse { a: Reg, imm: Imm, target: Target } [branch];
            /// `if !(a == imm) goto target` (int fast path)
            EqI64ImmJumpIfFalse { a: Reg, imm: Imm, target: Target } [branch];
            /// `if !(a != imm) goto target` (int fast path)
            NeI64ImmJumpIfFalse { a: Reg, imm: Imm, target: Target } [branch];
            /// `if !(a < b) goto target` (float fast path)
            LtF64JumpIfFalse { a: Reg, b: Reg, target: Target } [branch];
            /// `if !(a <= b) goto target` (float fast path)
            LeF64JumpIfFalse { a: Reg, b: Reg, target: Target } [branch];
            /// `counter = counter + 1; if counter < end goto target` (range `for` back edge)
            ForStepI64 { counter: Reg, end: Reg, target: Target } [branch, fail, alloc];

            /// `dst = func(args in base..base+nargs)`: direct call of a known function
            Call { dst: Reg, func: Func, base: Reg, nargs: Count } [fail, alloc, call];
            /// `dst = callee(args in base..base+nargs)`: call of a function value
            CallValue { dst: Reg, callee: Reg, base: Reg, nargs: Count } [fail, alloc, call];
            /// `dst = builtin(args in base..base+nargs)`
            CallBuiltin { dst: Reg, builtin: BuiltinRef, base: Reg, nargs: Count } [fail, alloc];
            /// `dst =` the function value `callee` with the first `nargs` arguments bound
            MakePartial { dst: Reg, callee: Reg, base: Reg, nargs: Count } [fail, alloc];
            /// return `src` to the caller
            Return { src: Reg } [term];
            /// return `none` to the caller
            ReturnNone {} [term];

            /// `dst = [base..base+n]`
            NewList { dst: Reg, base: Reg, n: Count } [alloc];
            /// `dst = {k0: v0, ...}` from `n` key/value pairs at `base..base+2n`
            NewMap { dst: Reg, base: Reg, n: Count } [alloc];
            /// `dst = S { fields in declaration order at base.. }`
            NewStruct { dst: Reg, sref: StructRef, base: Reg } [alloc];
            /// `dst = obj[idx]` for any collection (`none` when absent)
            Index { dst: Reg, obj: Reg, idx: Reg } [fail, alloc];
            /// `dst = obj[idx]` (list with int index fast path)
            IndexList { dst: Reg, obj: Reg, idx: Reg } [fail, alloc];
            /// `dst = obj[idx]`, or the zero value `zero` when `obj` is a map without the key
            /// (maps whose static value type is int, float, string or bool)
            IndexMapOrZero { dst: Reg, obj: Reg, idx: Reg, zero: Zero } [fail, alloc];
            /// `obj[idx] = src` for any collection
            SetIndex { obj: Reg, idx: Reg, src: Reg } [fail, alloc];
            /// `obj[idx] = src` (list with in-range int index fast path)
            SetIndexList { obj: Reg, idx: Reg, src: Reg } [fail, alloc];
            /// `dst = obj.field` (struct fast path; by name otherwise)
            GetField { dst: Reg, obj: Reg, field: FieldRef } [fail];
            /// `obj.field = src`
            SetField { obj: Reg, field: FieldRef, src: Reg } [fail, alloc];
            /// `dst = obj.name` by name (maps, `any`)
            GetFieldDyn { dst: Reg, obj: Reg, name: Const } [fail];
            /// `obj.name = src` by name (maps, `any`)
            SetFieldDyn { obj: Reg, name: Const, src: Reg } [fail, alloc];
            /// `dst = obj[start:end]` (`none` in a bound slot means absent)
            Slice { dst: Reg, obj: Reg, start: Reg, end: Reg } [fail, alloc];
            /// `dst = len(src)`
            Len { dst: Reg, src: Reg } [fail];
            /// `dst = append(list, val)` (a new list)
            Append { dst: Reg, list: Reg, val: Reg } [fail, alloc];
            /// `dst = append(list, val)`, appending in place when `list` holds the very list
            /// object `owner` holds: the compiler emits it for `xs = append(xs, v)` on a local
            /// no other reference ever reaches (`compiler/owned.rs`), then `owner = dst`
            AppendOwned { dst: Reg, list: Reg, val: Reg, owner: Reg } [fail, alloc];
            /// `dst = x in coll`
            In { dst: Reg, x: Reg, coll: Reg } [fail];
            /// `dst = a union b`: the distinct elements of both lists, in order
            UnionList { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a except b`: the distinct elements of `a` not in `b`
            ExceptList { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst = a intersect b`: the distinct elements of `a` also in `b`
            IntersectList { dst: Reg, a: Reg, b: Reg } [fail, alloc];
            /// `dst =` a list to iterate for `for x in src` (list itself, sorted map keys,
            /// one-character strings, empty for none; other values fail)
            IterPrep { dst: Reg, src: Reg } [fail, alloc];
            /// `dst = src as ty`
            Cast { dst: Reg, src: Reg, ty: CastTy } [fail, alloc];
            /// `dst = src as S` (a map or struct turned into struct `S`)
            CastStruct { dst: Reg, src: Reg, sref: StructRef } [fail, alloc];
            /// `dst = str(src)`
            Str { dst: Reg, src: Reg } [alloc];
            /// `dst =` whether `src` is a struct value of type `sref` (match tag test)
            IsStruct { dst: Reg, src: Reg, sref: StructRef } [];
            /// fail with `expect condition failed` unless `src` is true
            Expect { src: Reg } [fail];
        }
    };
}

macro_rules! define_ops {
    ($( $(#[doc = $doc:literal])* $name:ident { $($field:ident : $ty:ident),* } [$($flag:ident),*]; )*) => {
        /// One bytecode instruction with its operands.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Op {
            $( $(#[doc = $doc])* $name { $(#[allow(missing_docs)] $field: $ty),* }, )*
        }

        /// The kind of an [`Op`], without operands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum OpCode {
            $( $(#[doc = $doc])* $name, )*
        }

        impl OpCode {
            /// Every op code, in table order.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name),*];

            /// The op's name as written in the table (`AddI64`).
            pub fn name(self) -> &'static str {
                match self { $(OpCode::$name => stringify!($name)),* }
            }

            /// The op's doc line.
            pub fn doc(self) -> &'static str {
                match self { $(OpCode::$name => concat!($($doc),*)),* }
            }

            /// Operand field names in order (a field `a` is the stencil hole `_JIT_A`).
            pub fn operand_names(self) -> &'static [&'static str] {
                match self { $(OpCode::$name => &[$(stringify!($field)),*]),* }
            }

            /// Operand type names in order (`"Reg"`, `"Imm"`, ...), parallel to
            /// [`OpCode::operand_names`]: the JIT derives its stencil holes from both.
            pub fn operand_types(self) -> &'static [&'static str] {
                match self { $(OpCode::$name => &[$(stringify!($ty)),*]),* }
            }

            /// Every op's flags, indexed by op code (a table: the interpreter's generic
            /// path asks for them after every op).
            const FLAGS: &'static [Flags] = &[$({
                #[allow(unused_mut)]
                let mut f = Flags::NONE;
                $( set_flag!(f, $flag); )*
                f
            }),*];

            /// The op's flags.
            #[inline]
            pub fn flags(self) -> Flags {
                Self::FLAGS[self as usize]
            }
        }

        impl Op {
            /// The op's kind.
            #[inline]
            pub fn code(&self) -> OpCode {
                match self { $(Op::$name { .. } => OpCode::$name),* }
            }

            /// The operands in table order.
            pub fn operands(&self) -> Vec<Operand> {
                match *self {
                    $(Op::$name { $($field),* } => vec![$($field.operand()),*],)*
                }
            }

            /// Calls `f` on every operand, in table order, without allocating.
            pub fn for_each_operand(&self, mut f: impl FnMut(&'static str, Operand)) {
                match *self {
                    $(Op::$name { $($field),* } => { $( f(stringify!($field), $field.operand()); )* })*
                }
            }

            /// Rewrites the jump target, if the op has one.
            pub fn set_target(&mut self, to: u32) {
                #[allow(unused_variables)]
                match self {
                    $(Op::$name { $($field),* } => { $( retarget!($ty, $field, to); )* })*
                }
            }
        }
    };
}

macro_rules! set_flag {
    ($f:ident, fail) => {
        $f.can_fail = true
    };
    ($f:ident, alloc) => {
        $f.allocates = true
    };
    ($f:ident, branch) => {
        $f.branches = true
    };
    ($f:ident, term) => {
        $f.terminates = true
    };
    ($f:ident, call) => {
        $f.calls = true
    };
}

macro_rules! retarget {
    (Target, $field:ident, $to:ident) => {
        *$field = Target($to)
    };
    ($other:ident, $field:ident, $to:ident) => {};
}

for_each_op!(define_ops);

const _: () = assert!(std::mem::size_of::<Op>() <= 12);

impl Op {
    /// The jump target, if any.
    pub fn target(&self) -> Option<u32> {
        let mut t = None;
        self.for_each_operand(|_, o| {
            if let Operand::Target(Target(x)) = o {
                t = Some(x);
            }
        });
        t
    }

    /// The frame slot the op writes, if any. By convention of the op table an op writes only
    /// its `dst` operand (`ForStepI64`: its `counter`); every other register operand is read.
    /// Calls also clobber their window: the callee's frame starts at `base - FRAME_HEADER`.
    /// Tiers that cache slots in machine registers rely on this to reload only what changed.
    pub fn written(&self) -> Option<Reg> {
        let mut w = None;
        self.for_each_operand(|name, o| {
            if let ("dst" | "counter", Operand::Reg(r)) = (name, o) {
                w = Some(r);
            }
        });
        w
    }
}
