//! aarch64 end to end under an emulator: stitch the committed aarch64 golden table for a fixed
//! address with `CodeBuffer::link_at`, then run the image in a static C harness under
//! `qemu-aarch64`. Skipped (with a note) without `qemu-aarch64` and `aarch64-linux-gnu-gcc`
//! (Debian: qemu-user, gcc-aarch64-linux-gnu).

mod common;

use std::process::Command;

#[path = "golden/aarch64-unknown-linux-gnu/aarch64_unknown_linux_gnu.rs"]
mod aarch64_table;

#[path = "golden/aarch64-apple-macos/aarch64_apple_macos.rs"]
mod aarch64_macos_table;

/// Where the harness maps the image: far (> 128 MiB) from the static binary's text at
/// 0x400000, so the helper call needs a veneer.
const BASE: u64 = 0x4000_0000;

fn have(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

#[test]
fn golden_aarch64_table_runs_under_qemu() {
    if !have("qemu-aarch64") || !have("aarch64-linux-gnu-gcc") {
        eprintln!("note: skipping: qemu-aarch64 or aarch64-linux-gnu-gcc not installed");
        return;
    }
    let scratch = std::env::temp_dir().join(format!("cnp-qemu-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let harness = scratch.join("harness");
    let status = Command::new("aarch64-linux-gnu-gcc")
        .args(["-O1", "-static", "-no-pie", "-o"])
        .arg(&harness)
        .arg(common::tests_dir().join("qemu/harness.c"))
        .status()
        .unwrap();
    assert!(status.success());
    let run = |args: &[&str]| {
        let output = Command::new("qemu-aarch64")
            .arg(&harness)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "harness failed: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let helper: u64 = run(&[]).trim().parse().unwrap();

    // The Mach-O table is aarch64 code too (its holes load from the code buffer's GOT), and
    // the demo uses nothing where Darwin's ABI differs from Linux's, so it runs here as well.
    for table in [&aarch64_table::TABLE, &aarch64_macos_table::TABLE] {
        let mut buf = common::stitch_demo(table, helper);
        let mut image = Vec::new();
        let layout = buf.link_at(BASE, &mut image).unwrap();
        assert_eq!(layout.veneers, 1, "the helper is out of b/bl range");
        if table.target == "aarch64-apple-macos" {
            assert!(layout.got_entries > 0, "Mach-O holes go through the GOT");
        }
        let image_path = scratch.join("image.bin");
        std::fs::write(&image_path, &image).unwrap();
        let output = run(&[image_path.to_str().unwrap(), &BASE.to_string()]);
        assert_eq!(output.trim(), "945 450", "{}", table.target);
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}
