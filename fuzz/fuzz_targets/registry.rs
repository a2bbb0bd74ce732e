//! Arbitrary bytes as a registry file: loading never panics, and a registry that
//! loads and passes the glyph check renders both outputs (or is refused with a
//! located problem, e.g. a town named like the template's participation sheet).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shiryo::Error;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(registry) = shiryo::registry::parse("fuzz.yaml".as_ref(), text) {
        let job = shiryo::Job::new(Default::default()).unwrap();
        if job.check(&registry).is_ok() && registry.project_count() < 200 {
            for result in [job.pdf(&registry), job.xlsx(&registry)] {
                match result {
                    Ok(_) | Err(Error::Invalid { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }
});
