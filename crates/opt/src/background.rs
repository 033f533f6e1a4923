//! Compiling on a second thread. Under `--jit=on` a hot function asks for its optimized code
//! and goes on in the lower tier; the lower tier asks again a little later
//! (`OptCode::enter`) and enters the code once it is there. Cranelift's 2-25 ms per
//! function (BENCHMARKS.md, compile-time table) then overlaps the run instead of stopping
//! it, which pays on a machine with a core to spare.
//!
//! The thread owns a copy of what translation reads of the VM ([`VmSnapshot`]) and its own
//! Cranelift target; it returns machine code as bytes. Everything that touches the VM or
//! executable memory (placing the code, publishing it, the entry table) stays on the
//! thread that runs the program.

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

use crate::translate::{Translator, VmSnapshot};
use crate::{OptError, host_isa};

/// A request: compile function `func`, with or without loop guards.
struct Request {
    func: u32,
    loop_guards: bool,
}

/// A finished compilation.
pub(crate) struct Compiled {
    pub func: u32,
    /// `None`: Cranelift rejected the function.
    pub code: Option<Vec<u8>>,
    /// Wall and CPU time the compiling thread spent on it.
    pub ns: u128,
    pub cpu_ns: u64,
}

/// The compiling thread. Dropping it closes its queue; the thread ends after its current
/// function (it touches nothing of the VM, so it may also simply outlive the run).
pub(crate) struct Worker {
    requests: Sender<Request>,
    done: Receiver<Compiled>,
}

impl Worker {
    /// Starts the thread. `entries` and `shapes` are the addresses of the tables compiled
    /// code reads (see `OptCode`).
    pub(crate) fn spawn(
        snapshot: VmSnapshot,
        entries: usize,
        shapes: usize,
    ) -> Result<Worker, OptError> {
        let isa = host_isa()?;
        let (requests, queue) = mpsc::channel::<Request>();
        let (finished, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("mochi-opt".into())
            .spawn(move || {
                let view = snapshot.view();
                let mut translator = Translator::new(&view, &*isa, entries, shapes);
                for Request { func, loop_guards } in queue {
                    let start = Instant::now();
                    let cpu_start = cnp::cpu_time::thread_cpu_ns();
                    let code = translator.compile(func, loop_guards);
                    let result = Compiled {
                        func,
                        code,
                        ns: start.elapsed().as_nanos(),
                        cpu_ns: cnp::cpu_time::thread_cpu_ns().saturating_sub(cpu_start),
                    };
                    if finished.send(result).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| OptError::Unsupported(format!("no compiling thread: {e}")))?;
        Ok(Worker { requests, done })
    }

    /// Queues function `func`. `false`: the thread is gone (it panicked), so nothing will
    /// come back.
    pub(crate) fn request(&self, func: u32, loop_guards: bool) -> bool {
        self.requests.send(Request { func, loop_guards }).is_ok()
    }

    /// The compilations finished since the last call, without waiting.
    pub(crate) fn finished(&self) -> Vec<Compiled> {
        self.done.try_iter().collect()
    }

    /// The compilations finished since the last call, waiting for function `func`'s
    /// (requested before) if it is not among them. Empty if the thread is gone.
    pub(crate) fn finished_with(&self, func: u32) -> Vec<Compiled> {
        let mut done = Vec::new();
        while let Ok(compiled) = self.done.recv() {
            let last = compiled.func == func;
            done.push(compiled);
            if last {
                break;
            }
        }
        done
    }
}
