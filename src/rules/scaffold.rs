//! `bumpcheck rules new`: the files of a new rule, in the library's layout, with
//! `TODO` placeholders that `rules validate` and `rules test` refuse until filled in.

use super::{layout_names, PLACEHOLDER};
use crate::ecosystem::Ecosystem;
use ast_grep_language::SupportLang;

/// One file to create, relative to the rule directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    pub path: String,
    pub text: String,
}

/// What to scaffold: `ecosystem/package/id` and the rule's language.
pub struct Request<'a> {
    pub ecosystem: Ecosystem,
    pub package: &'a str,
    pub id: &'a str,
    pub language: SupportLang,
    /// Whether the rule directory has `schema/rule.schema.json` for the editor modeline.
    pub schema: bool,
}

/// Reads `ECOSYSTEM/PACKAGE/ID` (the package may hold slashes: `@types/react`).
pub fn parse_target(target: &str) -> Result<(Ecosystem, &str, &str), String> {
    let usage = || {
        format!(
            "`{target}` is not ECOSYSTEM/PACKAGE/ID (for example npm/express/express-5-app-del)"
        )
    };
    let (eco, rest) = target.split_once('/').ok_or_else(usage)?;
    let (package, id) = rest.rsplit_once('/').ok_or_else(usage)?;
    if package.is_empty() || id.is_empty() {
        return Err(usage());
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
    {
        return Err(format!(
            "rule id `{id}`: use lowercase letters, digits, `-` and `.` (it names the file)"
        ));
    }
    let ecosystem = Ecosystem::ALL
        .into_iter()
        .find(|e| layout_names(*e).contains(&eco))
        .map_or_else(|| eco.parse(), Ok)?;
    Ok((ecosystem, package, id))
}

/// The language rules of an ecosystem are usually written in.
pub fn default_language(eco: Ecosystem) -> Option<SupportLang> {
    Some(match eco {
        Ecosystem::Npm => SupportLang::JavaScript,
        Ecosystem::Pypi => SupportLang::Python,
        Ecosystem::Cargo => SupportLang::Rust,
        Ecosystem::Go => SupportLang::Go,
        Ecosystem::Rubygems => SupportLang::Ruby,
        Ecosystem::Packagist => SupportLang::Php,
        _ => return None,
    })
}

/// The rule file, its snippet tests and an annotated fixture.
pub fn files(req: &Request) -> Vec<NewFile> {
    let dir = format!("{}/{}", layout_names(req.ecosystem)[0], req.package);
    let (id, package) = (req.id, req.package);
    let depth = dir.split('/').count() + 1;
    let modeline = if req.schema {
        format!(
            "# yaml-language-server: $schema={}schema/rule.schema.json\n",
            "../".repeat(depth)
        )
    } else {
        String::new()
    };
    let rule = format!(
        r#"{modeline}id: {id}
language: {language}
severity: warning
message: "{PLACEHOLDER}: what changed, in one line (`$ARG` quotes the matched code)"
note: |
  {PLACEHOLDER}: what to write instead.
url: https://{PLACEHOLDER}.example.invalid/the-migration-guide-section
metadata:
  ecosystem: {ecosystem}
  package: {package}
  from: "<{PLACEHOLDER}"   # the old version satisfies this (npm range syntax)
  to: ">={PLACEHOLDER}"    # and the new version satisfies this
  # imports: [...]  # when files import the package under another name
rule:
  pattern: {PLACEHOLDER}($ARG)
# fix: "..."   # when a safe mechanical fix exists
"#,
        language = language_name(req.language),
        ecosystem = req.ecosystem,
    );
    let tests = format!(
        "id: {id}\nvalid:\n  - |\n    {PLACEHOLDER}: code that looks alike and must not be reported\ninvalid:\n  - |\n    {PLACEHOLDER}: code the upgrade breaks, which must be reported\n"
    );
    let c = comment(req.language);
    let fixture = format!(
        "{header}{c} Fixture for {id}: a whole file; each annotation applies to the next code line.\n{import}\n{c} ruleid: {id}\n{c} {PLACEHOLDER}: replace with code that must be reported\n\n{c} ok: {id}\n{c} {PLACEHOLDER}: replace with code that must not be reported\n",
        header = match req.language {
            SupportLang::Php => "<?php\n\n",
            _ => "",
        },
        import = import_line(req),
    );
    vec![
        NewFile {
            path: format!("library/{dir}/{id}.yml"),
            text: rule,
        },
        NewFile {
            path: format!("tests/{dir}/{id}-test.yml"),
            text: tests,
        },
        NewFile {
            path: format!("fixtures/{dir}/{id}.{}", extension(req.language)),
            text: fixture,
        },
    ]
}

fn language_name(lang: SupportLang) -> &'static str {
    match lang {
        SupportLang::TypeScript => "typescript",
        SupportLang::Tsx => "tsx",
        SupportLang::Python => "python",
        SupportLang::Rust => "rust",
        SupportLang::Go => "go",
        SupportLang::Ruby => "ruby",
        SupportLang::Php => "php",
        _ => "javascript",
    }
}

fn extension(lang: SupportLang) -> &'static str {
    match lang {
        SupportLang::TypeScript => "ts",
        SupportLang::Tsx => "tsx",
        SupportLang::Python => "py",
        SupportLang::Rust => "rs",
        SupportLang::Go => "go",
        SupportLang::Ruby => "rb",
        SupportLang::Php => "php",
        _ => "js",
    }
}

fn comment(lang: SupportLang) -> &'static str {
    match lang {
        SupportLang::Python | SupportLang::Ruby => "#",
        _ => "//",
    }
}

/// The line that makes the fixture a file that uses the package (rules are scoped to
/// such files).
fn import_line(req: &Request) -> String {
    let p = req.package;
    match req.language {
        SupportLang::Python => format!("import {}\n", p.to_lowercase().replace(['-', '.'], "_")),
        SupportLang::Rust => format!("use {};\n", p.replace('-', "_")),
        SupportLang::Go => format!("package example\n\nimport \"{p}\"\n"),
        SupportLang::Ruby => format!("require '{p}'\n"),
        SupportLang::Php => String::new(),
        SupportLang::JavaScript => format!("const pkg = require('{p}');\n"),
        _ => format!("import * as pkg from '{p}';\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            parse_target("npm/@types/react/react-19-x"),
            Ok((Ecosystem::Npm, "@types/react", "react-19-x"))
        );
        assert_eq!(
            parse_target("gem/rails/rails-7-x"),
            Ok((Ecosystem::Rubygems, "rails", "rails-7-x"))
        );
        assert!(parse_target("npm/express").is_err());
        assert!(parse_target("npm/express/Bad_Id").is_err());
        assert!(parse_target("nope/express/x")
            .unwrap_err()
            .contains("unknown ecosystem"));
    }
}
