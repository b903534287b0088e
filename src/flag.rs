//! [`raised`]: a thread's flag set for the length of one call.

use std::cell::Cell;
use std::thread::LocalKey;

/// Runs `run` with `flag` set on this thread, and puts it back as it was afterwards, even if
/// `run` unwinds: a call inside another that raised the flag leaves it raised.
pub(crate) fn raised<R>(flag: &'static LocalKey<Cell<bool>>, run: impl FnOnce() -> R) -> R {
    struct Restore(&'static LocalKey<Cell<bool>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            self.0.with(|flag| flag.set(self.1));
        }
    }
    let _restore = Restore(flag, flag.with(|flag| flag.replace(true)));
    run()
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static FLAG: Cell<bool> = const { Cell::new(false) };
    }

    #[test]
    fn a_flag_is_raised_for_the_call_and_put_back_after_it() {
        let get = || FLAG.with(Cell::get);
        assert!(!get());
        let inside = raised(&FLAG, || (get(), raised(&FLAG, get), get()));
        assert_eq!(inside, (true, true, true), "nested calls leave it raised");
        assert!(!get());
        let unwound = std::panic::catch_unwind(|| raised(&FLAG, || panic!("stop")));
        assert!(unwound.is_err());
        assert!(!get(), "put back when the call unwinds");
    }
}
