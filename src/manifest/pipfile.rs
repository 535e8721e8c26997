//! Pipfile (pipenv): the names under `[packages]` and `[dev-packages]`.

use crate::lockfile::{from_toml, pep508, ParseError};
use toml::{Table, Value};

pub fn direct_dependencies(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let doc: Table = from_toml(bytes)?;
    let mut names: Vec<String> = ["packages", "dev-packages"]
        .into_iter()
        .filter_map(|k| doc.get(k).and_then(Value::as_table))
        .flat_map(|t| t.keys())
        .map(|k| pep508::normalize(k))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_dev_packages() {
        let m = b"[[source]]\nname = \"idx\"\nurl = \"https://registry.example.invalid/simple\"\n\n[packages]\nFlask = \"==3.0.3\"\nmylib = {path = \"./libs/mylib\", editable = true}\n\n[dev-packages]\npytest = \"*\"\n\n[requires]\npython_version = \"3.11\"\n";
        assert_eq!(
            direct_dependencies(m).unwrap(),
            ["flask", "mylib", "pytest"]
        );
    }
}
