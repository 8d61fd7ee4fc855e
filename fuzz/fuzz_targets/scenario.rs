//! Fuzzes `pmmsim::fuzzing::scenario`: any bytes give success or a clean input error, never
//! a panic, an internal error, a hang or unbounded memory.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let result = pmmsim::fuzzing::scenario(data);
    assert!(pmmsim::fuzzing::is_clean(&result), "{:?}", result);
});
