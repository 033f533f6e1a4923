//! The checker's diagnostic codes, defined once.
//!
//! Every checker error carries one of these codes. Codes are stable: tests and `.err` goldens
//! match on them. All of them are user errors (the program is rejected before it runs).
//!
//! | Code | Meaning |
//! |------|---------|
//! | T001 | A name is used that no binding, function, type or built-in defines. |
//! | T002 | A type annotation names a type that does not exist. |
//! | T003 | A call passes more arguments than the function takes. |
//! | T004 | An argument's type does not match the parameter's type. |
//! | T005 | A function parameter has no type annotation (LANGUAGE.md §3). |
//! | T006 | A `return` value does not match the function's declared return type. |
//! | T007 | A value assigned (or bound with `let`/`var`) does not match the variable's type. |
//! | T008 | A value that is not a function is called. |
//! | T009 | A field or method does not exist on the value's type. |
//! | T010 | A struct literal names a type that is not a struct or union variant. |
//! | T011 | `break` or `continue` appears outside a loop. |
//! | T012 | Two top-level functions or types share a name. |
//! | T013 | A binary operator is applied to operands of types it does not support. |
//! | T014 | A unary operator is applied to an operand of a type it does not support. |
//! | T015 | A value that cannot be indexed is indexed, or an index has the wrong type. |
//! | T016 | A `for .. in` loop iterates a value that is not a list, string or map. |
//! | T017 | A match pattern names an unknown variant or binds more fields than it has. |
//! | T018 | A built-in is called with fewer arguments than it needs. |
//! | T019 | An assignment target is not a variable (a function, built-in or type). |
//! | T020 | A built-in is given an argument of a type it cannot accept. |
//! | T021 | A `for a..b` range bound is not an integer. |
//! | T022 | A built-in is used as a value instead of being called (`let f = print`). |
//! | T060 | An `import` names no built-in module (LANGUAGE.md §19.3). |
//! | T061 | An imported module has no such member, or its alias is used without a member. |
//! | T062 | An `extern` declaration disagrees with the module, or names no imported module. |

/// Undefined name.
pub const UNDEFINED_NAME: &str = "T001";
/// Undefined type.
pub const UNDEFINED_TYPE: &str = "T002";
/// Too many arguments.
pub const TOO_MANY_ARGS: &str = "T003";
/// Argument type mismatch.
pub const ARG_TYPE: &str = "T004";
/// Missing parameter type annotation.
pub const MISSING_PARAM_TYPE: &str = "T005";
/// Return type mismatch.
pub const RETURN_TYPE: &str = "T006";
/// Assignment or declaration type mismatch.
pub const ASSIGN_TYPE: &str = "T007";
/// Calling a non-function.
pub const NOT_CALLABLE: &str = "T008";
/// Unknown field or method.
pub const UNKNOWN_FIELD: &str = "T009";
/// Unknown struct in a literal.
pub const UNKNOWN_STRUCT: &str = "T010";
/// `break`/`continue` outside a loop.
pub const OUTSIDE_LOOP: &str = "T011";
/// Duplicate top-level function or type.
pub const DUPLICATE: &str = "T012";
/// Bad binary operand types.
pub const BINARY_OPERANDS: &str = "T013";
/// Bad unary operand type.
pub const UNARY_OPERAND: &str = "T014";
/// Bad index target or index type.
pub const BAD_INDEX: &str = "T015";
/// Not iterable.
pub const NOT_ITERABLE: &str = "T016";
/// Bad match pattern.
pub const BAD_PATTERN: &str = "T017";
/// Too few arguments to a built-in.
pub const TOO_FEW_ARGS: &str = "T018";
/// Assignment to something that is not a variable.
pub const NOT_ASSIGNABLE: &str = "T019";
/// Bad built-in argument.
pub const BUILTIN_ARG: &str = "T020";
/// Non-integer range bound.
pub const RANGE_BOUND: &str = "T021";
/// A built-in used as a value.
pub const BUILTIN_VALUE: &str = "T022";
/// Unsupported import.
pub const UNSUPPORTED_IMPORT: &str = "T060";
/// Unknown member of a module, or a module alias used alone.
pub const UNKNOWN_MEMBER: &str = "T061";
/// Bad `extern` declaration.
pub const BAD_EXTERN: &str = "T062";
