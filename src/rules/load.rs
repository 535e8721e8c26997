//! Reading one rule file: the ast-grep rule itself, and bumpcheck's checks on top of it
//! (a reference URL, a trigger that parses, a language compiled into this build).

use super::{Rule, RuleError, Severity, SnippetTests, SourceFile, Trigger};
use crate::ecosystem::Ecosystem;
use crate::scan::imports::entry_problem;
use crate::version::{ChangeKind, Range};
use ast_grep_config::{GlobalRules, RuleConfig, SerializableRuleConfig};
use ast_grep_language::SupportLang;
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::path::Path;

/// The grammars compiled into this build. A rule in another language is refused at load
/// time: matching it would abort the process.
pub const COMPILED_LANGUAGES: &[SupportLang] = &[
    SupportLang::JavaScript,
    SupportLang::TypeScript,
    SupportLang::Tsx,
    SupportLang::Python,
    SupportLang::Rust,
    SupportLang::Go,
    SupportLang::Ruby,
    SupportLang::Php,
];

/// What `bumpcheck rules new` leaves where the author has to write something; a rule or
/// test that still holds it fails `rules validate` and `rules test`.
pub const PLACEHOLDER: &str = "TODO";

/// The folder names of `library/<ecosystem>/` for an ecosystem: every name it is known by,
/// its own first (`rubygems`, then `gem`).
pub fn layout_names(eco: Ecosystem) -> &'static [&'static str] {
    eco.names()
}

/// For a rule under a `library/` folder, the problem when the folder below it is not
/// the rule's ecosystem.
fn misplaced(path: &str, eco: Ecosystem) -> Option<String> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let at = parts.iter().rposition(|p| *p == "library")?;
    let dir = parts.get(at + 1).filter(|_| at + 2 < parts.len())?;
    let names = layout_names(eco);
    (!names.contains(dir)).then(|| {
        format!(
            "the rule is for {eco} but lives under library/{dir}/ (move it to library/{}/<package>/)",
            names[0]
        )
    })
}

pub enum FileRole {
    Rule,
    Tests,
    Fixture,
    Other,
}

/// What a file of a rule directory is, by its name.
pub fn classify(path: &str) -> FileRole {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "sgconfig.yml" || name == "sgconfig.yaml" || path.contains("/__snapshots__/") {
        FileRole::Other
    } else if name.ends_with("-test.yml") || name.ends_with("-test.yaml") {
        FileRole::Tests
    } else if name.ends_with(".yml") || name.ends_with(".yaml") {
        FileRole::Rule
    } else if language_of(name).is_some() {
        FileRole::Fixture
    } else {
        FileRole::Other
    }
}

/// The language of a source file, among the compiled-in ones.
pub fn language_of(path: &str) -> Option<SupportLang> {
    use ast_grep_core::Language;
    SupportLang::from_path(Path::new(path)).filter(|l| COMPILED_LANGUAGES.contains(l))
}

/// The fields bumpcheck reads itself, with their positions for error messages.
#[derive(Deserialize)]
struct Header {
    id: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    message: Option<String>,
    note: Option<String>,
    fix: Option<FixField>,
    metadata: Option<Spanned<Metadata>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FixField {
    Template(String),
    Config { template: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    ecosystem: Option<Spanned<String>>,
    package: Option<Spanned<String>>,
    packages: Option<Spanned<Vec<String>>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    change: Option<Spanned<OneOrMany>>,
    imports: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

pub fn parse_rule(file: &SourceFile) -> Result<Rule, RuleError> {
    let err = |loc: Option<Location>, field: &str, message: String| RuleError {
        path: file.path.clone(),
        line: loc.map(|l| l.line()),
        column: loc.map(|l| l.column()),
        field: (!field.is_empty()).then(|| field.to_string()),
        message,
    };
    let yaml_err = |e: serde_saphyr::Error| yaml_error(file, &e);

    let header: Header = ast_grep_config::from_str(&file.text).map_err(yaml_err)?;
    let Some(id) = header.id.filter(|id| !id.value.is_empty()) else {
        return Err(err(None, "id", "missing rule id".into()));
    };
    let stem = file
        .path
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".yml").or_else(|| n.strip_suffix(".yaml")));
    if stem != Some(id.value.as_str()) {
        return Err(err(
            Some(id.referenced),
            "id",
            format!(
                "rule id `{}` does not match the file name (expected `{}.yml`)",
                id.value, id.value
            ),
        ));
    }
    let Some(language) = header.language else {
        return Err(err(None, "language", "missing `language`".into()));
    };
    let lang: SupportLang = language
        .value
        .parse()
        .map_err(|e| err(Some(language.referenced), "language", format!("{e}")))?;
    if !COMPILED_LANGUAGES.contains(&lang) {
        return Err(err(
            Some(language.referenced),
            "language",
            format!(
                "language `{}` is not compiled into this build of bumpcheck (compiled in: {})",
                language.value,
                compiled_names()
            ),
        ));
    }
    let meta_value = |f: fn(&Metadata) -> &Option<Spanned<String>>| {
        header
            .metadata
            .as_ref()
            .and_then(|m| f(&m.value).as_ref())
            .map(|v| v.value.as_str())
    };
    let unfilled: Vec<&str> = [
        ("url", header.url.as_ref().map(|u| u.value.as_str())),
        ("message", header.message.as_deref()),
        ("note", header.note.as_deref()),
        ("metadata.from", meta_value(|m| &m.from)),
        ("metadata.to", meta_value(|m| &m.to)),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some_and(|v| v.contains(PLACEHOLDER)))
    .map(|(field, _)| field)
    .collect();
    if let Some(first) = unfilled.first() {
        return Err(err(
            None,
            first,
            format!(
                "still the `{PLACEHOLDER}` placeholder of `bumpcheck rules new` (fill in: {})",
                unfilled.join(", ")
            ),
        ));
    }
    let url =
        match header.url {
            Some(u) if u.value.starts_with("https://") || u.value.starts_with("http://") => u.value,
            Some(u) => {
                return Err(err(
                    Some(u.referenced),
                    "url",
                    "`url` must be an http(s) link to the upstream document".into(),
                ))
            }
            None => return Err(err(
                None,
                "url",
                "missing `url`: every rule cites the upstream migration guide or changelog entry"
                    .into(),
            )),
        };
    let Some(meta) = header.metadata else {
        return Err(err(
            None,
            "metadata",
            "missing `metadata` with the trigger (ecosystem, package, from/to or change)".into(),
        ));
    };
    let eco_at = meta.value.ecosystem.as_ref().map(|e| e.referenced);
    let imports_field = meta.value.imports.clone();
    let trigger = parse_trigger(meta, &err)?;
    let imports = match imports_field {
        Some(list) => {
            if list.value.is_empty() {
                return Err(err(
                    Some(list.referenced),
                    "metadata.imports",
                    "empty list: name the imports, or `[\"*\"]` for every file".into(),
                ));
            }
            if let Some(problem) = list.value.iter().find_map(|e| entry_problem(lang, e)) {
                return Err(err(Some(list.referenced), "metadata.imports", problem));
            }
            (!list.value.iter().any(|e| e == "*")).then_some(list.value)
        }
        None => default_imports(&trigger),
    };
    if let Some(expected) = misplaced(&file.path, trigger.ecosystem) {
        return Err(err(eco_at, "metadata.ecosystem", expected));
    }

    let config: SerializableRuleConfig<SupportLang> =
        ast_grep_config::from_str(&file.text).map_err(yaml_err)?;
    let severity = match config.severity {
        ast_grep_config::Severity::Error => Severity::Error,
        ast_grep_config::Severity::Warning => Severity::Warning,
        ast_grep_config::Severity::Info => Severity::Info,
        ast_grep_config::Severity::Hint | ast_grep_config::Severity::Off => Severity::Hint,
    };
    let mut variants = Vec::new();
    for &variant in variants_of(lang) {
        let mut c = config.clone();
        c.language = variant;
        let compiled = RuleConfig::try_from(c, &GlobalRules::default()).map_err(|e| {
            err(
                None,
                "rule",
                format!("invalid rule for {variant}: {}", error_chain(&e)),
            )
        })?;
        variants.push((variant, compiled));
    }
    Ok(Rule {
        id: id.value,
        path: file.path.clone(),
        language: lang,
        severity,
        message: config.message.clone(),
        note: config.note.clone(),
        url,
        fix: header.fix.map(|f| match f {
            FixField::Template(t) | FixField::Config { template: t } => t,
        }),
        trigger,
        imports,
        variants,
    })
}

/// The imports that scope a rule with no `metadata.imports`: what a file that uses the
/// package writes, where the ecosystem makes it derivable from the package name. Ruby and
/// PHP load code by autoloading, so their rules apply to every file unless told.
fn default_imports(trigger: &Trigger) -> Option<Vec<String>> {
    let names = trigger.packages.iter();
    match trigger.ecosystem {
        Ecosystem::Npm | Ecosystem::Go => Some(names.cloned().collect()),
        Ecosystem::Cargo => Some(names.map(|n| n.replace('-', "_")).collect()),
        Ecosystem::Pypi => Some(
            names
                .map(|n| n.to_lowercase().replace(['-', '.'], "_"))
                .collect(),
        ),
        _ => None,
    }
}

fn parse_trigger(
    meta: Spanned<Metadata>,
    err: &dyn Fn(Option<Location>, &str, String) -> RuleError,
) -> Result<Trigger, RuleError> {
    let at = meta.referenced;
    let meta = meta.value;
    let Some(eco) = meta.ecosystem else {
        return Err(err(Some(at), "metadata.ecosystem", "missing".into()));
    };
    let ecosystem: Ecosystem = eco
        .value
        .parse()
        .map_err(|e: String| err(Some(eco.referenced), "metadata.ecosystem", e))?;
    let mut packages = Vec::new();
    if let Some(p) = meta.package {
        packages.push(p.value);
    }
    if let Some(p) = meta.packages {
        if p.value.is_empty() {
            return Err(err(
                Some(p.referenced),
                "metadata.packages",
                "empty list".into(),
            ));
        }
        packages.extend(p.value);
    }
    if packages.is_empty() {
        return Err(err(
            Some(at),
            "metadata.package",
            "name the package (`package: NAME` or `packages: [A, B]`)".into(),
        ));
    }
    let range = |field: &str, value: &Spanned<String>| {
        Range::parse(&value.value).map_err(|e| {
            let hint = if ecosystem == Ecosystem::Npm {
                ""
            } else {
                " (windows use npm's range syntax in every ecosystem: `<2.0.0`, `>=2.0.0 <3`)"
            };
            err(Some(value.referenced), field, format!("{e}{hint}"))
        })
    };
    let window = match (&meta.from, &meta.to) {
        (Some(from), Some(to)) => Some((range("metadata.from", from)?, range("metadata.to", to)?)),
        (None, None) => None,
        (Some(f), None) => {
            return Err(err(
                Some(f.referenced),
                "metadata.to",
                "`from` needs `to`".into(),
            ))
        }
        (None, Some(t)) => {
            return Err(err(
                Some(t.referenced),
                "metadata.from",
                "`to` needs `from`".into(),
            ))
        }
    };
    let mut kinds = Vec::new();
    if let Some(change) = meta.change {
        let names = match change.value {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        for name in names {
            let kind = ChangeKind::parse(&name).ok_or_else(|| {
                let all: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
                err(
                    Some(change.referenced),
                    "metadata.change",
                    format!("unknown change kind `{name}` (one of {})", all.join(", ")),
                )
            })?;
            kinds.push(kind);
        }
    }
    if window.is_none() && kinds.is_empty() {
        return Err(err(
            Some(at),
            "metadata",
            "the trigger needs a version window (`from` and `to`) or a `change` kind".into(),
        ));
    }
    Ok(Trigger {
        ecosystem,
        packages,
        window,
        kinds,
    })
}

/// The grammars a rule written for `lang` runs on.
fn variants_of(lang: SupportLang) -> &'static [SupportLang] {
    match lang {
        SupportLang::JavaScript => &[
            SupportLang::JavaScript,
            SupportLang::TypeScript,
            SupportLang::Tsx,
        ],
        SupportLang::TypeScript => &[SupportLang::TypeScript, SupportLang::Tsx],
        SupportLang::Tsx => &[SupportLang::Tsx],
        SupportLang::Python => &[SupportLang::Python],
        SupportLang::Rust => &[SupportLang::Rust],
        SupportLang::Go => &[SupportLang::Go],
        SupportLang::Ruby => &[SupportLang::Ruby],
        SupportLang::Php => &[SupportLang::Php],
        _ => &[],
    }
}

fn compiled_names() -> String {
    let names: Vec<String> = COMPILED_LANGUAGES.iter().map(|l| l.to_string()).collect();
    names.join(", ")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

/// A YAML or schema error, with the position and the field it names. An unknown field
/// is reported at its own line (the parser points past the mapping that holds it).
fn yaml_error(file: &SourceFile, e: &serde_saphyr::Error) -> RuleError {
    let loc = e.location();
    let first = e.to_string().lines().next().unwrap_or_default().to_string();
    // The rendered error repeats the position; keep the reason.
    let message = match first.strip_prefix("error: line ") {
        Some(rest) => rest
            .split_once(": ")
            .map_or(first.clone(), |(_, m)| m.to_string()),
        None => first,
    };
    let mut line = loc.map(|l| l.line());
    let mut column = loc.map(|l| l.column());
    let field = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split_once('`'))
        .map(|(name, _)| name.to_string());
    let mut field = field;
    if let Some(name) = field.clone() {
        let key = format!("{name}:");
        let lines: Vec<&str> = file.text.lines().collect();
        let indent_of = |l: &str| l.len() - l.trim_start().trim_start_matches("- ").len();
        let is_key = |l: &&str| l.trim_start().trim_start_matches("- ").starts_with(&key);
        let reported = line.unwrap_or(1).saturating_sub(1) as usize;
        // The parser points at the mapping holding the key (or past it): the first such
        // line from there on, else the last one before.
        let found = (reported..lines.len())
            .find(|&i| is_key(&lines[i]))
            .or_else(|| {
                (0..reported.min(lines.len()))
                    .rev()
                    .find(|&i| is_key(&lines[i]))
            });
        if let Some(i) = found {
            line = Some(i as u64 + 1);
            column = Some(indent_of(lines[i]) as u64 + 1);
            // Name the field by its path: `metadata.packge`, `rule.patern`.
            let mut path = vec![name];
            let mut indent = indent_of(lines[i]);
            for l in lines[..i].iter().rev() {
                let t = l.trim_start();
                if t.is_empty() || t.starts_with('#') || indent_of(l) >= indent {
                    continue;
                }
                indent = indent_of(l);
                if let Some((k, _)) = t.trim_start_matches("- ").split_once(':') {
                    path.push(k.trim().to_string());
                }
                if indent == 0 {
                    break;
                }
            }
            path.reverse();
            field = Some(path.join("."));
        }
    }
    RuleError {
        path: file.path.clone(),
        line,
        column,
        field,
        message,
    }
}

pub fn parse_tests(file: &SourceFile) -> Result<Vec<SnippetTests>, RuleError> {
    let mut tests: Vec<SnippetTests> = ast_grep_config::from_multiple(&file.text)
        .map_err(|e: serde_saphyr::Error| yaml_error(file, &e))?;
    for t in &mut tests {
        t.path = file.path.clone();
    }
    Ok(tests)
}

/// Reads every file below a rule directory.
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, RuleError> {
    let io_err = |message: String| RuleError {
        path: dir.display().to_string(),
        line: None,
        column: None,
        field: None,
        message,
    };
    if !dir.is_dir() {
        return Err(io_err("not a directory".into()));
    }
    let mut out = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
    {
        let entry = entry.map_err(|e| io_err(e.to_string()))?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        if matches!(classify(&path.to_string_lossy()), FileRole::Other) {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| RuleError {
            path: path.display().to_string(),
            line: None,
            column: None,
            field: None,
            message: e.to_string(),
        })?;
        out.push(SourceFile {
            path: path.display().to_string(),
            text,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports_of(eco: &str, package: &str, imports: &str) -> Result<Option<Vec<String>>, String> {
        let text = format!(
            "id: r\nlanguage: javascript\nmessage: m\nurl: https://example.invalid\nmetadata:\n  ecosystem: {eco}\n  package: {package}\n  change: major\n{imports}rule:\n  pattern: f()\n"
        );
        parse_rule(&SourceFile {
            path: "r.yml".into(),
            text,
        })
        .map(|r| r.imports)
        .map_err(|e| e.to_string())
    }

    #[test]
    fn imports_default_from_the_packages() {
        let some = |v: &[&str]| Ok(Some(v.iter().map(|s| s.to_string()).collect()));
        assert_eq!(
            imports_of("npm", "\"@hapi/hapi\"", ""),
            some(&["@hapi/hapi"])
        );
        assert_eq!(
            imports_of("pypi", "Flask-SQLAlchemy", ""),
            some(&["flask_sqlalchemy"])
        );
        assert_eq!(
            imports_of("pypi", "zope.interface", ""),
            some(&["zope_interface"])
        );
        assert_eq!(imports_of("cargo", "tower-http", ""), some(&["tower_http"]));
        assert_eq!(
            imports_of("go", "github.com/labstack/echo/v4", ""),
            some(&["github.com/labstack/echo/v4"])
        );
        assert_eq!(imports_of("rubygems", "rails", ""), Ok(None));
        assert_eq!(imports_of("packagist", "laravel/framework", ""), Ok(None));
        assert_eq!(
            imports_of("pypi", "PyYAML", "  imports: [yaml]\n"),
            some(&["yaml"])
        );
        assert_eq!(
            imports_of("npm", "express", "  imports: [\"*\"]\n"),
            Ok(None)
        );
        let err = imports_of("npm", "express", "  imports: []\n").unwrap_err();
        assert!(err.contains("`metadata.imports`: empty list"), "{err}");
    }

    /// The README names every file extension the compiled grammars scan, and nothing the
    /// binary cannot parse: a grammar added or dropped must show there.
    #[test]
    fn readme_lists_the_scanned_languages() {
        let readme = include_str!("../../README.md");
        let line = readme
            .split("\n- ")
            .find(|item| item.starts_with("**Languages.**"))
            .and_then(|item| item.split("\n\n").next())
            .expect("the README's Languages item");
        let listed: Vec<&str> = line
            .split('`')
            .skip(1)
            .step_by(2)
            .flat_map(|group| group.split_whitespace())
            .collect();
        assert!(listed.len() >= 15, "{listed:?}");
        for ext in &listed {
            let file = format!("a{ext}");
            assert!(
                language_of(&file).is_some(),
                "README lists {ext}, not scanned"
            );
        }
        for lang in COMPILED_LANGUAGES {
            assert!(
                listed
                    .iter()
                    .any(|ext| language_of(&format!("a{ext}")) == Some(*lang)),
                "{lang:?} is compiled in but the README names none of its extensions"
            );
        }
    }
}
