//! The built-in rule library end to end in every ecosystem it covers: a real git
//! repository holds a package's annotated rule fixtures as its source, a lockfile commit
//! moves that package across the rules' version windows, and `bumpcheck check` must report
//! every `ruleid:` line of the fixtures and none of the `ok:` lines. The fixtures are the
//! ones `rules test` runs, so this proves the lockfile reader, the trigger, the imports
//! scoping and the matcher agree for each ecosystem, not only for npm.

use crate::support::TestRepo;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// (rule, path, line) triples.
type Lines = BTreeSet<(String, String, u64)>;

/// The `ruleid:` and `ok:` lines of the fixture files under `dir`, as (rule, path in the
/// repository, target line): the target is the next line that is neither blank nor an
/// annotation.
fn annotations(dir: &Path, dest: &str) -> (Lines, Lines) {
    let (mut must, mut must_not) = (Lines::new(), Lines::new());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some((report, ids)) = annotation(line) else {
                continue;
            };
            let target = (i + 1..lines.len())
                .find(|&j| !lines[j].trim().is_empty() && annotation(lines[j]).is_none())
                .expect("an annotation before a line of code");
            for id in ids {
                let row = (id, format!("{dest}/{name}"), target as u64 + 1);
                if report {
                    must.insert(row);
                } else {
                    must_not.insert(row);
                }
            }
        }
    }
    (must, must_not)
}

fn annotation(line: &str) -> Option<(bool, Vec<String>)> {
    let t = line.trim_start();
    let body = ["//", "/*", "#"]
        .iter()
        .find_map(|c| t.strip_prefix(c))?
        .trim_start();
    let (report, rest) = match body.strip_prefix("ruleid:") {
        Some(r) => (true, r),
        None => (false, body.strip_prefix("ok:")?),
    };
    let ids = rest
        .trim_end_matches("*/")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Some((report, ids))
}

/// Commits `lockfile` (before), then the fixtures of `package_dir` under `src/` with the
/// lockfile moved to `after`, and checks `bumpcheck check` between the two commits.
fn assert_fixtures_reported(
    package_dir: &str,
    lockfile: &str,
    before: &str,
    after: &str,
    extra: &[(&str, &str)],
) {
    let repo = TestRepo::new();
    for (path, text) in extra {
        repo.write(path, text);
    }
    repo.write(lockfile, before);
    let base = repo.commit("before");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules/fixtures")
        .join(package_dir);
    crate::support::copy_dir(&fixtures, &repo.path().join("src"));
    repo.write(lockfile, after);
    let head = repo.commit("upgrade");

    let (_, report) = repo.check_json(&["--base", &base, "--head", &head, "--notes", "none"]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    let found: Lines = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f: &Value| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let (must, must_not) = annotations(&fixtures, "src");
    let missing: Vec<_> = must.difference(&found).collect();
    assert!(
        missing.is_empty(),
        "{package_dir}: not reported: {missing:#?}\n{report:#}"
    );
    let noisy: Vec<_> = must_not.intersection(&found).collect();
    assert!(
        noisy.is_empty(),
        "{package_dir}: reported on ok: lines: {noisy:#?}"
    );
    // Every finding is one the fixtures expect: nothing else in them is reported.
    let unexpected: Vec<_> = found.difference(&must).collect();
    assert!(
        unexpected.is_empty(),
        "{package_dir}: unexpected findings: {unexpected:#?}"
    );
}

fn cargo_lock(rand: &str) -> String {
    format!(
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"rand\",\n]\n\n\
         [[package]]\nname = \"rand\"\nversion = \"{rand}\"\n\
         source = \"sparse+https://registry.example.invalid/index/\"\n"
    )
}

#[test]
fn crates_rand_0_8_to_0_9() {
    assert_fixtures_reported(
        "cargo/rand",
        "Cargo.lock",
        &cargo_lock("0.8.5"),
        &cargo_lock("0.9.0"),
        &[(
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nrand = \"0.9\"\n",
        )],
    );
}

/// The Rails gems the rules are keyed to (Active Record, Active Support, Railties) move
/// with `rails` itself, as in a real Gemfile.lock.
fn gemfile_lock(rails: &str) -> String {
    let specs: String = ["activerecord", "activesupport", "rails", "railties"]
        .iter()
        .map(|g| format!("    {g} ({rails})\n"))
        .collect();
    format!(
        "GEM\n  remote: https://gems.example.invalid/\n  specs:\n{specs}\n\
         PLATFORMS\n  ruby\n\nDEPENDENCIES\n  rails\n\nBUNDLED WITH\n   2.5.0\n"
    )
}

#[test]
fn rubygems_rails_6_to_7_2() {
    assert_fixtures_reported(
        "rubygems/rails",
        "Gemfile.lock",
        &gemfile_lock("6.0.6"),
        &gemfile_lock("7.2.1"),
        &[],
    );
}

fn composer_lock(version: &str) -> String {
    format!(
        "{{\n  \"content-hash\": \"0\",\n  \"packages\": [\n    {{\"name\": \"laravel/framework\", \"version\": \"{version}\"}}\n  ],\n  \"packages-dev\": []\n}}\n"
    )
}

#[test]
fn packagist_laravel_8_to_11() {
    assert_fixtures_reported(
        "packagist/laravel",
        "composer.lock",
        &composer_lock("v8.83.27"),
        &composer_lock("v11.9.2"),
        &[(
            "composer.json",
            "{\"require\": {\"laravel/framework\": \"^11.0\"}}\n",
        )],
    );
}

#[test]
fn go_jwt_v4_to_v5() {
    // A new major is a new module path: v5 is added, v4 removed.
    assert_fixtures_reported(
        "go/jwt",
        "go.mod",
        "module example.com/app\n\ngo 1.22\n\nrequire github.com/golang-jwt/jwt/v4 v4.5.0\n",
        "module example.com/app\n\ngo 1.22\n\nrequire github.com/golang-jwt/jwt/v5 v5.2.1\n",
        &[],
    );
}

#[test]
fn pypi_pydantic_1_to_2() {
    assert_fixtures_reported(
        "pypi/pydantic",
        "requirements.txt",
        "pydantic==1.10.13\n",
        "pydantic==2.7.1\n",
        &[],
    );
}

fn package_lock(mongoose: &str) -> String {
    format!(
        "{{\n  \"name\": \"app\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {{\n    \"\": {{\"name\": \"app\", \"dependencies\": {{\"mongoose\": \"*\"}}}},\n    \"node_modules/mongoose\": {{\"version\": \"{mongoose}\", \"resolved\": \"https://registry.example.invalid/mongoose/-/mongoose-{mongoose}.tgz\"}}\n  }}\n}}\n"
    )
}

#[test]
fn npm_mongoose_5_to_8() {
    assert_fixtures_reported(
        "npm/mongoose",
        "package-lock.json",
        &package_lock("5.13.22"),
        &package_lock("8.4.0"),
        &[(
            "package.json",
            "{\"name\": \"app\", \"dependencies\": {\"mongoose\": \"*\"}}\n",
        )],
    );
}
