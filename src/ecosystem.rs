//! The package ecosystems bumpcheck knows by name (rules name them in `metadata.ecosystem`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Npm,
    Cargo,
    Pypi,
    Go,
    Rubygems,
    Packagist,
    Nuget,
    Maven,
    Pub,
    Hex,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 10] = [
        Ecosystem::Npm,
        Ecosystem::Cargo,
        Ecosystem::Pypi,
        Ecosystem::Go,
        Ecosystem::Rubygems,
        Ecosystem::Packagist,
        Ecosystem::Nuget,
        Ecosystem::Maven,
        Ecosystem::Pub,
        Ecosystem::Hex,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Go => "go",
            Ecosystem::Rubygems => "rubygems",
            Ecosystem::Packagist => "packagist",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Maven => "maven",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
        }
    }

    /// The names `from_str` takes, for messages: `npm, cargo (or crates), ...`.
    pub fn known() -> String {
        let each = Ecosystem::ALL.iter().map(|e| match e.names() {
            [own] => own.to_string(),
            [own, others @ ..] => format!("{own} (or {})", others.join(", ")),
            [] => String::new(),
        });
        each.collect::<Vec<_>>().join(", ")
    }

    /// Every name the ecosystem is known by: its own (printed everywhere, the JSON's
    /// `ecosystem`) first, then the names of its package manager or registry that users
    /// write too (`gem:rails`, `composer:` in a spec, `library/gem/` for rules), accepted
    /// wherever an ecosystem is named and never printed.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Ecosystem::Npm => &["npm"],
            Ecosystem::Cargo => &["cargo", "crates"],
            Ecosystem::Pypi => &["pypi", "pip"],
            Ecosystem::Go => &["go"],
            Ecosystem::Rubygems => &["rubygems", "gem"],
            Ecosystem::Packagist => &["packagist", "composer"],
            Ecosystem::Nuget => &["nuget"],
            Ecosystem::Maven => &["maven"],
            Ecosystem::Pub => &["pub"],
            Ecosystem::Hex => &["hex"],
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Ecosystem {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Every name, case-insensitively: `PyPI`, `RubyGems`.
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.names().iter().any(|n| n.eq_ignore_ascii_case(s)))
            .ok_or_else(|| format!("unknown ecosystem `{s}` (known: {})", Ecosystem::known()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_printed_every_name_read() {
        for e in Ecosystem::ALL {
            assert_eq!(e.names()[0], e.as_str());
            for name in e.names() {
                assert_eq!(name.parse::<Ecosystem>(), Ok(e));
                assert_eq!(name.to_uppercase().parse::<Ecosystem>(), Ok(e));
            }
        }
        let err = "gems".parse::<Ecosystem>().unwrap_err();
        assert!(err.contains("rubygems (or gem)"), "{err}");
    }
}
