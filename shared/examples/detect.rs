//! Tracking-number detection from the shell: one number per line on stdin, one JSON line per
//! input on stdout, exactly as `POST /v1/detect` returns each entry.
//!
//! ```sh
//! printf '1Z5R89390357567127\nRR123456785CN\n' | cargo run --release -p waypost-shared --example detect
//! ```

use std::io::{BufRead, BufWriter, Write};

use waypost_shared::detect::detect_outcome;

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        serde_json::to_writer(&mut out, &detect_outcome(&line))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
