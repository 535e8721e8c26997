//! The few lines `check --fix` prints about what it did.

use super::{FileProblem, FixRef, Mode, Outcome};
use crate::report::plural;

impl Outcome {
    /// `applied 3 fixes in 2 files`, then one line per fix skipped and per file left
    /// unchanged.
    pub fn summary(&self, mode: Mode) -> String {
        let (n, m) = (self.applied.len(), self.files.len());
        let mut out = match mode {
            Mode::Apply => format!("applied {n} fix{} in {m} file{}", es(n), plural(m)),
            Mode::DryRun => format!(
                "would apply {n} fix{} in {m} file{} (dry run: no file was changed)",
                es(n),
                plural(m)
            ),
        };
        out.push('\n');
        for s in &self.skipped {
            out.push_str(&format!(
                "  skipped {}: its edit overlaps the fix of {} on line {}\n",
                place(&s.fix),
                s.overlaps.rule,
                s.overlaps.line
            ));
        }
        let files = |out: &mut String, what: &str, problems: &[FileProblem]| {
            for p in problems {
                let fixes: Vec<String> = p
                    .fixes
                    .iter()
                    .map(|f| format!("{} (line {})", f.rule, f.line))
                    .collect();
                out.push_str(&format!(
                    "  {what} {}: {}; fixes not applied: {}\n",
                    p.path,
                    p.reason,
                    fixes.join(", ")
                ));
            }
        };
        files(&mut out, "rolled back", &self.rolled_back);
        files(&mut out, "not fixed", &self.refused);
        out
    }
}

fn place(f: &FixRef) -> String {
    format!("{} at {}:{}", f.rule, f.path, f.line)
}

fn es(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "es"
    }
}
