//! Differential tests: ranges as bumpcheck reads them against the package managers' own
//! implementations (node-semver run by node, `packaging` run by python3, RubyGems run by
//! ruby, composer/semver run by php), on thousands of (range, version) pairs generated from a fixed seed. Each
//! reference answers every pair in one process call. A reference that is not installed
//! skips its test, saying so; `.ci/run` installs them and passes their locations in
//! `BUMPCHECK_NODE_SEMVER` (the semver package folder), `BUMPCHECK_PACKAGING_PYTHON` (a
//! python with packaging), `BUMPCHECK_COMPOSER_SEMVER` (its `autoload.php`), and
//! `BUMPCHECK_RUBY` and `BUMPCHECK_PHP` where those are not on the PATH.

use bumpcheck::ecosystem::Ecosystem;
use bumpcheck::version::{
    self, ComposerConstraint, GemRequirement, GemVersion, PythonSpecifiers, Range,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const PAIRS: usize = 6000;

/// The reference's location: the variable, else the place `.ci/run` installs it under
/// target/diff-refs/; `None`, saying the test skips, when it is not there.
fn reference(var: &str, default: &str, name: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default));
    if !path.exists() {
        println!("skipped: {name} not installed");
        return None;
    }
    Some(path)
}

/// An interpreter: the variable, else the name on the PATH; `None`, saying the test
/// skips, when it does not run.
fn interpreter(var: &str, name: &str) -> Option<PathBuf> {
    let program = std::env::var_os(var).map_or_else(|| PathBuf::from(name), PathBuf::from);
    if Command::new(&program).arg("--version").output().is_err() {
        println!("skipped: {name} not installed");
        return None;
    }
    Some(program)
}

/// `n` items from a generator seeded with `seed`: the same pairs on every run.
fn generate<T>(seed: u64, n: usize, mut f: impl FnMut(&mut fastrand::Rng) -> T) -> Vec<T> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n).map(|_| f(&mut rng)).collect()
}

/// Runs `program script input.json` and reads the JSON list it prints.
fn answers(program: &Path, script: &str, input: &Value, env: &[(&str, &Path)]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let input_path = dir.path().join("input.json");
    let script_path = dir.path().join("script");
    std::fs::write(&input_path, input.to_string()).unwrap();
    std::fs::write(&script_path, script).unwrap();
    let mut cmd = Command::new(program);
    cmd.arg(&script_path).arg(&input_path);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the reference runs");
    assert!(
        out.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reference prints a JSON list")
}

/// Compares bumpcheck's answers with the reference's, prints the agreement and the
/// first disagreements with their exact range and version, and fails on any.
fn compare(what: &str, pairs: &[(String, String)], ours: &[Value], theirs: &[Value]) {
    assert_eq!(ours.len(), theirs.len());
    let disagreements: Vec<String> = pairs
        .iter()
        .zip(ours.iter().zip(theirs))
        .filter(|(_, (a, b))| a != b)
        .map(|((r, v), (a, b))| {
            format!("  range `{r}` version `{v}`: bumpcheck {a}, reference {b}")
        })
        .collect();
    let agree = pairs.len() - disagreements.len();
    // The mix of yes, no and refused, so that a reference answering the same thing for
    // every pair shows (lists and orders have no yes or no).
    let count = |x: &Value| theirs.iter().filter(|t| *t == x).count();
    let (yes, no) = (count(&Value::Bool(true)), count(&Value::Bool(false)));
    let mix = if yes + no > 0 {
        format!(
            "; reference: {yes} in, {no} out, {} refused",
            count(&Value::Null)
        )
    } else {
        String::new()
    };
    println!(
        "{what}: {} pairs compared, {agree} agree ({:.2}%){mix}",
        pairs.len(),
        100.0 * agree as f64 / pairs.len() as f64
    );
    assert!(
        disagreements.is_empty(),
        "{what}: {} disagreements:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(40)].join("\n")
    );
}

fn pick<'a>(rng: &mut fastrand::Rng, options: &[&'a str]) -> &'a str {
    options[rng.usize(..options.len())]
}

/// How a range syntax joins its parts, for the generators.
struct Grammar {
    alternatives: usize,
    or: &'static [&'static str],
    and: &'static [&'static str],
    hyphen_end: fn(&mut fastrand::Rng) -> String,
    comparator: fn(&mut fastrand::Rng) -> String,
}

impl Grammar {
    /// One to `alternatives` alternatives, each a hyphen range or one or two comparators.
    fn range(&self, rng: &mut fastrand::Rng) -> String {
        let alternatives = rng.usize(1..=self.alternatives);
        (0..alternatives)
            .map(|_| {
                if rng.u8(..5) == 0 {
                    return format!("{} - {}", (self.hyphen_end)(rng), (self.hyphen_end)(rng));
                }
                let n = rng.usize(1..=2);
                (0..n)
                    .map(|_| (self.comparator)(rng))
                    .collect::<Vec<_>>()
                    .join(pick(rng, self.and))
            })
            .collect::<Vec<_>>()
            .join(pick(rng, self.or))
    }
}

// ---- npm ----

fn npm_partial(rng: &mut fastrand::Rng) -> String {
    let ids = ["0", "1", "2", "3", "10", "x", "X", "*", "01"];
    let n = rng.usize(1..=3);
    let mut parts: Vec<String> = (0..n).map(|_| pick(rng, &ids).to_string()).collect();
    if rng.bool() {
        // Mostly numbers: wildcards everywhere would hide the ordinary cases.
        for p in parts.iter_mut() {
            *p = pick(rng, &["0", "1", "2", "3"]).to_string();
        }
    }
    let mut s = parts.join(".");
    if n == 3 && rng.u8(..4) == 0 {
        // Without the hyphen only loose reading takes it (`1.2.3beta`).
        s.push_str(pick(rng, &["-", "-", "-", ""]));
        s.push_str(pick(
            rng,
            &["alpha", "beta.1", "rc.0", "0", "1", "alpha.2", "01"],
        ));
    }
    if rng.u8(..20) == 0 {
        s.push_str("+build.5");
    }
    let prefix = pick(rng, &["", "", "", "", "v", "=", "v=", "= "]);
    format!("{prefix}{s}")
}

fn npm_comparator(rng: &mut fastrand::Rng) -> String {
    let op = pick(
        rng,
        &[
            "", "", "=", "<", "<=", ">", ">=", "~", "~>", "^", "< ", ">= ", "^ ", "~ ",
        ],
    );
    format!("{op}{}", npm_partial(rng))
}

fn npm_range(rng: &mut fastrand::Rng) -> String {
    if rng.u8(..25) == 0 {
        let odd = [
            "",
            "*",
            "x",
            "X",
            "x.x",
            "x.x.x",
            ">=*",
            "<*",
            ">*",
            "<<1",
            "1.2.3.4",
            "x.1",
            "1.x.2",
            "~",
            "^",
            "||",
            "1 ||",
            "* || 1.0.0-rc.1",
            ">=0.0.0",
            "<0.0.0-0 || 1",
            "1.2.3 -2",
            "1.2.3- 2",
            "=1.x",
            "=0.7.x",
            "=1",
            "1.x - 2",
            "x - 1.2",
            ">1.x <=2.x",
            "~1.2.3-beta",
            "^0.0.1-rc.1",
            "^0.x",
            "~0",
            ">=1.0.0 <1.0.0",
            "not a range",
            "9007199254740992",
            "^9007199254740991",
        ];
        return pick(rng, &odd).to_string();
    }
    let grammar = Grammar {
        alternatives: 3,
        or: &[" || ", "||"],
        and: &[" "],
        hyphen_end: npm_partial,
        comparator: npm_comparator,
    };
    grammar.range(rng)
}

fn npm_version(rng: &mut fastrand::Rng) -> String {
    let n = |rng: &mut fastrand::Rng| pick(rng, &["0", "1", "2", "3", "10"]).to_string();
    let mut v = format!("{}.{}.{}", n(rng), n(rng), n(rng));
    if rng.u8(..3) == 0 {
        v.push('-');
        v.push_str(pick(
            rng,
            &["alpha", "beta.1", "rc.0", "0", "1", "alpha.2", "beta"],
        ));
    }
    v
}

const NODE_SCRIPT: &str = r#"
const semver = require(process.env.NODE_SEMVER);
const pairs = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const answer = (r, v, options) => {
  let range;
  try { range = new semver.Range(r, options); } catch (e) { return null; }
  return range.test(v);
};
process.stdout.write(JSON.stringify([
  pairs.map(([r, v]) => answer(r, v, {})),
  pairs.map(([r, v]) => answer(r, v, { loose: true })),
]));
"#;

/// node-semver's default reading (rule windows) and its `loose` one (npm's pick).
#[test]
fn npm_ranges_agree_with_node_semver() {
    let Some(semver_pkg) = reference(
        "BUMPCHECK_NODE_SEMVER",
        "target/diff-refs/node/node_modules/semver",
        "node-semver",
    ) else {
        return;
    };
    let pairs = generate(12, PAIRS, |rng| (npm_range(rng), npm_version(rng)));
    let theirs = answers(
        Path::new("node"),
        NODE_SCRIPT,
        &serde_json::to_value(&pairs).unwrap(),
        &[("NODE_SEMVER", &semver_pkg)],
    );
    for (i, (what, parse)) in [
        (
            "npm ranges (node-semver)",
            Range::parse as fn(&str) -> Result<Range, _>,
        ),
        ("npm ranges, loose (node-semver)", Range::parse_loose),
    ]
    .into_iter()
    .enumerate()
    {
        let ours: Vec<Value> = pairs
            .iter()
            .map(|(r, v)| match parse(r) {
                Ok(range) => Value::Bool(range.satisfied_by(&semver::Version::parse(v).unwrap())),
                Err(_) => Value::Null,
            })
            .collect();
        compare(what, &pairs, &ours, theirs[i].as_array().unwrap());
    }
}

// ---- PyPI ----

fn pep440_version(rng: &mut fastrand::Rng, for_specifier: bool) -> String {
    let n = rng.usize(1..=3);
    let mut v: String = (0..n)
        .map(|_| pick(rng, &["0", "1", "2", "10"]))
        .collect::<Vec<_>>()
        .join(".");
    if rng.u8(..8) == 0 {
        v = format!("1!{v}");
    }
    if rng.u8(..4) == 0 {
        v.push_str(pick(rng, &["a1", "b2", "rc1", "a0", "-RC1", ".beta2"]));
    }
    if rng.u8(..6) == 0 {
        v.push_str(pick(rng, &[".post1", ".post0", "-1", ".POST2"]));
    }
    if rng.u8(..6) == 0 {
        v.push_str(pick(rng, &[".dev0", ".dev3"]));
    }
    if !for_specifier && rng.u8(..8) == 0 {
        v.push_str(pick(rng, &["+local.1", "+abc"]));
    }
    if !for_specifier && rng.u8(..20) == 0 {
        v = format!("v{v}");
    }
    v
}

fn pep440_specifier(rng: &mut fastrand::Rng) -> String {
    let op = pick(
        rng,
        &["==", "!=", "<", "<=", ">", ">=", "~=", "===", "== ", ">= "],
    );
    let mut v = pep440_version(rng, true);
    if op.starts_with("==") && op != "===" && rng.u8(..3) == 0 {
        v.push_str(".*");
    }
    if op == "!=" && rng.u8(..3) == 0 {
        v.push_str(".*");
    }
    if rng.u8(..12) == 0 {
        v.push_str(pick(rng, &["+local.1", "+abc"]));
    }
    format!("{op}{v}")
}

fn pep440_specifiers(rng: &mut fastrand::Rng) -> String {
    if rng.u8(..25) == 0 {
        let odd = [
            "",
            "=>1.0",
            "~=1",
            "<1.*",
            "==1.*.1",
            "1.0",
            ">=1.0,",
            ",<2",
            "===foo",
            "== 1.0.*",
            "~=1.0.*",
            ">=1.0 ,<2.0",
            "!=1.0+local",
            "<=1!1.0",
        ];
        return pick(rng, &odd).to_string();
    }
    let n = rng.usize(1..=3);
    (0..n)
        .map(|_| pep440_specifier(rng))
        .collect::<Vec<_>>()
        .join(pick(rng, &[",", ", "]))
}

const PYTHON_SCRIPT: &str = r#"
import json, sys
from packaging.specifiers import SpecifierSet, InvalidSpecifier
from packaging.version import Version, InvalidVersion
data = json.load(open(sys.argv[1]))
out = {"contains": [], "filter": []}
for s, v in data["pairs"]:
    try:
        spec = SpecifierSet(s)
    except InvalidSpecifier:
        out["contains"].append(None)
        continue
    out["contains"].append(spec.contains(v, prereleases=True))
for s, vs in data["lists"]:
    try:
        spec = SpecifierSet(s)
    except InvalidSpecifier:
        out["filter"].append(None)
        continue
    out["filter"].append(list(spec.filter(vs)))
out["order"] = []
for a, b in data["orders"]:
    try:
        x, y = Version(a), Version(b)
    except InvalidVersion:
        out["order"].append(None)
        continue
    out["order"].append((x > y) - (x < y))
print(json.dumps([out]))
"#;

#[test]
fn python_specifiers_agree_with_packaging() {
    let Some(python) = reference(
        "BUMPCHECK_PACKAGING_PYTHON",
        "target/diff-refs/py/bin/python",
        "packaging",
    ) else {
        return;
    };
    let pairs = generate(440, PAIRS, |rng| {
        (pep440_specifiers(rng), pep440_version(rng, false))
    });
    // Lists of published versions, for pip's pick: which versions the set lets through.
    let lists: Vec<(String, Vec<String>)> = generate(441, 600, |rng| {
        let vs = (0..8).map(|_| pep440_version(rng, false)).collect();
        (pep440_specifiers(rng), vs)
    });
    // Pairs of versions, for the order lockfile versions are diffed and classified in.
    let orders = generate(442, PAIRS, |rng| {
        (pep440_version(rng, false), pep440_version(rng, false))
    });
    let input = serde_json::json!({"pairs": pairs, "lists": lists, "orders": orders});
    let theirs = answers(&python, PYTHON_SCRIPT, &input, &[]).remove(0);
    let ours: Vec<Value> = pairs
        .iter()
        .map(|(s, v)| match PythonSpecifiers::parse(s) {
            Ok(set) => Value::Bool(set.contains(v)),
            Err(_) => Value::Null,
        })
        .collect();
    compare(
        "PEP 440 specifiers (packaging)",
        &pairs,
        &ours,
        theirs["contains"].as_array().unwrap(),
    );
    let ours: Vec<Value> = lists
        .iter()
        .map(|(s, vs)| match PythonSpecifiers::parse(s) {
            Ok(set) => serde_json::to_value(set.filter(vs)).unwrap(),
            Err(_) => Value::Null,
        })
        .collect();
    let list_pairs: Vec<(String, String)> = lists
        .iter()
        .map(|(s, vs)| (s.clone(), vs.join(" ")))
        .collect();
    compare(
        "PEP 440 pre-release filter (packaging)",
        &list_pairs,
        &ours,
        theirs["filter"].as_array().unwrap(),
    );
    let ours: Vec<Value> = orders
        .iter()
        .map(|(a, b)| {
            match (
                version::parse(Ecosystem::Pypi, a),
                version::parse(Ecosystem::Pypi, b),
            ) {
                (Some(x), Some(y)) => Value::from(x.cmp(&y) as i8),
                _ => Value::Null,
            }
        })
        .collect();
    compare(
        "PEP 440 order (packaging)",
        &orders,
        &ours,
        theirs["order"].as_array().unwrap(),
    );
}

// ---- RubyGems ----

fn gem_version(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(1..=4);
    let mut v: String = (0..n)
        .map(|_| pick(rng, &["0", "1", "2", "10"]))
        .collect::<Vec<_>>()
        .join(".");
    if rng.u8(..4) == 0 {
        v.push_str(pick(
            rng,
            &[".beta1", ".rc1", ".pre", ".a", "-rc1", ".beta.2"],
        ));
    }
    v
}

fn gem_requirement(rng: &mut fastrand::Rng) -> String {
    if rng.u8(..25) == 0 {
        let odd = [
            "",
            "~> x",
            ">= 1.0,",
            "=> 1",
            "1.0.",
            "~>1",
            "!=1.0.0",
            "= 1.0-rc1",
        ];
        return pick(rng, &odd).to_string();
    }
    let n = rng.usize(1..=2);
    (0..n)
        .map(|_| {
            let op = pick(
                rng,
                &["", "= ", "!= ", "> ", "< ", ">= ", "<= ", "~> ", "~>"],
            );
            format!("{op}{}", gem_version(rng))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const RUBY_SCRIPT: &str = r#"
require 'json'
pairs = JSON.parse(File.read(ARGV[0]))
out = pairs.map do |r, v|
  next nil if r.strip.empty?
  begin
    req = Gem::Requirement.new(*r.split(',', -1).map(&:strip))
  rescue ArgumentError, Gem::Requirement::BadRequirementError
    next nil
  end
  req.satisfied_by?(Gem::Version.new(v))
end
print JSON.generate(out)
"#;

#[test]
fn gem_requirements_agree_with_rubygems() {
    let Some(ruby) = interpreter("BUMPCHECK_RUBY", "ruby") else {
        return;
    };
    let pairs = generate(7, PAIRS, |rng| (gem_requirement(rng), gem_version(rng)));
    let ours: Vec<Value> = pairs
        .iter()
        .map(|(r, v)| match GemRequirement::parse(r) {
            Ok(req) => Value::Bool(req.satisfied_by(&GemVersion::parse(v).unwrap())),
            Err(_) => Value::Null,
        })
        .collect();
    let theirs = answers(
        &ruby,
        RUBY_SCRIPT,
        &serde_json::to_value(&pairs).unwrap(),
        &[],
    );
    compare("gem requirements (RubyGems)", &pairs, &ours, &theirs);
}

// ---- Composer ----

fn composer_version(rng: &mut fastrand::Rng, in_constraint: bool) -> String {
    let n = rng.usize(1..=4);
    let mut v: String = (0..n)
        .map(|_| pick(rng, &["0", "1", "2", "10"]))
        .collect::<Vec<_>>()
        .join(".");
    if in_constraint && rng.u8(..6) == 0 {
        v.push_str(pick(rng, &[".*", ".x", ".X"]));
    } else if rng.u8(..4) == 0 {
        v.push_str(pick(
            rng,
            &[
                "-RC1", "-beta2", "-alpha", "-dev", "-p1", "-b1", "-patch2", ".x-dev", "RC2",
            ],
        ));
    }
    if in_constraint && rng.u8(..10) == 0 {
        v.push_str(pick(rng, &["@dev", "@beta", "@stable", "@RC", "@alpha"]));
    }
    format!("{}{v}", pick(rng, &["", "", "", "v"]))
}

fn composer_constraint(rng: &mut fastrand::Rng) -> String {
    if rng.u8(..25) == 0 {
        let odd = [
            "",
            "*",
            "x",
            "v*",
            "*.*",
            "~>1.2",
            "1.0 -2.0",
            ">= 1.0",
            "dev-main",
            "1.x-dev",
            "^1.2 as 1.3",
            "1.0.0+build",
            "@dev",
            ">=1.0,",
            "||",
            "^1 ||",
            "~1",
            "^0",
            "^0.0",
        ];
        return pick(rng, &odd).to_string();
    }
    let grammar = Grammar {
        alternatives: 2,
        or: &["||", " || ", "|"],
        and: &[" ", ",", ", "],
        hyphen_end: |rng| composer_version(rng, false),
        comparator: |rng| {
            let op = pick(
                rng,
                &[
                    "", "", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "~", "^", ">= ",
                ],
            );
            format!("{op}{}", composer_version(rng, true))
        },
    };
    grammar.range(rng)
}

const PHP_SCRIPT: &str = r#"<?php
require getenv('COMPOSER_SEMVER');
$parser = new Composer\Semver\VersionParser();
$out = [];
foreach (json_decode(file_get_contents($argv[1]), true) as [$c, $v]) {
    try {
        $constraint = $parser->parseConstraints($c);
    } catch (\Throwable $e) {
        $out[] = null;
        continue;
    }
    try {
        $out[] = $constraint->matches(new Composer\Semver\Constraint\Constraint('==', $parser->normalize($v)));
    } catch (\Throwable $e) {
        $out[] = false;
    }
}
echo json_encode($out);
"#;

#[test]
fn composer_constraints_agree_with_composer_semver() {
    let Some(autoload) = reference(
        "BUMPCHECK_COMPOSER_SEMVER",
        "/usr/share/php/Composer/Semver/autoload.php",
        "composer/semver",
    ) else {
        return;
    };
    let Some(php) = interpreter("BUMPCHECK_PHP", "php") else {
        return;
    };
    let pairs = generate(11, PAIRS, |rng| {
        (composer_constraint(rng), composer_version(rng, false))
    });
    let ours: Vec<Value> = pairs
        .iter()
        .map(|(c, v)| match ComposerConstraint::parse(c) {
            Ok(constraint) => Value::Bool(constraint.satisfied_by(v)),
            Err(_) => Value::Null,
        })
        .collect();
    let theirs = answers(
        &php,
        PHP_SCRIPT,
        &serde_json::to_value(&pairs).unwrap(),
        &[("COMPOSER_SEMVER", &autoload)],
    );
    compare(
        "Composer constraints (composer/semver)",
        &pairs,
        &ours,
        &theirs,
    );
}
