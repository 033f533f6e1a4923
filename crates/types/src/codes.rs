//! The checker's diagnostic codes, defined once.
//!
//! Every checker error carries one of these codes. Codes are stable: tests and `.err` goldens
//! match on them. All of them are user errors (the program is rejected before it runs).
//!
//! | Code | Meaning |
//! |------|---------|
//! | T000 | A `let` or `var` has neither a type nor a value (upstream's code, LANGUAGE.md §19.5). |
//! | T001 | A name is used that no binding, function, type or built-in defines. |
//! | T002 | A type annotation names a type that does not exist. |
//! | T003 | A call passes more arguments than the function takes. |
//! | T004 | An argument's type does not match the parameter's type. |
//! | T005 | A function parameter has no type annotation (LANGUAGE.md §3). |
//! | T006 | A `return` value does not match the function's declared return type. |
//! | T007 | A value assigned (or bound with `let`/`var`) does not match the variable's type. |
//! | T008 | A value that is not a function is called. |
//! | T009 | A field or method does not exist on the value's type. |
//! | T010 | A struct literal names a type that is not a struct or union variant; also a `return` with a value in a function returning `unit`, upstream's code for it (LANGUAGE.md §19.5). |
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
//!
//! Dataset queries, `load`/`save` and `update` (LANGUAGE.md §17-§19.1). Where LANGUAGE.md
//! names an upstream code it is used; the recommended checks without one are T070-T075.
//!
//! | Code | Meaning |
//! |------|---------|
//! | T008 | An `update` `set` value does not have the field's type (upstream's code; elsewhere T008 is a call of a non-function). |
//! | T026 | An `update` `set` key names no field of the element type. |
//! | T032 | A query `from` source (or an `update` target) is not a list. |
//! | T033 | A `where` condition is not a bool. |
//! | T034 | A `join` source is not a list. |
//! | T035 | A `join ... on` condition is not a bool. |
//! | T037 | `count` is applied to something that is not a list or group. |
//! | T038 | `avg` is applied to non-numeric elements. |
//! | T041 | `sum`, `min` or `max` is applied to elements it cannot combine. |
//! | T042 | A `having` condition is not a bool. |
//! | T044 | A `where` or `having` condition calls something with effects. |
//! | T055 | A `skip` or `take` operand is not an int. |
//! | T056 | A `sort by` key is not of an ordered type. |
//! | T057 | A `select distinct` value cannot be compared (a function or group inside). |
//! | T070 | A query variable is used where it is out of scope (after `group by`, in `skip`/`take`, in a `join` source). |
//! | T071 | A `load` row type is not a struct, a map or `any`. |
//! | T072 | A `save` source is not a list of structs or maps. |
//! | T073 | A `load`/`save` option is unknown, has the wrong type, or names an unsupported format. |
//! | T074 | An `update` whose element type is not a struct, or whose `set` keys are not field names. |
//! | T075 | Two `group by` keys get the same name, or a name the group already has. |

/// `let x` / `var x` with neither a type nor a value.
pub const NO_TYPE_OR_VALUE: &str = "T000";
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
/// `return EXPR` in a `unit` function (LANGUAGE.md §19.5 names upstream's T010).
pub const UNIT_RETURN: &str = "T010";
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
/// Query source not a list.
pub const QUERY_SOURCE: &str = "T032";
/// `where` not bool.
pub const WHERE_TYPE: &str = "T033";
/// Join source not a list.
pub const JOIN_SOURCE: &str = "T034";
/// `on` not bool.
pub const JOIN_ON_TYPE: &str = "T035";
/// `count` of a non-list.
pub const COUNT_ARG: &str = "T037";
/// `avg` of non-numbers.
pub const AVG_ARG: &str = "T038";
/// `sum`/`min`/`max` of elements they cannot combine.
pub const SUM_ARG: &str = "T041";
/// `having` not bool.
pub const HAVING_TYPE: &str = "T042";
/// Effects in `where`/`having`.
pub const IMPURE_FILTER: &str = "T044";
/// `skip`/`take` not int.
pub const SKIP_TAKE_TYPE: &str = "T055";
/// Unordered `sort by` key.
pub const SORT_KEY: &str = "T056";
/// `select distinct` of an incomparable value.
pub const DISTINCT_VALUE: &str = "T057";
/// Query variable out of scope.
pub const QUERY_VAR_SCOPE: &str = "T070";
/// Bad `load` row type.
pub const LOAD_ROW_TYPE: &str = "T071";
/// Bad `save` source.
pub const SAVE_SOURCE: &str = "T072";
/// Bad `load`/`save` option.
pub const DATA_OPTION: &str = "T073";
/// Bad `update`.
pub const UPDATE: &str = "T074";
/// An `update` value whose type is not the field's (LANGUAGE.md §19.1 names T008).
pub const UPDATE_VALUE_TYPE: &str = "T008";
/// An `update` key that is not a field (LANGUAGE.md §19.1 names T026).
pub const UPDATE_UNKNOWN_FIELD: &str = "T026";
/// Clashing group key names.
pub const GROUP_KEY_NAME: &str = "T075";
