//! pyproject.toml: the dependencies a Python project declares, as PEP 621, PEP 735,
//! Poetry, PDM and uv write them. Names are normalised (PEP 503).

use crate::lockfile::{from_toml, pep508, ParseError};
use toml::{Table, Value};

/// Names from `[project] dependencies` and `optional-dependencies`, `[dependency-groups]`,
/// `[tool.poetry.dependencies]`, `dev-dependencies` and `group.*.dependencies`,
/// `[tool.pdm.dev-dependencies]` and `[tool.uv] dev-dependencies`.
pub fn direct_dependencies(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let doc: Table = from_toml(bytes)?;
    let at = |path: &[&str]| -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        rest.iter().try_fold(doc.get(*first)?, |v, k| v.get(*k))
    };
    // Lists of PEP 508 strings, directly or per group.
    let mut lists: Vec<&Value> = Vec::new();
    lists.extend(at(&["project", "dependencies"]));
    lists.extend(at(&["tool", "uv", "dev-dependencies"]));
    for grouped in [
        at(&["project", "optional-dependencies"]),
        at(&["dependency-groups"]),
        at(&["tool", "pdm", "dev-dependencies"]),
    ] {
        lists.extend(
            grouped
                .and_then(Value::as_table)
                .into_iter()
                .flat_map(|t| t.values()),
        );
    }
    let mut names: Vec<String> = lists
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        // `{include-group = "x"}` tables and `-e ./path` entries name no package.
        .filter_map(Value::as_str)
        .filter_map(pep508::requirement_name)
        .collect();
    // Poetry: tables keyed by name.
    let mut tables: Vec<&Value> = Vec::new();
    tables.extend(at(&["tool", "poetry", "dependencies"]));
    tables.extend(at(&["tool", "poetry", "dev-dependencies"]));
    if let Some(groups) = at(&["tool", "poetry", "group"]).and_then(Value::as_table) {
        tables.extend(groups.values().filter_map(|g| g.get("dependencies")));
    }
    names.extend(
        tables
            .into_iter()
            .filter_map(Value::as_table)
            .flat_map(|t| t.keys())
            .filter(|k| *k != "python")
            .map(|k| pep508::normalize(k)),
    );
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declaration_style() {
        let m = br#"[project]
name = "app"
dependencies = ["Flask[async]>=3", "pydantic ==2.7; python_version>'3.8'"]

[project.optional-dependencies]
cli = ["rich"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]

[tool.poetry.dependencies]
python = "^3.11"
SQLAlchemy = "^2"

[tool.poetry.dev-dependencies]
black = "*"

[tool.poetry.group.docs.dependencies]
mkdocs = "^1"

[tool.pdm.dev-dependencies]
test = ["-e file:///${PROJECT_ROOT}/libs/x#egg=x", "coverage"]

[tool.uv]
dev-dependencies = ["mypy"]
"#;
        assert_eq!(
            direct_dependencies(m).unwrap(),
            [
                "black",
                "coverage",
                "flask",
                "mkdocs",
                "mypy",
                "pydantic",
                "pytest",
                "rich",
                "ruff",
                "sqlalchemy"
            ]
        );
        assert!(direct_dependencies(b"[project\n").is_err());
    }
}
