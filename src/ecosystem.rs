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
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Ecosystem {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let known: Vec<&str> = Ecosystem::ALL.iter().map(|e| e.as_str()).collect();
                format!("unknown ecosystem `{s}` (known: {})", known.join(", "))
            })
    }
}
