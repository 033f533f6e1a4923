# GDB extension for Mochi's stitched (JIT) code. Load with:
#     (gdb) source tools/gdb/mochi.py
# and run the program with `mochi run --jit=always --debug-info FILE`.
#
# `mochi-bt` prints the Mochi call stack. Stitched Mochi calls are tail jumps, so there is no
# native frame per Mochi call; the stack is read from the VM stack through the descriptor
# `MOCHI_DEBUG` (crates/jit/src/debug_descriptor.rs documents the layout and the frame
# layout assumed here; change both together):
#
#   MochiDebug { magic u64 "MOCHIDBG", version u32 (1), value_size u32,
#                code_start u64, code_end u64, exit_addr u64, file NameRef,
#                nfuncs u64, names *NameRef, nsites u64, sites *Site }
#   NameRef    { ptr u64, len u64 }
#   Site       { addr u64, func u32, line u32, caller_delta u64 }   (sorted by addr)
#
# Frame layout: the running frame's slot 0 is in r12 (x86_64); frame[-2].bits (at frame-32)
# is the return continuation (inside the caller's call op, or exit_addr for the frame Rust
# entered); the caller's frame is frame - caller_delta of the call op's site.

import bisect
import re
import struct

import gdb

MAGIC = struct.unpack("<Q", b"MOCHIDBG")[0]
HEADER = struct.Struct("<QIIQQQQQQQQQ")
SITE = struct.Struct("<QIIQ")
NAME = struct.Struct("<QQ")


def _read(addr, size):
    return bytes(gdb.selected_inferior().read_memory(addr, size))


def _u64(addr):
    return struct.unpack("<Q", _read(addr, 8))[0]


def _string(ptr, length):
    return _read(ptr, length).decode("utf-8", "replace") if length else ""


def _symbol_address(name):
    # `info address` works whatever the current frame's language (a C cast expression would
    # not parse while stopped in Rust code) and with or without debug info for the symbol.
    try:
        text = gdb.execute("info address " + name, to_string=True)
    except gdb.error:
        text = ""
    m = re.search(r"at address (0x[0-9a-fA-F]+)", text) or re.search(r"(0x[0-9a-fA-F]+)", text)
    if not m:
        raise gdb.GdbError(name + " not found: is this the mochi binary?")
    return int(m.group(1), 16)


class Descriptor:
    def __init__(self):
        ptr = _u64(_symbol_address("MOCHI_DEBUG"))
        if ptr == 0:
            raise gdb.GdbError("no Mochi debug descriptor: run with --jit=always --debug-info")
        (magic, version, self.value_size, self.code_start, self.code_end, self.exit_addr,
         file_ptr, file_len, nfuncs, names, nsites, sites) = HEADER.unpack(_read(ptr, HEADER.size))
        if magic != MAGIC or version != 1:
            raise gdb.GdbError("unknown Mochi debug descriptor (magic %#x, version %d)" % (magic, version))
        self.file = _string(file_ptr, file_len)
        raw = _read(names, NAME.size * nfuncs) if nfuncs else b""
        self.names = [_string(*NAME.unpack_from(raw, i * NAME.size)) for i in range(nfuncs)]
        raw = _read(sites, SITE.size * nsites) if nsites else b""
        self.sites = [SITE.unpack_from(raw, i * SITE.size) for i in range(nsites)]
        self.addrs = [s[0] for s in self.sites]

    def contains(self, pc):
        return self.code_start <= pc < self.code_end

    def site(self, pc):
        """The op whose code contains pc (None before the first op: the shims)."""
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.sites[i] if i >= 0 else None


def _stitched_frame():
    """The newest GDB frame running stitched code, and its (pc, frame pointer)."""
    d = Descriptor()
    frame = gdb.newest_frame()
    while frame is not None:
        pc = frame.pc()
        if d.contains(pc) and d.site(pc) is not None:
            return d, pc, int(frame.read_register("r12")) & 0xFFFFFFFFFFFFFFFF
        frame = frame.older()
    raise gdb.GdbError("no stitched Mochi code on the native stack")


def mochi_stack():
    """[(function name, file, line)], innermost first."""
    d, pc, fp = _stitched_frame()
    out = []
    for _ in range(100000):
        site = d.site(pc)
        if site is None:
            break
        _, func, line, _ = site
        out.append((d.names[func], d.file, line))
        ret = _u64(fp - 2 * d.value_size)
        if ret == d.exit_addr or not d.contains(ret):
            break
        caller = d.site(ret)
        if caller is None:
            break
        fp -= caller[3]
        pc = ret
    return out


class MochiBt(gdb.Command):
    """Print the Mochi call stack (functions and source lines) of stitched code."""

    def __init__(self):
        super().__init__("mochi-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        for i, (name, file, line) in enumerate(mochi_stack()):
            gdb.write("#%d  %s at %s:%d\n" % (i, name, file, line))


MochiBt()
