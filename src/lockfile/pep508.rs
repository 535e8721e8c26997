//! Python package names: PEP 503 normalisation, and the name at the start of a PEP 508
//! requirement string (`Flask[async] >=2; python_version < "3.11"`).

/// `Foo.Bar_baz` -> `foo-bar-baz`: lowercase, every run of `-`, `_` and `.` becomes `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// The length in bytes of the name at the start of `s` (letters, digits, `-_.`, starting
/// with a letter or digit); 0 when `s` does not start with a name.
pub fn name_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(s.len())
}

/// The normalised name a requirement string starts with; `None` for what is not a named
/// requirement (a path, a URL, an option such as `-e .`).
pub fn requirement_name(requirement: &str) -> Option<String> {
    let s = requirement.trim_start();
    let len = name_len(s);
    if len == 0 {
        return None;
    }
    let rest = s[len..].trim_start();
    // `./pkg` or `pkg/sub` or `file:...` are paths and URLs, not names.
    if rest.starts_with(['/', ':', '\\']) {
        return None;
    }
    Some(normalize(&s[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_reads_names() {
        assert_eq!(normalize("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(
            requirement_name("Flask[async]>=2; python_version<'3.11'").as_deref(),
            Some("flask")
        );
        assert_eq!(
            requirement_name("typing_extensions ==4.0").as_deref(),
            Some("typing-extensions")
        );
        assert_eq!(
            requirement_name("pkg @ https://example.invalid/p.whl").as_deref(),
            Some("pkg")
        );
        assert_eq!(requirement_name("-e ."), None);
        assert_eq!(requirement_name("./local"), None);
        assert_eq!(requirement_name("file:///x"), None);
        assert_eq!(name_len("é"), 0);
    }
}
