//! What `bumpcheck init` writes: a starter `bumpcheck.toml` with every key shown,
//! commented out, and the GitHub workflow of `examples/github-workflow.yml`.

/// The starter configuration. Every setting is commented out (uncommented, each line is
/// a valid value; a test loads it both ways).
pub const STARTER: &str = r#"# bumpcheck.toml: settings for `bumpcheck check` in this repository.
# Every key is optional; uncomment what you need. Command-line flags override
# what is set here, and `--no-config` ignores this file.

# The least severe finding that makes `bumpcheck check` exit with status 1:
# "error", "warning", "info", "hint" or "never". Default: "error".
# fail-on = "error"

# Lockfiles larger than this many MiB are refused rather than read. Default: 256.
# max-lockfile-size = 256

# Paths bumpcheck leaves alone: globs over paths relative to the repository
# root. `*` stays within a folder, `**` crosses folders, and a glob that
# matches a folder covers everything in it. Sources there are not scanned, and
# lockfiles there are not read (so their changes are not reported).
# exclude = ["testdata/", "examples/**/fixtures", "**/*.generated.ts"]

[rules]
# More rule folders, besides the built-in library (relative to this file).
# `--rules DIR` adds to these.
# dirs = ["ci/bumpcheck-rules"]

# Rules that never run, by id (`bumpcheck rules list` shows the ids).
# disable = ["node-http-req-escapes-listener"]

# A different severity for some rules: "hint", "info", "warning" or "error".
[rules.severity]
# express-5-req-param = "warning"

[notes]
# Which changed packages get release notes: "none", "direct" (direct
# dependencies and packages a rule fired for) or "all". Default: "direct".
# mode = "direct"

# Packages whose release notes are always wanted, even as transitive
# dependencies. Prefix an ecosystem where the name alone is ambiguous.
# always = ["react-dom", "cargo:tokio", "pypi:django"]

# Where release notes are fetched from, when not from your package managers'
# own configuration (.npmrc, .cargo/config.toml, pip.conf, Gemfile.lock,
# composer.json). Their environment
# variables (npm_config_registry, PIP_INDEX_URL) still take precedence.
[registries]
# npm = "https://npm.example.invalid/"
# crates = "sparse+https://crates.example.invalid/index/"
# pypi = "https://pypi.example.invalid/simple/"
# rubygems = "https://gems.example.invalid/"
# composer = "https://php.example.invalid/"

[github]
# GitHub Enterprise: the REST API release notes are read from
# (GITHUB_API_URL takes precedence).
# api-url = "https://github.example.invalid/api/v3"
# The environment variable that holds the token, tried before GITHUB_TOKEN
# and GH_TOKEN. Name the variable here, never the token itself.
# token-env = "GHE_TOKEN"
"#;

/// The GitHub workflow `bumpcheck init --github-workflow` writes.
pub const WORKFLOW: &str = include_str!("../../examples/github-workflow.yml");

/// The starter with every commented-out setting uncommented (for tests of the starter).
pub fn uncommented() -> String {
    STARTER
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if is_setting(rest) => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `key = value`: a bare key, then `=`.
fn is_setting(line: &str) -> bool {
    line.split_once(" = ").is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_starter_loads_commented_and_uncommented() {
        let empty = crate::config::parse(STARTER, "bumpcheck.toml", Path::new(".")).unwrap();
        assert!(empty.fail_on.is_none() && empty.rules.is_empty());

        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ci/bumpcheck-rules")).unwrap();
        let text = uncommented();
        let every = crate::config::parse(&text, "bumpcheck.toml", dir.path())
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(
            every.fail_on,
            Some(crate::config::FailOn::At(crate::rules::Severity::Error))
        );
        assert_eq!(every.max_lockfile_size, Some(256));
        assert_eq!(every.exclude.patterns().len(), 3);
        assert_eq!(every.rule_dirs, [dir.path().join("ci/bumpcheck-rules")]);
        assert_eq!(every.rules.disable.len(), 1);
        assert_eq!(every.rules.severity.len(), 1);
        assert_eq!(every.notes_mode, Some(crate::notes::Selection::Direct));
        assert_eq!(every.notes_always.len(), 3);
        let e = &every.endpoints;
        assert!(e.npm_registry.is_some() && e.cargo_index.is_some() && e.pypi_index.is_some());
        assert!(e.rubygems_source.is_some() && e.composer_repository.is_some());
        assert!(e.github_api_url.is_some());
        assert_eq!(e.github_token_env.as_deref(), Some("GHE_TOKEN"));
        // Every key of the file is shown: the uncommented starter sets them all.
        let settings = STARTER
            .lines()
            .filter(|l| l.strip_prefix("# ").is_some_and(is_setting))
            .count();
        assert_eq!(settings, 15);
    }
}
