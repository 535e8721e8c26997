//! The file as written: `bumpcheck.toml` deserialised as is, every value that is checked
//! later kept with its position (`Spanned`) so that an error can point at it. Unknown keys
//! are refused at every level, so a misspelt key is an error rather than a silent no-op.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

type Text = Spanned<String>;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct File {
    pub fail_on: Option<Text>,
    pub max_lockfile_size: Option<Spanned<i64>>,
    pub exclude: Vec<Text>,
    pub rules: Rules,
    pub notes: Notes,
    pub registries: Registries,
    pub github: Github,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rules {
    pub dirs: Vec<Text>,
    pub disable: Vec<Text>,
    /// Rule id -> severity.
    pub severity: BTreeMap<Text, Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Notes {
    pub mode: Option<Text>,
    pub always: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Registries {
    pub npm: Option<Text>,
    pub crates: Option<Text>,
    pub pypi: Option<Text>,
    pub rubygems: Option<Text>,
    pub composer: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Github {
    pub api_url: Option<Text>,
    pub token_env: Option<Text>,
}
