//! The registry configuration of each ecosystem, read once per run and only for the
//! ecosystems asked about: shared by the release notes and `preview`'s version lookup,
//! so both ask the same registries.

use super::cargo_config::CargoConfig;
use super::config::NpmConfig;
use super::pip_config::PipConfig;
use crate::ecosystem::Ecosystem;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Registries {
    pub npm: NpmConfig,
    pub cargo: CargoConfig,
    pub pip: PipConfig,
}

impl Registries {
    /// The user's configuration (from `project_dir` and the home folder) for the
    /// ecosystems `wants` accepts; defaults for the others.
    pub fn discover(project_dir: Option<&Path>, wants: impl Fn(Ecosystem) -> bool) -> Registries {
        Registries {
            npm: if wants(Ecosystem::Npm) {
                NpmConfig::discover(project_dir)
            } else {
                NpmConfig::default()
            },
            cargo: if wants(Ecosystem::Cargo) {
                CargoConfig::discover(project_dir)
            } else {
                CargoConfig::default()
            },
            pip: if wants(Ecosystem::Pypi) {
                PipConfig::discover()
            } else {
                PipConfig::default()
            },
        }
    }
}
