//! Target versions for `preview`, from the registry the user configured: npm packuments
//! (registry and tokens from .npmrc, `NpmConfig`), cargo sparse indexes (cargo's source
//! replacements, `CargoConfig`) and Python simple indexes (pip's and uv's configuration,
//! `PipConfig`), Go module proxies (GOPROXY), gem sources' compact
//! index (the Gemfile.lock's `remote:`), Composer repositories' `p2` metadata. Requests go through the notes' HTTP client (retries, ETag cache), so the
//! release notes fetched afterwards reuse what was read here.

mod composer;
mod crates;
mod goproxy;
mod npm;
mod pick;
mod pypi;
mod rubygems;
mod spelling;

pub use composer::project_repository as composer_project_repository;
pub use pick::{check_range, highest, Wanted};

use crate::ecosystem::Ecosystem;
use crate::notes::http::{Http, HttpError};
use crate::notes::registries::Registries;
use std::path::Path;
use thiserror::Error;

/// One version to resolve: `spec` is how the user wrote it, for messages.
#[derive(Clone, Debug)]
pub struct Query {
    pub spec: String,
    pub ecosystem: Ecosystem,
    pub name: String,
    pub wanted: Wanted,
    /// Where the lockfile says the package comes from now (a cargo index, a Python
    /// index): the registry to ask when the configuration names none.
    pub source: Option<String>,
}

#[derive(Debug)]
pub struct RegistryError {
    pub spec: String,
    pub problem: Problem,
}

/// Masks every known secret: a registry's message may echo a credential back.
impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = format!("`{}`: {}", self.spec, self.problem);
        f.write_str(&crate::redact::redact(&text))
    }
}

impl std::error::Error for RegistryError {}

#[derive(Debug, Error)]
pub enum Problem {
    #[error("offline, only an exact version can be previewed (`{0}` needs the registry)")]
    Offline(String),
    #[error("bumpcheck does not read the {0} registry: give an exact version, such as {1}")]
    ExactOnly(Ecosystem, &'static str),
    #[error("{0}")]
    NotConfigured(String),
    #[error("{url}: no version of {name} matches `{wanted}`{newest}")]
    NoMatch {
        url: String,
        name: String,
        wanted: String,
        /// `(newest: 5.1.0)`, or nothing when the registry lists no version.
        newest: String,
    },
    #[error("{url}: {message}")]
    Invalid { url: String, message: String },
    #[error(transparent)]
    Http(#[from] HttpError),
}

/// Resolves queries against the configured registries; without the network (offline),
/// only exact versions, which are taken as they are.
pub struct Resolver {
    http: Http,
    offline: bool,
    registries: Registries,
}

impl Resolver {
    /// Reads the configuration of the ecosystems `queries` name, from `project_dir` and
    /// the user's files, as the release notes do.
    pub fn new(
        queries: &[Query],
        opts: &crate::notes::Options,
        project_dir: Option<&Path>,
    ) -> Resolver {
        let wants = |e: Ecosystem| !opts.offline && queries.iter().any(|q| q.ecosystem == e);
        Resolver {
            http: Http::new(opts.http.clone(), opts.cache()),
            offline: opts.offline,
            registries: Registries::discover(project_dir, &opts.endpoints, wants),
        }
    }

    /// The version each query resolves to, in order.
    pub fn resolve_all(&self, queries: &[Query]) -> Vec<Result<String, RegistryError>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime starts");
        runtime.block_on(async {
            let mut out = Vec::new();
            for q in queries {
                out.push(self.resolve(q).await.map_err(|problem| RegistryError {
                    spec: q.spec.clone(),
                    problem,
                }));
            }
            out
        })
    }

    async fn resolve(&self, q: &Query) -> Result<String, Problem> {
        let readable = matches!(
            q.ecosystem,
            Ecosystem::Npm
                | Ecosystem::Cargo
                | Ecosystem::Pypi
                | Ecosystem::Go
                | Ecosystem::Rubygems
                | Ecosystem::Packagist
        );
        match (&q.wanted, self.offline, readable) {
            // Offline, an exact version is taken on trust: there is nothing to ask.
            (Wanted::Exact(v), true, _) | (Wanted::Exact(v), _, false) => return Ok(v.clone()),
            (w, true, _) => return Err(Problem::Offline(w.to_string())),
            (_, false, false) => return Err(Problem::ExactOnly(q.ecosystem, example(q.ecosystem))),
            // A proxy's list holds neither (it lists tags, and ranges leave out
            // `+incompatible`), yet both are valid targets.
            (Wanted::Exact(v), _, _)
                if q.ecosystem == Ecosystem::Go && goproxy::outside_ranges(v) =>
            {
                return Ok(v.clone())
            }
            _ => {}
        }
        let listing = match (self.listing(q).await, trusted_exact(q)) {
            // Where only an exact version used to be accepted, it still needs no registry.
            (Err(Problem::NotConfigured(_)), Some(v)) => return Ok(v),
            (other, _) => other?,
        };
        highest(q.ecosystem, &listing.versions, &q.wanted, &listing.tags).ok_or_else(|| {
            let newest = highest(
                q.ecosystem,
                &listing.versions,
                &Wanted::Tag("latest".into()),
                &listing.tags,
            );
            Problem::NoMatch {
                url: listing.url,
                name: q.name.clone(),
                wanted: q.wanted.to_string(),
                newest: newest
                    .map(|n| format!(" (newest: {n})"))
                    .unwrap_or_default(),
            }
        })
    }

    async fn listing(&self, q: &Query) -> Result<Listing, Problem> {
        Ok(match q.ecosystem {
            Ecosystem::Npm => npm::versions(&self.http, &self.registries.npm, &q.name).await?,
            Ecosystem::Cargo => {
                let index = self
                    .registries
                    .cargo
                    .index_for(q.source.as_deref())
                    .map_err(Problem::NotConfigured)?;
                crates::versions(&self.http, &index, &q.name).await?
            }
            Ecosystem::Go => goproxy::versions(&self.http, &q.name).await?,
            Ecosystem::Packagist => {
                composer::versions(
                    &self.http,
                    self.registries.composer.as_deref(),
                    &q.name,
                    q.source.as_deref(),
                )
                .await?
            }
            Ecosystem::Rubygems => {
                rubygems::versions(
                    &self.http,
                    self.registries.rubygems.as_deref(),
                    &q.name,
                    q.source.as_deref(),
                )
                .await?
            }
            _ => {
                pypi::versions(
                    &self.http,
                    &self.registries.pip,
                    &q.name,
                    q.source.as_deref(),
                )
                .await?
            }
        })
    }
}

/// An exact version of a Go module, gem or Composer package is taken on trust when no
/// registry is configured for it, as before these registries were read.
fn trusted_exact(q: &Query) -> Option<String> {
    match (&q.wanted, q.ecosystem) {
        (Wanted::Exact(v), Ecosystem::Go | Ecosystem::Rubygems | Ecosystem::Packagist) => {
            Some(v.clone())
        }
        _ => None,
    }
}

/// What a registry lists for a package.
pub(crate) struct Listing {
    /// The document read, for messages (credentials left out).
    pub url: String,
    /// Published versions, yanked ones left out.
    pub versions: Vec<String>,
    /// npm's dist-tags.
    pub tags: std::collections::BTreeMap<String, String>,
}

/// An exact version in the ecosystem's spelling, for messages.
fn example(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Nuget => "nuget:Newtonsoft.Json@13.0.3",
        Ecosystem::Maven => "maven:com.google.guava:guava@33.0.0-jre",
        Ecosystem::Pub => "pub:http@1.2.1",
        Ecosystem::Hex => "hex:phoenix@1.7.14",
        _ => "name@1.2.3",
    }
}
