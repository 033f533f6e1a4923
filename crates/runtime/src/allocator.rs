//! Options of mimalloc, the global allocator the `mochi` binary installs.
//!
//! A Mochi program's heap is freed by the collector in large batches and soon allocated
//! again. By default mimalloc *purges* freed arena memory after a delay (gives the pages back
//! to the kernel), and the next allocation there faults them in again, each 2 MB huge page
//! zeroed anew by the kernel (`clear_page_erms` was 52% of map_fill's profile). Keeping freed
//! memory committed makes the page-fault count repeatable and low (`/usr/bin/time %R`,
//! three runs: query_join_group 1,700-3,800 -> 633 faults, map_fill 362 -> 298, str_list
//! 501 -> 438) at a cost in peak memory where a purge would have returned pages before the
//! peak (query_join_group 441 -> 480 MB; map_fill, str_list, sieve unchanged). Wall time
//! follows the system time, which swings by tenths of a second run to run on this machine.

/// mimalloc's `mi_option_purge_delay`: its position in the `mi_option_t` enum of the bundled
/// mimalloc v3 (`libmimalloc-sys` does not export the constant).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Never gives freed memory back to the kernel while the program runs.
pub fn keep_freed_memory() {
    // SAFETY: setting an option is a store into mimalloc's option table, valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_we_set() {
        // SAFETY: reading and writing mimalloc's option table.
        unsafe {
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                // mimalloc v3's documented default (1000 ms) identifies the option.
                assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            }
            keep_freed_memory();
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), -1);
        }
    }
}
