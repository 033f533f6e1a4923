//! Describing the machine and the peers' versions for the report.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::impls::Tool;

/// The hardware the numbers were taken on.
#[derive(Debug, Clone)]
pub struct Machine {
    /// CPU model name from `/proc/cpuinfo`.
    pub cpu: String,
    /// Logical CPUs from `/proc/cpuinfo`.
    pub cores: usize,
    /// `MemTotal` from `/proc/meminfo`, in GiB.
    pub memory_gib: f64,
    /// Kernel release.
    pub kernel: String,
    /// `/proc/loadavg` (1, 5 and 15 minute load averages) when the report was written: other
    /// work on the machine during the run shows here.
    pub load: String,
}

impl Machine {
    /// Reads `/proc`; unknown fields stay `"unknown"`/0.
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |name: &str| {
            cpuinfo
                .lines()
                .find(|l| l.split(':').next().is_some_and(|k| k.trim() == name))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        };
        let cpu = field("model name")
            .or_else(|| field("Model"))
            .or_else(|| field("CPU part").map(|p| format!("CPU part {p}")))
            .unwrap_or_else(|| "unknown".to_string());
        let cores = cpuinfo
            .lines()
            .filter(|l| l.split(':').next().is_some_and(|k| k.trim() == "processor"))
            .count();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_kb: f64 = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "unknown".to_string());
        let load = std::fs::read_to_string("/proc/loadavg")
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".to_string());
        Machine {
            cpu,
            cores,
            memory_gib: mem_kb / (1024.0 * 1024.0),
            kernel,
            load,
        }
    }
}

/// First non-empty line that `program args` prints on stdout or stderr, or why it failed.
pub fn version_line(program: &Path, args: &[&str]) -> String {
    match Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            match text.lines().map(str::trim).find(|l| !l.is_empty()) {
                Some(line) => line.to_string(),
                None if out.status.success() => "(printed no version)".to_string(),
                None => format!("(failed: {})", out.status),
            }
        }
        Err(e) => format!("(not available: {e})"),
    }
}

/// Version line of a peer tool found on `PATH`.
pub fn tool_version(tool: Tool) -> String {
    version_line(Path::new(tool.executable()), tool.version_args())
}
