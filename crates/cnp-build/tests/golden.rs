//! Golden tests for the extractor and emitter: committed objects (`tests/golden/<triple>/`)
//! → generated tables / rejection messages, compared byte for byte. No clang needed.
//! `CNP_BLESS=1 cargo test -p cnp-build --test golden` recompiles the objects from
//! `tests/stencils/` and `tests/rejects/` (when clang 19 is present) and rewrites the goldens.

mod common;

use std::fmt::Write;
use std::path::Path;

use cnp_build::clang::Clang;
use cnp_build::target::{TARGETS, Target};
use cnp_build::{compile_stencils, object_digest, read_dir_files, table_from_objects};

/// Replaces the `.o` files in `dir` with fresh ones compiled from `sources`, one by one
/// (a stencil that does not compile for this target is skipped).
fn recompile(clang: &Clang, target: &Target, sources: &Path, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let headers = common::tests_dir().join("stencils");
    for (file, text) in read_dir_files(sources, "c").unwrap() {
        let single = std::env::temp_dir().join(format!(
            "cnp-golden-{}-{}-{}",
            std::process::id(),
            target.triple,
            file
        ));
        std::fs::create_dir_all(&single).unwrap();
        std::fs::write(single.join(&file), text).unwrap();
        match compile_stencils(clang, target, &single, &headers) {
            Ok(objects) => {
                for (name, bytes) in objects {
                    std::fs::write(dir.join(format!("{name}.o")), bytes).unwrap();
                }
            }
            Err(error) => eprintln!("note: {file} skipped for {}: {error:.200}", target.triple),
        }
        std::fs::remove_dir_all(&single).unwrap();
    }
}

fn objects(dir: &Path) -> Vec<(String, Vec<u8>)> {
    read_dir_files(dir, "o")
        .unwrap_or_default()
        .into_iter()
        .map(|(file, bytes)| (file.trim_end_matches(".o").to_owned(), bytes))
        .collect()
}

fn check(path: &Path, actual: &str) {
    if common::bless() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the generated output (first at line {}); rerun with CNP_BLESS=1 \
             and review the diff",
            path.display(),
            first + 1
        );
    }
}

#[test]
fn golden_tables_and_rejections() {
    if common::bless() {
        match Clang::find() {
            Ok(clang) => {
                for target in TARGETS {
                    let dir = common::golden_dir(target.triple);
                    recompile(
                        &clang,
                        target,
                        &common::tests_dir().join("stencils"),
                        &dir.join("objects"),
                    );
                    recompile(
                        &clang,
                        target,
                        &common::tests_dir().join("rejects"),
                        &dir.join("rejects"),
                    );
                }
            }
            Err(error) => eprintln!("note: objects not recompiled: {error}"),
        }
    }
    let mut checked = 0;
    for target in TARGETS {
        let dir = common::golden_dir(target.triple);
        let stencils = objects(&dir.join("objects"));
        if stencils.is_empty() {
            continue;
        }
        let digest = object_digest(target, &stencils);
        let table = table_from_objects(target, &digest, &stencils).unwrap();
        check(&dir.join(format!("{}.rs", target.module_name())), &table);

        let mut rejections = String::new();
        for (name, bytes) in objects(&dir.join("rejects")) {
            let outcome = match cnp_build::extract::extract(&name, target, &bytes) {
                // A continuation jump that is not last is kept (patched, not elided) on every
                // target: correct, only slower, so never a rejection.
                Ok(stencil) if name == "tail_not_last" && stencil.elidable_tail.is_none() => {
                    "kept: continuation not final, so not elidable".to_owned()
                }
                Ok(_) => "accepted".to_owned(),
                Err(error) => error.to_string(),
            };
            let _ = writeln!(rejections, "{name}: {outcome}");
        }
        assert!(
            !rejections.contains(": accepted"),
            "a reject stencil was accepted:\n{rejections}"
        );
        check(&dir.join("rejects.txt"), &rejections);
        checked += 1;
    }
    assert!(checked >= 1, "no golden target was checked");
}
