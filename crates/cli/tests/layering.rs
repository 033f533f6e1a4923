//! Dependencies between workspace crates point one way: every `Cargo.toml` dependency edge
//! must appear in ARCHITECTURE.md's dependency table, and every crate must have a row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `crate -> allowed workspace dependencies`, from the table in ARCHITECTURE.md.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = text
        .split("## Dependencies")
        .nth(1)
        .expect("ARCHITECTURE.md has a Dependencies section");
    let mut out = BTreeMap::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 || cells[1] == "crate" || cells[1].starts_with("---") {
            continue;
        }
        let deps = cells[2]
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty() && *d != "—")
            .map(String::from)
            .collect();
        out.insert(cells[1].to_string(), deps);
    }
    out
}

/// Workspace members: `(package name, manifest text)`.
fn members() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["crates", "bench"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let manifest = e.path().join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&manifest) {
                let name = text
                    .lines()
                    .find_map(|l| l.trim().strip_prefix("name = "))
                    .map(|n| n.trim_matches('"').to_string())
                    .expect("package name");
                out.push((name, text));
            }
        }
    }
    out
}

#[test]
fn dependency_edges_follow_the_architecture_table() {
    let allowed = allowed();
    let members = members();
    let names: BTreeSet<String> = members.iter().map(|(n, _)| n.clone()).collect();
    assert!(names.len() >= 8, "found only {names:?}");
    for (name, text) in &members {
        let row = allowed
            .get(name)
            .unwrap_or_else(|| panic!("ARCHITECTURE.md has no dependency row for {name}"));
        // Only [dependencies]: dev-dependencies may reach further for tests.
        let deps = text
            .split("[dependencies]")
            .nth(1)
            .map(|rest| rest.split("\n[").next().unwrap_or(""))
            .unwrap_or("");
        for line in deps.lines() {
            let dep = line.split(['=', '.']).next().unwrap_or("").trim();
            if names.contains(dep) {
                assert!(
                    row.contains(dep),
                    "{name} depends on {dep}, not allowed by ARCHITECTURE.md"
                );
            }
        }
    }
}
