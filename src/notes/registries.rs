//! The registry configuration of each ecosystem, read once per run and only for the
//! ecosystems asked about: shared by the release notes and `preview`'s version lookup,
//! so both ask the same registries.

use super::cargo_config::CargoConfig;
use super::config::{Endpoints, NpmConfig};
use super::pip_config::PipConfig;
use crate::ecosystem::Ecosystem;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Registries {
    pub npm: NpmConfig,
    pub cargo: CargoConfig,
    pub pip: PipConfig,
    /// `registries.rubygems` in bumpcheck.toml, over the Gemfile.lock's `remote:`.
    pub rubygems: Option<String>,
    /// `registries.composer` in bumpcheck.toml, over composer.json's repositories.
    pub composer: Option<String>,
}

impl Registries {
    /// The user's configuration (from `project_dir` and the home folder) for the
    /// ecosystems `wants` accepts, with `bumpcheck.toml`'s `endpoints` over the package
    /// managers' files; defaults for the others.
    pub fn discover(
        project_dir: Option<&Path>,
        endpoints: &Endpoints,
        wants: impl Fn(Ecosystem) -> bool,
    ) -> Registries {
        // Credentials in any configured URL are known before anything is asked.
        for url in [
            &endpoints.npm_registry,
            &endpoints.cargo_index,
            &endpoints.pypi_index,
            &endpoints.rubygems_source,
            &endpoints.composer_repository,
            &endpoints.github_api_url,
        ]
        .into_iter()
        .flatten()
        {
            crate::redact::register_url(url);
        }
        Registries {
            npm: if wants(Ecosystem::Npm) {
                NpmConfig::discover_with(project_dir, endpoints.npm_registry.as_deref())
            } else {
                NpmConfig::default()
            },
            cargo: if wants(Ecosystem::Cargo) {
                let mut cargo = CargoConfig::discover(project_dir);
                if endpoints.cargo_index.is_some() {
                    cargo.default_index = endpoints.cargo_index.clone();
                }
                cargo
            } else {
                CargoConfig::default()
            },
            pip: if wants(Ecosystem::Pypi) {
                PipConfig::discover_with(endpoints.pypi_index.as_deref())
            } else {
                PipConfig::default()
            },
            rubygems: endpoints.rubygems_source.clone(),
            composer: endpoints.composer_repository.clone(),
        }
    }
}
