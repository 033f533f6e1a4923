//! What the integration tests share: the execution modes of the build.

/// `(label, extra args, extra env)` of one execution mode.
pub type Mode = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// Every execution mode of the build.
pub const MODES: &[Mode] = &[
    ("interpreter", &["--jit=off"], &[]),
    ("copy-and-patch", &["--jit=always"], &[]),
    ("default tier", &[], &[]),
    (
        "tier-up at threshold 2",
        &[],
        &[("MOCHI_TIER_THRESHOLD", "2")],
    ),
    (
        "tier-up at threshold 2, compiling thread, GC stress",
        &[],
        &[
            ("MOCHI_TIER_THRESHOLD", "2"),
            ("MOCHI_OPT_THREAD", "wait"),
            ("MOCHI_GC_STRESS", "1"),
        ],
    ),
    (
        "interpreter, GC stress",
        &["--jit=off"],
        &[("MOCHI_GC_STRESS", "1")],
    ),
    (
        "copy-and-patch, GC stress",
        &["--jit=always"],
        &[("MOCHI_GC_STRESS", "1")],
    ),
    ("optimizing tier", &["--jit=opt"], &[]),
    (
        "optimizing tier, GC stress",
        &["--jit=opt"],
        &[("MOCHI_GC_STRESS", "1")],
    ),
];
