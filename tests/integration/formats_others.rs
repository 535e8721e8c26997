//! go.mod, Gemfile.lock, composer.lock, packages.lock.json, gradle.lockfile, pubspec.lock and
//! mix.lock: hand-written fixtures (testdata/<eco>/) diffed in real git repositories and
//! compared with the package managers' own readings recorded beside them (oracle-*.json, see
//! testdata/README.md), and the real-world files of ../shared/lockfile-corpus checked
//! against the changes their SOURCE.md states.

use crate::support::{copy_dir, name_version_set, packages_of, testdata, TestRepo};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `bumpcheck diff --format json` between a commit holding `before` and one holding `after`
/// (each a folder copied to the repository root).
fn diff_dirs(before: &Path, after: &Path) -> Value {
    let repo = TestRepo::new();
    copy_dir(before, repo.path());
    let base = repo.commit("before");
    repo.git(&["rm", "-r", "-q", "."]);
    copy_dir(after, repo.path());
    let head = repo.commit("after");
    let report = repo.diff_json(&base, &head);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    report
}

/// "name from -> to kind direct" for every change.
fn changes(report: &Value) -> Vec<String> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let v = |v: &Value| v.as_str().unwrap_or("-").to_string();
            format!(
                "{} {} -> {} {} {}",
                v(&c["name"]),
                v(&c["from"]),
                v(&c["to"]),
                v(&c["kind"]),
                if c["direct"] == true {
                    "direct"
                } else {
                    "transitive"
                }
            )
        })
        .collect()
}

/// The (name, version) set `bumpcheck packages` reads from a lockfile on disk.
fn package_set(lockfile: &Path) -> BTreeSet<(String, String)> {
    packages_of(lockfile)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A fixture's before/after diff agrees with its oracle readings: the same package sets,
/// and each change is direct exactly when the oracle names it direct at either revision.
fn check_against_oracle(fixture: &str) -> Value {
    let dir = testdata(fixture);
    let mut direct = BTreeSet::new();
    for rev in ["before", "after"] {
        let oracle = read_json(&dir.join(format!("oracle-{rev}.json")));
        let lockfile = dir.join(rev).join(oracle["lockfile"].as_str().unwrap());
        let theirs = name_version_set(&oracle["packages"]);
        assert_eq!(package_set(&lockfile), theirs, "{fixture}/{rev}");
        direct.extend(
            oracle["direct"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string()),
        );
    }
    let report = diff_dirs(&dir.join("before"), &dir.join("after"));
    for c in report["changes"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        assert_eq!(
            c["direct"].as_bool().unwrap(),
            direct.contains(name),
            "{fixture}: direct flag of {name}"
        );
    }
    report
}

/// What a corpus SOURCE.md states: package counts and example version changes.
struct Stated {
    before: usize,
    after: usize,
    changed: usize,
    added: usize,
    removed: usize,
    examples: Vec<(String, String, String)>,
}

fn stated(source_md: &str) -> Stated {
    let counts = source_md
        .lines()
        .find_map(|l| l.strip_prefix("Lockfile packages (parsed): "))
        .expect("a counts line");
    let numbers: Vec<usize> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let examples = source_md
        .lines()
        .skip_while(|l| !l.starts_with("Example version changes"))
        .skip(1)
        .map_while(|l| l.strip_prefix("- "))
        .map(|l| {
            let (name, change) = l.rsplit_once(": ").unwrap();
            let (from, to) = change.split_once(" -> ").unwrap();
            (name.into(), from.into(), to.into())
        })
        .collect();
    Stated {
        before: numbers[0],
        after: numbers[1],
        changed: numbers[2],
        added: numbers[3],
        removed: numbers[4],
        examples,
    }
}

fn corpus(case: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/lockfile-corpus")
        .join(case);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

/// How a SOURCE.md counts a lockfile's packages.
#[derive(Clone, Copy, PartialEq)]
enum Count {
    /// Distinct (name, version) pairs.
    Versions,
    /// Distinct names (several versions of one module counted once).
    Names,
}

/// A corpus case read and diffed as its SOURCE.md states: the package counts, the number of
/// changed, added and removed packages, and every example change.
fn check_corpus(case: &str, lockfile: &str, count: Count) -> Option<Value> {
    let dir = corpus(case)?;
    let s = stated(&std::fs::read_to_string(dir.join("SOURCE.md")).unwrap());
    for (rev, expected) in [("before", s.before), ("after", s.after)] {
        let set = package_set(&dir.join(rev).join(lockfile));
        let n = match count {
            Count::Versions => set.len(),
            Count::Names => set.iter().map(|(n, _)| n).collect::<BTreeSet<_>>().len(),
        };
        assert_eq!(n, expected, "{case} {rev}");
    }
    let report = diff_dirs(&dir.join("before"), &dir.join("after"));
    let all = report["changes"].as_array().unwrap();
    let count = |kind: &str| all.iter().filter(|c| c["kind"] == kind).count();
    assert_eq!(count("added"), s.added, "{case}: {:#?}", changes(&report));
    assert_eq!(
        count("removed"),
        s.removed,
        "{case}: {:#?}",
        changes(&report)
    );
    assert_eq!(
        all.len() - s.added - s.removed,
        s.changed,
        "{case}: {:#?}",
        changes(&report)
    );
    for (name, from, to) in &s.examples {
        let c = all
            .iter()
            .find(|c| c["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{case}: no change for {name}"));
        assert_eq!(
            (c["from"].as_str(), c["to"].as_str()),
            (Some(&**from), Some(&**to))
        );
        assert_eq!(c["lockfile"], lockfile);
    }
    Some(report)
}

/// `check_corpus`, and the change `line` (as `changes` writes it) is among the changes.
fn check_corpus_with(case: &str, lockfile: &str, count: Count, line: &str) {
    if let Some(report) = check_corpus(case, lockfile, count) {
        assert!(
            changes(&report).iter().any(|c| c == line),
            "{case}: no `{line}` in {:#?}",
            changes(&report)
        );
    }
}

#[test]
fn go_fixture_matches_go_list() {
    let report = check_against_oracle("go/service");
    assert_eq!(
        changes(&report),
        [
            "github.com/dgrijalva/jwt-go v3.2.0+incompatible -> v3.2.1+incompatible patch transitive",
            "github.com/go-chi/chi/v5 v5.0.10 -> v5.0.11 patch direct",
            "github.com/golang/protobuf v1.5.3 -> - removed transitive",
            "github.com/google/uuid v1.3.0 -> v1.6.0 minor direct",
            // The fork's replace dropped while bumping: one upgrade of the imported module.
            "github.com/sirupsen/logrus v1.9.1-0.20230601120000-1a2b3c4d5e6f -> v1.9.3 patch direct",
            "github.com/stretchr/testify - -> v1.8.4 added transitive",
            "golang.org/x/sync v0.3.0 -> v0.6.0 minor direct",
            "golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 -> v0.0.0-20231006140011-7918f672742d prerelease transitive",
        ]
    );
    // go.sum is a companion of go.mod, not a lockfile of its own.
    assert!(report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["lockfile"] == "go.mod" && c["ecosystem"] == "go"));
}

#[test]
fn go_corpus_matches_source_md() {
    check_corpus_with(
        "go-mod-sum/google__osv-scanner",
        "go.mod",
        Count::Versions,
        "github.com/modelcontextprotocol/go-sdk v1.6.0 -> v1.6.1 patch direct",
    );
}

#[test]
fn ruby_fixture_matches_bundler() {
    let report = check_against_oracle("ruby/webapp");
    assert_eq!(
        changes(&report),
        [
            "actionpack 7.0.8 -> 7.1.3 minor transitive",
            "activesupport 7.0.8 -> 7.1.3 minor transitive",
            "base64 - -> 0.2.0 added transitive",
            "concurrent-ruby 1.2.2 -> 1.2.3 patch transitive",
            "nokogiri 1.15.4 -> 1.16.2 minor direct",
            "pundit 2.3.1 -> 2.4.0 minor direct",
            "racc 1.7.1 -> 1.7.3 patch transitive",
            "rack 2.2.8 -> 3.0.9.1 major transitive",
            "rack-attack - -> 6.8.0.pre added direct",
            "rails 7.0.8 -> 7.1.3 minor direct",
            "rspec-core 3.12.2 -> - removed transitive",
            "rspec-rails 6.0.3 -> - removed direct",
            "rspec-support 3.12.1 -> - removed transitive",
        ]
    );
}

#[test]
fn ruby_corpus_matches_source_md() {
    check_corpus(
        "gemfile-lock/google__osv-scanner",
        "Gemfile.lock",
        Count::Versions,
    );
    check_corpus_with(
        "gemfile-lock/lobsters__lobsters",
        "Gemfile.lock",
        Count::Versions,
        "oauth 1.1.2 -> 1.1.8 patch direct",
    );
}

#[test]
fn php_fixture_matches_composer_show() {
    let report = check_against_oracle("php/webapp");
    assert_eq!(
        changes(&report),
        [
            "acme/legacy-sdk dev-master#ed5ec75 -> dev-master#86ac151 other direct",
            "guzzlehttp/guzzle 7.8.0 -> 7.8.1 patch direct",
            "guzzlehttp/psr7 2.6.1 -> 2.6.2 patch transitive",
            "monolog/monolog 2.9.2 -> 3.5.0 major direct",
            "phpunit/phpunit 10.4.2 -> 10.5.0-RC1 minor direct",
            "psr/http-message 1.1 -> 2.0 major transitive",
            "symfony/console v6.3.4 -> v6.4.0 minor direct",
            "symfony/string - -> v6.4.0 added transitive",
        ]
    );
}

#[test]
fn php_corpus_matches_source_md() {
    check_corpus_with(
        "composer-lock/symfony__demo",
        "composer.lock",
        Count::Versions,
        "doctrine/doctrine-bundle 2.8.3 -> 2.9.0 minor direct",
    );
}

#[test]
fn nuget_fixture_matches_second_reader() {
    let report = check_against_oracle("nuget/webapi");
    assert_eq!(
        changes(&report),
        [
            "Serilog 3.0.1 -> 3.1.1 minor direct",
            "Serilog.Sinks.Console 4.1.0 -> 5.0.1 major direct",
            "System.Diagnostics.DiagnosticSource 8.0.0 -> 8.0.1 patch transitive",
            "System.IO.Pipelines - -> 8.0.0 added transitive",
            "System.Text.Json 8.0.0 -> 8.0.4 patch transitive",
        ]
    );
    // Resolved at one version per target framework (net6.0, net8.0).
    let c = crate::support::change(&report, "System.Diagnostics.DiagnosticSource");
    assert_eq!(c["from_all"], serde_json::json!(["6.0.0", "8.0.0"]));
    assert_eq!(c["to_all"], serde_json::json!(["6.0.1", "8.0.1"]));
}

#[test]
fn nuget_corpus_matches_source_md() {
    check_corpus_with(
        "nuget-packages-lock/stryker-mutator__stryker-net",
        "packages.lock.json",
        Count::Versions,
        "System.Collections.Immutable 9.0.0 -> 10.0.1 major transitive",
    );
}

#[test]
fn gradle_fixture_matches_second_reader() {
    let report = check_against_oracle("gradle/service");
    assert_eq!(
        changes(&report),
        [
            "ch.qos.logback:logback-classic 1.4.14 -> 1.5.3 minor transitive",
            "ch.qos.logback:logback-core 1.4.14 -> 1.5.3 minor transitive",
            "com.fasterxml.jackson.core:jackson-core 2.15.3 -> 2.17.0 minor transitive",
            "com.google.code.findbugs:jsr305 3.0.2 -> - removed transitive",
            "com.google.guava:failureaccess 1.0.1 -> 1.0.2 patch transitive",
            "com.google.guava:guava 32.1.3-jre -> 33.1.0-jre major transitive",
            "io.kotest:kotest-assertions-core 5.8.0 -> 5.8.1 patch transitive",
            "io.kotest:kotest-runner-junit5-jvm 5.8.0 -> 5.8.1 patch transitive",
            "org.checkerframework:checker-qual - -> 3.42.0 added transitive",
            "org.jetbrains.kotlin:kotlin-stdlib 1.9.22 -> 2.0.0-RC1 major transitive",
            "org.slf4j:slf4j-api 2.0.9 -> 2.0.12 patch transitive",
        ]
    );
    // One module locked at two versions (detekt's classpath and the build's).
    let c = crate::support::change(&report, "com.fasterxml.jackson.core:jackson-core");
    assert_eq!(c["from_all"], serde_json::json!(["2.12.7", "2.15.3"]));
    assert_eq!(c["to_all"], serde_json::json!(["2.12.7", "2.17.0"]));
}

#[test]
fn gradle_corpus_matches_source_md() {
    // SOURCE.md counts modules (group:artifact); bumpcheck keeps every locked version of
    // a module (324 (module, version) lines before and after for 267 modules).
    check_corpus_with(
        "gradle-lockfile/DanySK__Template-for-Kotlin-JVM-Projects",
        "gradle.lockfile",
        Count::Names,
        "io.kotest:kotest-common 6.2.1 -> 6.2.2 patch transitive",
    );
}

#[test]
fn pub_fixture_matches_second_reader() {
    let report = check_against_oracle("pub/app");
    // Not reported: `core` (a path package of the project), flutter/flutter_test (sdk).
    assert_eq!(
        changes(&report),
        [
            "collection 1.17.1 -> 1.18.0 minor transitive",
            "flutter_lints 2.0.3 -> 3.0.1 major direct",
            "http 0.13.6 -> 1.1.0 major direct",
            "lints 2.1.1 -> 3.0.0 major transitive",
            "meta 1.9.1 -> 1.10.0 minor transitive",
            "provider 6.0.5 -> 6.1.1 minor direct",
            "pubspec_tools 0.0.0 -> 0.1.0-dev.1 minor direct",
            "web - -> 0.3.0 added transitive",
        ]
    );
}

#[test]
fn pub_corpus_matches_source_md() {
    check_corpus_with(
        "pubspec-lock/dependabot__dependabot-core",
        "pubspec.lock",
        Count::Versions,
        "http 0.13.6 -> 1.0.0 major direct",
    );
}

#[test]
fn mix_fixture_matches_mix() {
    let report = check_against_oracle("hex/phoenix_app");
    assert_eq!(
        changes(&report),
        [
            "acme_auth 4a1b2c3d4e5f60718293a4b5c6d7e8f901234567 -> 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 other direct",
            "phoenix 1.7.10 -> 1.7.12 patch direct",
            "plug 1.15.2 -> 1.16.0 minor transitive",
            "plug_crypto 2.0.0 -> 2.1.0 minor transitive",
            "req - -> 0.5.0-rc.1 added direct",
            "ssl_verify_fun 1.1.7 -> - removed transitive",
            "websock - -> 0.5.3 added transitive",
            "websock_adapter - -> 0.5.6 added transitive",
        ]
    );
}

#[test]
fn mix_corpus_matches_source_md() {
    check_corpus_with(
        "mix-lock/wojtekmach__req",
        "mix.lock",
        Count::Versions,
        "bandit 1.5.0 -> 1.6.1 minor direct",
    );
    // hpax is only a dependency of bandit and mint; mix.exs's deps do not name it.
    check_corpus_with(
        "mix-lock/wojtekmach__req",
        "mix.lock",
        Count::Versions,
        "hpax 0.1.2 -> 1.0.1 major transitive",
    );
}
