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
    let yaml_err = |e: serde_saphyr::Error| {
        let loc = e.location();
        // The rendered error repeats the position; keep the first line, the reason.
        let message = e.to_string().lines().next().unwrap_or_default().to_string();
        err(loc, "", message)
    };

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
        Range::parse(&value.value).map_err(|e| err(Some(value.referenced), field, e))
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

pub fn parse_tests(file: &SourceFile) -> Result<Vec<SnippetTests>, RuleError> {
    let mut tests: Vec<SnippetTests> =
        ast_grep_config::from_multiple(&file.text).map_err(|e: serde_saphyr::Error| {
            let loc = e.location();
            RuleError {
                path: file.path.clone(),
                line: loc.map(|l| l.line()),
                column: loc.map(|l| l.column()),
                field: None,
                message: e.to_string().lines().next().unwrap_or_default().to_string(),
            }
        })?;
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
