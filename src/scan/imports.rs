//! Which packages a source file imports, read textually (no parse): the pre-filter that
//! scopes a rule to the files that can use its package. Comments are skipped and string
//! literals only count where the language puts an import path in one, so
//! `"require('express')"` or `# import flask` does not make a file an Express or Flask
//! file. Computed once per file, then asked for every rule.

use crate::rules::Rule;
use ast_grep_language::SupportLang;

/// The names a file imports, in the form rules write them in `metadata.imports`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileImports {
    /// Module specifiers (JS), dotted modules (Python), crate idents (Rust), import
    /// paths (Go), require paths (Ruby), qualified names (PHP).
    pub names: Vec<String>,
    /// What separates a package from its subpaths: `express/lib/x`, `yaml.loader`.
    separator: &'static str,
}

impl FileImports {
    pub fn read(lang: SupportLang, text: &str) -> FileImports {
        let syntax = Syntax::of(lang);
        let tokens = tokenize(text, &syntax);
        let mut names = match lang {
            SupportLang::Python => python(&tokens),
            SupportLang::Rust => rust(&tokens),
            SupportLang::Go => go(&tokens),
            SupportLang::Ruby => ruby(&tokens),
            SupportLang::Php => php(&tokens),
            _ => javascript(&tokens),
        };
        names.sort();
        names.dedup();
        FileImports {
            names,
            separator: syntax.separator,
        }
    }

    /// Whether the file imports one of `entries` (or a subpath of one).
    pub fn uses(&self, entries: &[String]) -> bool {
        entries.iter().any(|e| {
            let e = e.as_str();
            self.names.iter().any(|n| {
                n == e
                    || (!self.separator.is_empty()
                        && n.starts_with(e)
                        && (e.ends_with(self.separator)
                            || n[e.len()..].starts_with(self.separator)))
            })
        })
    }
}

/// The items (rules, or pairs naming one) that apply to a file by its imports. The file
/// is read only when one of them is scoped.
pub fn rules_in_scope<'r, T: Copy>(
    lang: SupportLang,
    text: &str,
    items: &[T],
    rule: impl Fn(&T) -> &'r Rule,
) -> Vec<T> {
    // An import names the package in the text, so a rule none of whose names occur
    // anywhere is out of scope without tokenizing the file.
    let mentioned = |names: &[String]| {
        names
            .iter()
            .any(|n| memchr::memmem::find(text.as_bytes(), n.as_bytes()).is_some())
    };
    let candidates: Vec<T> = items
        .iter()
        .copied()
        .filter(|i| rule(i).imports.as_deref().is_none_or(mentioned))
        .collect();
    if candidates.iter().all(|i| rule(i).imports.is_none()) {
        return candidates;
    }
    let imports = FileImports::read(lang, text);
    candidates
        .into_iter()
        .filter(|i| rule(i).in_scope(&imports))
        .collect()
}

/// Whether an `imports` entry is well formed for rules of `lang`: the wildcard `*`, or a
/// name with no spaces or quotes that the language's import syntax can write.
pub fn entry_problem(lang: SupportLang, entry: &str) -> Option<String> {
    if entry == "*" {
        return None;
    }
    if entry.is_empty()
        || entry
            .chars()
            .any(|c| c.is_whitespace() || "'\"`;".contains(c))
    {
        return Some(format!("`{entry}` is not an import name"));
    }
    let ok = match lang {
        SupportLang::Rust => entry.chars().all(|c| c.is_alphanumeric() || c == '_'),
        SupportLang::Python => entry
            .split('.')
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')),
        SupportLang::Php => entry
            .trim_end_matches('\\')
            .split('\\')
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')),
        _ => !entry.contains('*'),
    };
    let form = match lang {
        SupportLang::Rust => "a crate name as code writes it (`tokio`, `tower_http`)",
        SupportLang::Python => "a module (`yaml`, `flask_sqlalchemy`)",
        SupportLang::Php => "a namespace prefix (`Illuminate\\`)",
        _ => "a module path",
    };
    (!ok).then(|| format!("`{entry}` is not {form}"))
}

struct Syntax {
    line_comments: &'static [&'static str],
    block_comments: bool,
    quotes: &'static str,
    triple_quotes: bool,
    /// Rust: `'a` is a lifetime and `r#"..."#` a raw string.
    rust: bool,
    separator: &'static str,
}

impl Syntax {
    fn of(lang: SupportLang) -> Syntax {
        let c_like = Syntax {
            line_comments: &["//"],
            block_comments: true,
            quotes: "'\"`",
            triple_quotes: false,
            rust: false,
            separator: "/",
        };
        match lang {
            SupportLang::Python => Syntax {
                line_comments: &["#"],
                block_comments: false,
                quotes: "'\"",
                triple_quotes: true,
                separator: ".",
                ..c_like
            },
            SupportLang::Ruby => Syntax {
                line_comments: &["#"],
                block_comments: false,
                quotes: "'\"",
                ..c_like
            },
            SupportLang::Rust => Syntax {
                quotes: "\"",
                rust: true,
                separator: "",
                ..c_like
            },
            SupportLang::Php => Syntax {
                line_comments: &["//", "#"],
                quotes: "'\"",
                separator: "\\",
                ..c_like
            },
            _ => c_like,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Punct(char),
    Str(&'a str),
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Words, punctuation and string literals, without comments and whitespace.
fn tokenize<'a>(text: &'a str, syntax: &Syntax) -> Vec<Tok<'a>> {
    let b = text.as_bytes();
    let php_names = syntax.separator == "\\";
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
        } else if syntax.line_comments.iter().any(|m| rest.starts_with(m))
            && !(syntax.line_comments.contains(&"#") && rest.starts_with("#["))
        {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if syntax.block_comments && rest.starts_with("/*") {
            i += rest[2..].find("*/").map_or(rest.len(), |e| e + 4);
        } else if syntax.triple_quotes && (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
            let q = &rest[..3];
            let end = rest[3..].find(q).map_or(rest.len(), |e| e + 6);
            out.push(Tok::Str(&rest[3..end.saturating_sub(3).max(3)]));
            i += end;
        } else if syntax.rust && c == '\'' {
            // A char literal ('x', '\n') or a lifetime ('a): skip either.
            let mut chars = rest[1..].chars();
            i += match (chars.next(), chars.next()) {
                (Some('\\'), _) => rest[2..].find('\'').map_or(1, |e| e + 3),
                (Some(ch), Some('\'')) => 2 + ch.len_utf8(),
                _ => 1,
            };
        } else if syntax.rust && (rest.starts_with("r#") || rest.starts_with("r\"")) {
            let hashes = rest[1..].chars().take_while(|&h| h == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 1 + hashes + 1;
            match rest.get(body..).and_then(|r| r.find(&close)) {
                Some(e) if rest[1 + hashes..].starts_with('"') => {
                    out.push(Tok::Str(&rest[body..body + e]));
                    i += body + e + close.len();
                }
                _ => {
                    out.push(Tok::Word("r"));
                    i += 1;
                }
            }
        } else if syntax.quotes.contains(c) {
            let mut j = 1;
            let rb = rest.as_bytes();
            while j < rb.len() && rb[j] != c as u8 {
                // A newline ends an unterminated quote (except in template/raw strings).
                if rb[j] == b'\n' && c != '`' {
                    break;
                }
                j += if rb[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(rb.len());
            out.push(Tok::Str(rest.get(1..end).unwrap_or("")));
            i += (end + 1).min(rest.len());
        } else if is_word(c) || (php_names && c == '\\') {
            // In PHP a qualified name (`\Illuminate\Support\Str`) is one word.
            let len = rest
                .find(|ch: char| !(is_word(ch) || (php_names && ch == '\\')))
                .unwrap_or(rest.len());
            out.push(Tok::Word(&rest[..len]));
            i += len;
        } else {
            out.push(Tok::Punct(c));
            i += c.len_utf8();
        }
    }
    out
}

/// `require('x')`, `import('x')`, `import ... from 'x'`, `export ... from 'x'`, `import 'x'`.
fn javascript(t: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        let spec = match (tok, t.get(i + 1), t.get(i + 2)) {
            (Tok::Word("require" | "import"), Some(Tok::Punct('(')), Some(Tok::Str(s))) => s,
            (Tok::Word("from" | "import"), Some(Tok::Str(s)), _) => s,
            _ => continue,
        };
        // `obj.from('x')` or `x.import 'y'` is a property, not the keyword.
        if i > 0 && t[i - 1] == Tok::Punct('.') {
            continue;
        }
        out.push(spec.to_string());
    }
    out
}

/// A dotted name starting at `t[i]`, and the index after it.
fn dotted(t: &[Tok], mut i: usize) -> Option<(String, usize)> {
    let mut name = String::new();
    loop {
        let Some(Tok::Word(w)) = t.get(i) else {
            return None;
        };
        name.push_str(w);
        i += 1;
        if t.get(i) == Some(&Tok::Punct('.')) {
            name.push('.');
            i += 1;
        } else {
            return Some((name, i));
        }
    }
}

/// `import a.b as c, d`, `from a.b import c` (not relative imports), `import_module('x')`.
fn python(t: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match &t[i] {
            Tok::Word("import") if i == 0 || t[i - 1] != Tok::Punct('.') => {
                let mut j = i + 1;
                while let Some((name, next)) = dotted(t, j) {
                    out.push(name);
                    j = next;
                    if t.get(j) == Some(&Tok::Word("as")) {
                        j += 2;
                    }
                    if t.get(j) != Some(&Tok::Punct(',')) {
                        break;
                    }
                    j += 1;
                }
                i = j.max(i + 1);
            }
            Tok::Word("from") => {
                if let Some((name, next)) = dotted(t, i + 1) {
                    if t.get(next) == Some(&Tok::Word("import")) {
                        out.push(name);
                    }
                }
                i += 1;
            }
            Tok::Word("import_module" | "__import__") => {
                if let (Some(Tok::Punct('(')), Some(Tok::Str(s))) = (t.get(i + 1), t.get(i + 2)) {
                    out.push(s.to_string());
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// `tokio::x` paths anywhere (`use tokio::`, `#[tokio::main]`), `use tokio;`,
/// `extern crate tokio`.
fn rust(t: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        let Tok::Word(w) = tok else { continue };
        let path_head =
            t.get(i + 1) == Some(&Tok::Punct(':')) && t.get(i + 2) == Some(&Tok::Punct(':'));
        let after_use = (i > 0 && matches!(t[i - 1], Tok::Word("use" | "crate")))
            || (i > 2 && t[i - 3] == Tok::Word("use") && t[i - 1] == Tok::Punct(':'));
        if path_head || after_use {
            out.push(w.to_string());
        }
    }
    out
}

/// `import "x"`, `import alias "x"`, `import ( ... )`.
fn go(t: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t[i] != Tok::Word("import") {
            i += 1;
            continue;
        }
        let grouped = t.get(i + 1) == Some(&Tok::Punct('('));
        let mut j = i + 1;
        while j < t.len() {
            match &t[j] {
                Tok::Str(s) => {
                    out.push(s.to_string());
                    if !grouped {
                        break;
                    }
                }
                Tok::Punct(')') if grouped => break,
                Tok::Word(_) | Tok::Punct('.' | '_' | '(' | ';') => {}
                _ => break,
            }
            j += 1;
        }
        i = j + 1;
    }
    out
}

/// `require 'x'`, `require("x")`.
fn ruby(t: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        if *tok != Tok::Word("require") || (i > 0 && t[i - 1] == Tok::Punct('.')) {
            continue;
        }
        match (t.get(i + 1), t.get(i + 2)) {
            (Some(Tok::Str(s)), _) | (Some(Tok::Punct('(')), Some(Tok::Str(s))) => {
                out.push(s.to_string())
            }
            _ => {}
        }
    }
    out
}

/// Every namespace-qualified name in code: `use Illuminate\Support\Str;`,
/// `\Illuminate\Support\Facades\Route::get(...)`.
fn php(t: &[Tok]) -> Vec<String> {
    t.iter()
        .filter_map(|tok| match tok {
            Tok::Word(w) if w.contains('\\') => Some(w.trim_start_matches('\\').to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(lang: SupportLang, text: &str, entry: &str) -> bool {
        FileImports::read(lang, text).uses(&[entry.to_string()])
    }

    #[test]
    fn javascript_and_typescript() {
        use SupportLang::{JavaScript as Js, TypeScript as Ts};
        assert!(uses(Js, "const express = require('express');", "express"));
        assert!(uses(
            Js,
            "const r = require(\"express/lib/router\");",
            "express"
        ));
        assert!(uses(
            Ts,
            "import express, { Request } from 'express';",
            "express"
        ));
        assert!(uses(
            Ts,
            "import type { Request } from \"express\"",
            "express"
        ));
        assert!(uses(Js, "export { Router } from 'express'", "express"));
        assert!(uses(Js, "import 'express';", "express"));
        assert!(uses(Js, "const m = await import('express')", "express"));
        assert!(uses(Ts, "import x = require('@hapi/hapi')", "@hapi/hapi"));
        assert!(!uses(
            Js,
            "const e = require('express-session');",
            "express"
        ));
        assert!(!uses(Js, "// const e = require('express');\n", "express"));
        assert!(!uses(Js, "/* import x from 'express' */", "express"));
        assert!(!uses(Js, "const s = \"require('express')\";", "express"));
        assert!(!uses(Js, "const s = `import e from 'express'`;", "express"));
        assert!(!uses(Js, "Array.from('express')", "express"));
    }

    #[test]
    fn python() {
        use SupportLang::Python as Py;
        assert!(uses(Py, "import yaml\n", "yaml"));
        assert!(uses(Py, "import os, yaml.loader as l\n", "yaml"));
        assert!(uses(
            Py,
            "from flask_sqlalchemy import SQLAlchemy\n",
            "flask_sqlalchemy"
        ));
        assert!(uses(
            Py,
            "from sqlalchemy.orm import Session\n",
            "sqlalchemy"
        ));
        assert!(uses(
            Py,
            "from sqlalchemy.orm import Session\n",
            "sqlalchemy.orm"
        ));
        assert!(uses(Py, "m = importlib.import_module('numpy')\n", "numpy"));
        assert!(!uses(Py, "import yamlish\n", "yaml"));
        assert!(!uses(Py, "from . import yaml\n", "yaml"));
        assert!(!uses(Py, "# import yaml\n", "yaml"));
        assert!(!uses(Py, "s = 'import yaml'\n", "yaml"));
        assert!(!uses(Py, "\"\"\"\nimport yaml\n\"\"\"\nx = 1\n", "yaml"));
        assert!(!uses(Py, "raise Error from yaml\n", "yaml"));
    }

    #[test]
    fn rust() {
        use SupportLang::Rust as Rs;
        assert!(uses(Rs, "use tokio::sync::Mutex;", "tokio"));
        assert!(uses(Rs, "#[tokio::main]\nasync fn main() {}", "tokio"));
        assert!(uses(Rs, "fn f() { tokio::spawn(async {}); }", "tokio"));
        assert!(uses(Rs, "extern crate tokio;", "tokio"));
        assert!(uses(Rs, "use ::tokio as rt;", "tokio"));
        assert!(uses(Rs, "use tower_http::cors::CorsLayer;", "tower_http"));
        assert!(!uses(Rs, "use tokio_util::codec;", "tokio"));
        assert!(!uses(
            Rs,
            "// use tokio::sync;\nfn f<'a>(x: &'a str) {}",
            "tokio"
        ));
        assert!(!uses(Rs, "let s = \"tokio::spawn\"; let c = ':';", "tokio"));
        assert!(!uses(Rs, "let s = r#\"use tokio::x;\"#;", "tokio"));
    }

    #[test]
    fn go() {
        use SupportLang::Go;
        let gin = "github.com/gin-gonic/gin";
        assert!(uses(
            Go,
            "package x\nimport \"github.com/gin-gonic/gin\"\n",
            gin
        ));
        assert!(uses(
            Go,
            "package x\nimport (\n\t\"fmt\"\n\tb \"github.com/gin-gonic/gin/binding\"\n)\n",
            gin
        ));
        assert!(uses(
            Go,
            "import (\n\t_ \"github.com/gin-gonic/gin\"\n)",
            gin
        ));
        assert!(!uses(
            Go,
            "import \"github.com/gin-gonic/gin-contrib\"\n",
            gin
        ));
        assert!(!uses(Go, "// import \"github.com/gin-gonic/gin\"\n", gin));
        assert!(!uses(
            Go,
            "import \"fmt\"\nvar s = \"github.com/gin-gonic/gin\"\n",
            gin
        ));
    }

    #[test]
    fn ruby_and_php() {
        use SupportLang::{Php, Ruby};
        assert!(uses(Ruby, "require 'active_record'\n", "active_record"));
        assert!(uses(Ruby, "require(\"rails/all\")\n", "rails"));
        assert!(!uses(Ruby, "# require 'rails'\n", "rails"));
        assert!(!uses(Ruby, "require 'railsy'\n", "rails"));
        assert!(uses(
            Php,
            "<?php\nuse Illuminate\\Support\\Str;\n",
            "Illuminate\\"
        ));
        assert!(uses(
            Php,
            "<?php\n\\Illuminate\\Support\\Facades\\Route::get('/');\n",
            "Illuminate"
        ));
        assert!(!uses(
            Php,
            "<?php\n// use Illuminate\\Support\\Str;\n",
            "Illuminate\\"
        ));
        assert!(!uses(
            Php,
            "<?php\n$s = 'Illuminate\\Support';\n",
            "Illuminate\\"
        ));
        assert!(!uses(Php, "<?php\nuse IlluminateX\\Foo;\n", "Illuminate\\"));
        // A PHP 8 attribute is code, not a `#` comment.
        assert!(uses(
            Php,
            "<?php\n#[\\Illuminate\\Attr]\nclass A {}\n",
            "Illuminate\\"
        ));
    }

    #[test]
    fn entries() {
        assert!(entry_problem(SupportLang::Rust, "tokio").is_none());
        assert!(entry_problem(SupportLang::Rust, "tower-http").is_some());
        assert!(entry_problem(SupportLang::Python, "flask_sqlalchemy").is_none());
        assert!(entry_problem(SupportLang::Python, "flask-sqlalchemy").is_some());
        assert!(entry_problem(SupportLang::Php, "Illuminate\\").is_none());
        assert!(entry_problem(SupportLang::JavaScript, "express").is_none());
        assert!(entry_problem(SupportLang::JavaScript, "*").is_none());
        assert!(entry_problem(SupportLang::JavaScript, "ex press").is_some());
        assert!(entry_problem(SupportLang::JavaScript, "").is_some());
    }
}
