//! Running one child process: wall time, peak resident memory (from `wait4`) and its output.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exited with this status code.
    Code(i32),
    /// Killed by this signal.
    Signal(i32),
    /// Still running at the timeout; the runner killed it.
    Timeout,
}

impl Exit {
    /// True for a zero exit status.
    pub fn success(self) -> bool {
        self == Exit::Code(0)
    }
}

/// What one run of a child produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub exit: Exit,
    /// Wall time from just before `spawn` to the `wait4` that reaped it.
    pub wall: Duration,
    /// Peak resident set size of the child (`ru_maxrss`, KiB on Linux).
    pub max_rss_kb: u64,
    /// Captured standard output.
    pub stdout: String,
    /// Captured standard error.
    pub stderr: String,
}

/// Runs `argv` with `stdin` as its standard input, capturing stdout and stderr through files in
/// `scratch` (no pipe threads to perturb the timing). Kills the child after `timeout`.
pub fn run(
    argv: &[OsString],
    stdin: &str,
    timeout: Duration,
    scratch: &Path,
) -> io::Result<Outcome> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "empty command"))?;
    fs::create_dir_all(scratch)?;
    let in_path = scratch.join("stdin");
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    fs::write(&in_path, stdin)?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::from(File::open(&in_path)?))
        .stdout(Stdio::from(File::create(&out_path)?))
        .stderr(Stdio::from(File::create(&err_path)?));

    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let (exit, rusage) = reap(pid, start, timeout)?;
    let wall = start.elapsed();
    // `child` was reaped by `reap`; dropping a std `Child` neither waits nor kills.
    drop(child);

    let stdout = String::from_utf8_lossy(&fs::read(&out_path)?).into_owned();
    let stderr = String::from_utf8_lossy(&fs::read(&err_path)?).into_owned();
    // ru_maxrss is in KiB on Linux.
    let max_rss_kb = u64::try_from(rusage.ru_maxrss).unwrap_or(0);
    Ok(Outcome {
        exit,
        wall,
        max_rss_kb,
        stdout,
        stderr,
    })
}

/// Polls `wait4(pid, WNOHANG)` until the child ends or `timeout` passes (then SIGKILLs it and
/// reaps it). Polling, rather than a watchdog thread, means we never signal a reaped pid.
fn reap(pid: libc::pid_t, start: Instant, timeout: Duration) -> io::Result<(Exit, libc::rusage)> {
    let mut timed_out = false;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
        let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if timed_out { 0 } else { libc::WNOHANG };
        // SAFETY: `pid` is our own unreaped child; `status` and `rusage` are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut rusage) };
        if r == pid {
            let exit = if timed_out {
                Exit::Timeout
            } else if libc::WIFEXITED(status) {
                Exit::Code(libc::WEXITSTATUS(status))
            } else if libc::WIFSIGNALED(status) {
                Exit::Signal(libc::WTERMSIG(status))
            } else {
                Exit::Code(-1)
            };
            return Ok((exit, rusage));
        }
        if r < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if start.elapsed() >= timeout {
            // SAFETY: `pid` is our child and has not been reaped (wait4 returned 0 above), so
            // the pid cannot have been reused.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            timed_out = true;
            continue;
        }
        thread::sleep(Duration::from_micros(500));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("bench-runner-test-{}-{name}", std::process::id()))
    }

    #[test]
    fn captures_output_status_and_memory() {
        let argv: Vec<OsString> = ["sh", "-c", "read x; echo got $x; echo oops >&2; exit 3"]
            .iter()
            .map(OsString::from)
            .collect();
        let out = run(&argv, "42\n", Duration::from_secs(10), &scratch("capture")).unwrap();
        assert_eq!(out.exit, Exit::Code(3));
        assert_eq!(out.stdout, "got 42\n");
        assert_eq!(out.stderr, "oops\n");
        assert!(out.max_rss_kb > 0);
    }

    #[test]
    fn kills_at_timeout() {
        let argv: Vec<OsString> = ["sleep", "5"].iter().map(OsString::from).collect();
        let out = run(&argv, "", Duration::from_millis(100), &scratch("timeout")).unwrap();
        assert_eq!(out.exit, Exit::Timeout);
        assert!(out.wall < Duration::from_secs(4));
    }
}
