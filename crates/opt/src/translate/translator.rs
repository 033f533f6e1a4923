//! The compile driver: one Cranelift function per Mochi function, its IR emitted by
//! [`FunctionEmitter`], compiled, and its machine code made position independent.

use super::{FunctionEmitter, I64, Sigs, VmView};
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{self, AbiParam, Signature, UserFuncName};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{Context, FinalizedMachReloc, FinalizedRelocTarget, control::ControlPlane};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Compiles the functions of one program.
pub(crate) struct Translator<'v, 'p> {
    vm: &'v VmView<'p>,
    /// Address of the table of native entries by function (0: none), for direct calls.
    entries: usize,
    /// Address of the table of `nparams << 32 | nslots` by function, for closure calls.
    shapes: usize,
    isa: &'v dyn TargetIsa,
    builder_ctx: FunctionBuilderContext,
    ctx: Context,
}

impl<'v, 'p> Translator<'v, 'p> {
    pub(crate) fn new(
        vm: &'v VmView<'p>,
        isa: &'v dyn TargetIsa,
        entries: usize,
        shapes: usize,
    ) -> Self {
        Translator {
            vm,
            entries,
            shapes,
            isa,
            builder_ctx: FunctionBuilderContext::new(),
            ctx: Context::new(),
        }
    }

    /// `crate::Entry`: `(frame, ctx, pc) -> status`.
    fn signature(&self) -> Signature {
        self.signature_with(4)
    }

    /// Machine code of function `fi` (position independent: its only relocations, calls of
    /// itself, are resolved here), or `None` when Cranelift rejects it (the function then
    /// runs in the lower tier). `loop_guards`: whether its loops may check, before they
    /// start, what they assume of their whole run.
    pub(crate) fn compile(&mut self, fi: u32, loop_guards: bool) -> Option<Vec<u8>> {
        self.ctx.clear();
        self.ctx.func =
            ir::Function::with_name_signature(UserFuncName::user(0, fi), self.signature());
        let helper_sig = self.signature_with(3);
        let values_equal_sig = self.signature_with(5);
        let entry_sig = self.signature();
        let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.builder_ctx);
        let helper_sig = b.import_signature(helper_sig);
        let values_equal_sig = b.import_signature(values_equal_sig);
        let entry_sig = b.import_signature(entry_sig);
        // A call of this function itself is a direct `call`, patched below (x86-64 only: the
        // one relocation kind `resolve_self_calls` knows).
        let me = cfg!(target_arch = "x86_64").then(|| {
            let name = b
                .func
                .declare_imported_user_function(ir::UserExternalName::new(0, fi));
            b.import_function(ir::ExtFuncData {
                name: ir::ExternalName::User(name),
                signature: entry_sig,
                colocated: true,
                patchable: false,
            })
        });
        let sigs = Sigs {
            helper: helper_sig,
            entry: entry_sig,
            me,
            values: values_equal_sig,
        };
        let emitter = FunctionEmitter::new(
            self.vm,
            fi,
            &mut b,
            sigs,
            self.entries,
            self.shapes,
            loop_guards,
        );
        emitter.emit();
        b.seal_all_blocks();
        b.finalize(self.isa.frontend_config());
        if std::env::var_os("MOCHI_OPT_SIZES").is_some() {
            let f = &self.vm.program.functions[fi as usize];
            eprintln!(
                "opt size f{fi}: {} ops, {} slots, {} insts, {} blocks, {} block params",
                f.code.len(),
                f.nslots,
                self.ctx.func.dfg.num_insts(),
                self.ctx.func.dfg.num_blocks(),
                (self.ctx.func.layout.blocks())
                    .map(|b| self.ctx.func.dfg.block_params(b).len())
                    .sum::<usize>()
            );
        }
        let dump = std::env::var_os("MOCHI_OPT_DUMP").map(std::path::PathBuf::from);
        if let Some(dir) = &dump {
            // The IR as emitted, before Cranelift optimizes it.
            let _ = std::fs::write(
                dir.join(format!("f{fi}.clif")),
                self.ctx.func.display().to_string(),
            );
        }
        self.ctx
            .compile(self.isa, &mut ControlPlane::default())
            .ok()?;
        if let Some(dir) = &dump {
            // The IR after Cranelift's optimizations (what it lowered).
            let _ = std::fs::write(
                dir.join(format!("f{fi}.opt.clif")),
                self.ctx.func.display().to_string(),
            );
        }
        let code = self.ctx.compiled_code()?;
        let bytes = resolve_self_calls(code.code_buffer(), code.buffer.relocs())?;
        if let Some(dir) = &dump {
            // A debugging aid: `objdump -D -b binary -m i386:x86-64 DIR/fN.bin`.
            let _ = std::fs::write(dir.join(format!("f{fi}.bin")), &bytes);
        }
        Some(bytes)
    }

    /// `extern "C" fn(i64 x n) -> i64`.
    fn signature_with(&self, n: usize) -> Signature {
        let mut sig = Signature::new(self.isa.default_call_conv());
        for _ in 0..n {
            sig.params.push(AbiParam::new(I64));
        }
        sig.returns.push(AbiParam::new(I64));
        sig
    }
}

/// The function's code with its relocations applied: each is a recursive call (the only
/// external name a function refers to), whose target is the code's own start, so the result
/// stays position independent. `None` for any other relocation (the function then stays in
/// the lower tier).
fn resolve_self_calls(code: &[u8], relocs: &[FinalizedMachReloc]) -> Option<Vec<u8>> {
    let mut bytes = code.to_vec();
    for r in relocs {
        if r.kind != Reloc::X86CallPCRel4
            || !matches!(r.target, FinalizedRelocTarget::ExternalName(_))
        {
            return None;
        }
        // `S + A - P` with S = 0 (this code's start) and P the field's offset.
        let rel = i32::try_from(r.addend - i64::from(r.offset)).ok()?;
        let at = r.offset as usize;
        bytes
            .get_mut(at..at + 4)?
            .copy_from_slice(&rel.to_le_bytes());
    }
    Some(bytes)
}
