// Rejected: thread-local storage relocations have no hole kind.
#include "stencil.h"

extern _Thread_local int64_t tls_counter;

STENCIL {
    SLOT(_JIT_SLOT_D) = tls_counter;
    CONTINUE();
}
