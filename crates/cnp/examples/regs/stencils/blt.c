// blt a b label: jump to the label if a < b
#include "regs.h"

STENCIL {
    if (REG(_JIT_A) < REG(_JIT_B)) {
        __attribute__((musttail)) return _JIT_TARGET(frame);
    }
    CONTINUE();
}
