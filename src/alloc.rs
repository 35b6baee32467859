//! The global allocator of the `readout` binary and benches: mimalloc,
//! entered by its plain `mi_malloc` for the usual layouts.
//!
//! The `mimalloc` crate's `MiMalloc` passes every allocation to
//! `mi_malloc_aligned`, which takes a slower path whenever its free list is
//! empty (and always for sizes over 1 KiB that are not a power of two).
//! Every mimalloc block is aligned to at least a machine word, so a layout
//! whose alignment is at most a word (and at most its size) needs nothing
//! more than `mi_malloc`; any other layout still goes to `MiMalloc`.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as sys;

/// mimalloc, with the plain entry points where the alignment allows.
pub struct Allocator;

/// The alignment every mimalloc block has: a machine word.
const WORD: usize = std::mem::size_of::<usize>();

#[inline]
fn plain(align: usize, size: usize) -> bool {
    align <= WORD && align <= size
}

// SAFETY: every block comes from mimalloc and is freed by `mi_free`, which
// takes blocks of both entry points; `plain` layouts ask for no more
// alignment than mimalloc gives every block.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            // SAFETY: a non-zero size (align >= 1 and align <= size)
            unsafe { sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded with the caller's promises
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            // SAFETY: as in `alloc`
            unsafe { sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded with the caller's promises
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc
        unsafe { sys::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            // SAFETY: `ptr` came from mimalloc; the new block needs no more
            // alignment than every block has
            unsafe { sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast() }
        } else {
            // SAFETY: forwarded with the caller's promises
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_asked_for_and_keep_their_contents() {
        let a = Allocator;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 3, 8, 24, 40, 1000, 1500, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; each block freed once, by us
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xab, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "realloc size {size} align {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xab));
                    a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
