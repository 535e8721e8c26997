//! composer.json: the packages it requires (`require`, `require-dev`), less the platform
//! requirements (`php`, `ext-*`, `lib-*`, `composer-*-api`), which are not packages.

use crate::lockfile::ParseError;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct RawManifest {
    require: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "require-dev")]
    require_dev: Option<BTreeMap<String, serde_json::Value>>,
}

pub fn direct_dependencies(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let raw: RawManifest = crate::lockfile::json::from_json(bytes)?;
    let mut names: Vec<String> = [raw.require, raw.require_dev]
        .into_iter()
        .flatten()
        .flat_map(BTreeMap::into_keys)
        .map(|n| n.to_lowercase())
        .filter(|n| !is_platform(n))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Platform packages name the PHP runtime and its extensions, not installable packages.
fn is_platform(name: &str) -> bool {
    !name.contains('/')
        && (matches!(
            name,
            "php" | "php-64bit" | "php-ipv6" | "php-zts" | "php-debug" | "hhvm"
        ) || name.starts_with("ext-")
            || name.starts_with("lib-")
            || name.starts_with("composer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_without_platform_packages() {
        let m = br#"{"require": {"php": ">=8.1", "ext-json": "*", "Monolog/Monolog": "^3",
            "composer-runtime-api": "^2"}, "require-dev": {"phpunit/phpunit": "^10"}}"#;
        assert_eq!(
            direct_dependencies(m).unwrap(),
            ["monolog/monolog", "phpunit/phpunit"]
        );
        assert!(direct_dependencies(b"{}").unwrap().is_empty());
        assert!(direct_dependencies(b"{\"require\": []}").is_err());
    }
}
