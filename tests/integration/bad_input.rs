//! The bad-input matrix: every lockfile format's testdata file, corrupted each way a
//! hostile or broken commit can (cut short, binary, empty, another format, nested deep, a
//! 1 MB line, invalid UTF-8, versions of odd types, repeated keys), committed in a real
//! repository beside a good lockfile in another folder. Whatever the input: no panic, the
//! good lockfile's changes are still reported, the exit code follows --fail-on (2 only
//! when nothing could be read), and each refused file is named, with its revision and the
//! position, in the report's errors.
//!
//! One repository and two runs (the corruption at the head, then at the base) per kind of
//! corruption, each holding every format's corrupt file, keep it to a few dozen processes.

use crate::support::{errors_about, testdata, TestRepo};
use serde_json::Value;

/// How a format's files are written, which decides what a corruption of each kind is.
#[derive(Clone, Copy, PartialEq)]
enum Syntax {
    Json,
    Yaml,
    Toml,
    /// An Elixir map literal.
    Mix,
    /// One entry per line (yarn 1, Gemfile.lock, go.mod, requirements, gradle).
    Lines,
}

/// One format: its file name, a real file of it, and how it is written.
struct Sample {
    name: &'static str,
    fixture: &'static str,
    syntax: Syntax,
}

const SAMPLES: &[Sample] = &[
    sample("package-lock.json", "npm/express-app/v4.21.2", Syntax::Json),
    sample("npm-shrinkwrap.json", "npm/shrinkwrap/before", Syntax::Json),
    sample("yarn.lock", "yarn/classic-app/before", Syntax::Lines),
    sample("yarn.lock", "yarn/berry-app/before", Syntax::Yaml),
    sample("pnpm-lock.yaml", "pnpm/v9/app/before", Syntax::Yaml),
    sample("pnpm-lock.yaml", "pnpm/v5/app/before", Syntax::Yaml),
    sample("bun.lock", "bun/app/before", Syntax::Json),
    sample("Cargo.lock", "cargo/workspace/before", Syntax::Toml),
    sample("poetry.lock", "pypi/poetry/before", Syntax::Toml),
    sample("uv.lock", "pypi/uv-workspace/before", Syntax::Toml),
    sample("Pipfile.lock", "pypi/pipenv/before", Syntax::Json),
    sample("pdm.lock", "pypi/pdm/before", Syntax::Toml),
    sample("requirements.txt", "pypi/pip-compile/before", Syntax::Lines),
    sample("go.mod", "go/service/before", Syntax::Lines),
    sample("Gemfile.lock", "ruby/webapp/before", Syntax::Lines),
    sample("composer.lock", "php/webapp/before", Syntax::Json),
    sample("packages.lock.json", "nuget/webapi/before", Syntax::Json),
    sample("gradle.lockfile", "gradle/service/before", Syntax::Lines),
    sample("pubspec.lock", "pub/app/before", Syntax::Yaml),
    sample("mix.lock", "hex/phoenix_app/before", Syntax::Mix),
];

const fn sample(name: &'static str, fixture: &'static str, syntax: Syntax) -> Sample {
    Sample {
        name,
        fixture,
        syntax,
    }
}

impl Sample {
    fn bytes(&self) -> Vec<u8> {
        std::fs::read(testdata(&format!("{}/{}", self.fixture, self.name))).unwrap()
    }
}

/// What a corrupt file must give.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// An error naming the file, its revision and a position.
    Error,
    /// Either that, or the file reads (the package manager would read it too: a
    /// requirements file cut at a line end, repeated keys where the last one wins).
    ErrorOrRead,
}

/// A corruption of one sample: the corrupt files, and what each must give.
type Corrupt = fn(&Sample, Vec<u8>) -> Vec<(Vec<u8>, Expect)>;

/// Line-based formats read any prefix cut at a line end as a shorter file.
fn structured(s: &Sample) -> Expect {
    if s.syntax == Syntax::Lines {
        Expect::ErrorOrRead
    } else {
        Expect::Error
    }
}

/// Cuts at a third, half and nine tenths of the file. A YAML, TOML, JSON or mix.lock file
/// is cut just after the next opening of a quoted string or a flow collection, where the
/// reader must see that it ends early: cut between entries, YAML and TOML read as a
/// shorter file in every reader, the package managers' too. Line-based files may read
/// either way.
fn truncated(s: &Sample, bytes: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    [bytes.len() / 3, bytes.len() / 2, bytes.len() * 9 / 10]
        .into_iter()
        .map(|at| {
            let opening = ["\": \"", ": \"", "= \"", ", \"", "{"]
                .iter()
                .filter_map(|o| find(&bytes[at..], o.as_bytes()).map(|i| at + i + o.len()))
                .min();
            let cut = match (s.syntax, opening) {
                (Syntax::Lines, _) | (_, None) => at,
                (_, Some(end)) => end,
            };
            (bytes[..cut].to_vec(), structured(s))
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn binary(_: &Sample, _: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    // A fixed pseudo-random sequence: no test depends on chance.
    let mut x: u32 = 0x2545_f491;
    let garbage = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    vec![(garbage, Expect::Error)]
}

fn empty(s: &Sample, _: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    let expect = if s.name == "requirements.txt" {
        Expect::ErrorOrRead
    } else {
        Expect::Error
    };
    vec![(Vec::new(), expect), (b" \n\n  \n".to_vec(), expect)]
}

fn other_format(s: &Sample, _: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    // A JSON lockfile where YAML, TOML or lines belong, and a YAML one in place of JSON.
    let other = if s.syntax == Syntax::Json {
        &SAMPLES[4]
    } else {
        &SAMPLES[0]
    };
    vec![(other.bytes(), Expect::Error)]
}

fn deep(s: &Sample, _: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    let (head, open) = match s.syntax {
        Syntax::Json => ("{\"a\": ", "[{\"a\": "),
        Syntax::Yaml => ("a: ", "[{a: "),
        Syntax::Toml => ("a = ", "[{a = "),
        Syntax::Mix => ("%{\"a\" => ", "[{"),
        Syntax::Lines => ("", "(["),
    };
    let text = format!("{head}{}", open.repeat(60_000));
    vec![(text.into_bytes(), structured(s))]
}

fn huge_line(s: &Sample, bytes: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    let mut text = "x".repeat(1 << 20).into_bytes();
    text.push(b'\n');
    text.extend(bytes);
    // A line-based reader may take the line for a directive of its own, as a newer tool's.
    vec![(text, structured(s))]
}

fn bad_byte(_: &Sample, mut bytes: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    let middle = bytes.len() / 2;
    bytes[middle] = 0xff;
    vec![(bytes, Expect::Error)]
}

/// The first version in the file made something no version is: a number, a list, a
/// control character, a run of parentheses.
fn odd_version(s: &Sample, bytes: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    let text = String::from_utf8(bytes).unwrap();
    // Past the project's own entry, to a package's.
    let packages = |anchor: &str| text.find(anchor).unwrap_or_else(|| panic!("no {anchor}"));
    let replaced = match (s.syntax, s.name) {
        (Syntax::Json, "bun.lock") => {
            let at = packages("\"packages\"");
            format!(
                "{}{}",
                &text[..at],
                replace_value(&text[at..], "[", ",", "{}")
            )
        }
        (Syntax::Json, "packages.lock.json") => replace_value(&text, "\"resolved\": ", ",", "[1]"),
        (Syntax::Json, "Pipfile.lock" | "composer.lock") => {
            replace_value(&text, "\"version\": ", ",", "12")
        }
        (Syntax::Json, _) => {
            let at = packages("\"node_modules/");
            let rest = replace_value(&text[at..], "\"version\": ", ",", "12");
            format!("{}{rest}", &text[..at])
        }
        // pnpm 9 writes versions in the keys of `packages`: a control character in one.
        (Syntax::Yaml, "pnpm-lock.yaml") if text.contains("lockfileVersion: '9") => {
            let at = packages("\npackages:");
            let rest = replace_value(&text[at..], "@", "", "\u{7}");
            format!("{}{rest}", &text[..at])
        }
        (Syntax::Yaml, _) => replace_value(&text, "version: ", "\n", "[1, {a: b}]"),
        (Syntax::Toml, _) => {
            let at = packages("[[package]]");
            let rest = replace_value(&text[at..], "\nversion = ", "\n", "1");
            format!("{}{rest}", &text[..at])
        }
        (Syntax::Mix, _) => {
            let at = packages("{:hex");
            let rest = replace_value(&text[at..], ", \"", "\"", "\\x00");
            format!("{}{rest}", &text[..at])
        }
        (Syntax::Lines, "Gemfile.lock") => {
            replace_value(&text, "\n    rack (", ")", &"(".repeat(100_000))
        }
        (Syntax::Lines, "go.mod") => replace_value(&text, "\tgithub.com/", "\n", "x \u{7}v1"),
        (Syntax::Lines, "gradle.lockfile") => replace_value(&text, ":", "=", "\u{1}"),
        (Syntax::Lines, "requirements.txt") => replace_value(&text, "==", " ", "1.0\u{1b}[2J"),
        (Syntax::Lines, _) => replace_value(&text, "version \"", "\"", "1.0\u{0}"),
    };
    vec![(replaced.into_bytes(), Expect::Error)]
}

/// `text` with the value between the first `before` and the next `after` replaced; the
/// sample must hold them.
fn replace_value(text: &str, before: &str, after: &str, value: &str) -> String {
    let start = text.find(before).unwrap_or_else(|| panic!("no {before:?}")) + before.len();
    let end = start
        + text[start..]
            .find(after)
            .unwrap_or_else(|| panic!("no {after:?}"));
    format!("{}{value}{}", &text[..start], &text[end..])
}

/// The file's first top-level key (or line) written twice.
fn duplicate_keys(s: &Sample, bytes: Vec<u8>) -> Vec<(Vec<u8>, Expect)> {
    let text = String::from_utf8(bytes).unwrap();
    let doubled = match s.syntax {
        Syntax::Json => {
            let key_start = text.find('"').unwrap();
            let line_end = key_start + text[key_start..].find('\n').unwrap();
            let line = text[key_start..line_end].trim_end_matches(',');
            format!("{}{line},\n  {}", &text[..key_start], &text[key_start..])
        }
        Syntax::Mix => text.replacen("%{\n", &format!("%{{\n{}", first_entry_line(&text)), 1),
        _ => {
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .unwrap();
            format!("{text}\n{first}\n")
        }
    };
    vec![(doubled.into_bytes(), Expect::ErrorOrRead)]
}

fn first_entry_line(text: &str) -> String {
    format!("{}\n", text.lines().nth(1).unwrap())
}

const GOOD: &str = "good/package-lock.json";

/// Runs one kind of corruption: a repository whose commits differ in the good lockfile
/// (express 4 to 5) and in holding every format's corrupt files; checked with the
/// corruption at the head, then at the base.
fn matrix(kind: &str, corrupt: Corrupt) {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "good");
    let clean = repo.commit("clean");
    std::fs::copy(
        testdata("npm/express-app/v5.1.0/package-lock.json"),
        repo.path().join(GOOD),
    )
    .unwrap();
    let mut cases = Vec::new();
    for (i, s) in SAMPLES.iter().enumerate() {
        for (j, (bytes, expect)) in corrupt(s, s.bytes()).into_iter().enumerate() {
            let path = format!("bad/{i}-{j}/{}", s.name);
            let full = repo.path().join(&path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, bytes).unwrap();
            cases.push((path, expect));
        }
    }
    let corrupt_rev = repo.commit(kind);
    for (base, head, bad_rev) in [
        (&clean, &corrupt_rev, &corrupt_rev),
        (&corrupt_rev, &clean, &corrupt_rev),
    ] {
        let out = repo
            .bumpcheck(&[
                "check",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--base",
                base,
                "--head",
                head,
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let context = format!("{kind}, corrupt at {bad_rev}: {stderr}");
        assert!(!stderr.contains("panicked"), "{context}");
        assert_eq!(out.status.code(), Some(0), "{context}");
        let report: Value = serde_json::from_slice(&out.stdout).expect(&context);
        let good = report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["lockfile"] == GOOD && c["name"] == "express");
        let versions = good.map(|c| (c["from"].as_str(), c["to"].as_str()));
        let expected = if head == &corrupt_rev {
            (Some("4.21.2"), Some("5.1.0"))
        } else {
            (Some("5.1.0"), Some("4.21.2"))
        };
        assert_eq!(versions, Some(expected), "{context}");
        for (path, expect) in &cases {
            let errors = errors_about(&report, path);
            if errors.is_empty() && *expect == Expect::ErrorOrRead {
                continue;
            }
            let error = errors
                .iter()
                .find(|e| e["rev"] == bad_rev.as_str())
                .unwrap_or_else(|| panic!("{kind}: no error about {path}: {:#}", report["errors"]));
            let message = error["message"].as_str().unwrap();
            assert!(message.contains(path.as_str()), "{kind}: {message}");
            assert!(message.contains("line "), "{kind}, no position: {message}");
            assert!(
                message.len() < 2000,
                "{kind}: a long message: {message:.300}"
            );
        }
    }
}

#[test]
fn truncated_lockfiles() {
    matrix("cut short", truncated);
}

#[test]
fn binary_garbage() {
    matrix("binary", binary);
}

#[test]
fn empty_lockfiles() {
    matrix("empty", empty);
}

#[test]
fn another_format_under_the_name() {
    matrix("another format", other_format);
}

#[test]
fn deeply_nested_lockfiles() {
    matrix("nested 60,000 deep", deep);
}

#[test]
fn a_one_megabyte_line() {
    matrix("a 1 MB line", huge_line);
}

#[test]
fn invalid_utf8() {
    matrix("invalid UTF-8", bad_byte);
}

#[test]
fn versions_of_odd_types() {
    matrix("odd versions", odd_version);
}

#[test]
fn duplicate_keys_or_entries() {
    matrix("repeated keys", duplicate_keys);
}

/// With nothing but corrupt lockfiles, nothing is analysed: exit 2, every file named.
#[test]
fn nothing_readable_is_exit_2() {
    let repo = TestRepo::new();
    repo.write("README.md", "x\n");
    let base = repo.commit("start");
    for (i, s) in SAMPLES.iter().enumerate() {
        let (bytes, _) = binary(s, Vec::new()).remove(0);
        let path = repo.path().join(format!("bad/{i}/{}", s.name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let head = repo.commit("garbage");
    let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(code, 2, "{report:#}");
    for (i, s) in SAMPLES.iter().enumerate() {
        assert_eq!(
            errors_about(&report, &format!("bad/{i}/{}", s.name)).len(),
            1
        );
    }
}

/// `bumpcheck packages` prints what a lockfile names: an escape sequence in a package name
/// reaches no terminal, and the name around it is still there.
#[test]
fn packages_prints_no_escape_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("package-lock.json");
    std::fs::write(
        &lock,
        r#"{"name": "app", "lockfileVersion": 3, "packages": {
            "": {"name": "app"},
            "node_modules/evil\u001b]0;pwned\u0007name": {"version": "1.0.0"}}}"#,
    )
    .unwrap();
    let out = assert_cmd::cargo::cargo_bin_cmd!("bumpcheck")
        .arg("packages")
        .arg(&lock)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("evil") && stdout.contains("1.0.0"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
}
