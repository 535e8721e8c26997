//! Release notes for changed packages, sliced to exactly the versions an upgrade crosses,
//! with breaking changes, removals, deprecations and security fixes pulled out.
//!
//! Sources, cheapest first: the package installed locally at the new version, the
//! registry's published artifact, then GitHub releases and the repository's changelog
//! file. Notes being unavailable never fails a check: each package says which source
//! failed and why.

pub mod breaker;
pub mod cache;
pub mod cargo_config;
pub mod changelog;
pub mod config;
pub mod highlights;
pub mod http;
pub mod pip_config;
pub mod registries;
mod sources;
pub(crate) use sources::local::installed_version;

pub use sources::cargo::prefix as index_prefix;

/// Python project pages (PEP 691/503), read by the registry's version listing too.
pub mod pypi_files {
    pub use super::sources::pypi::{dist_name_version, project_files, File, ACCEPT};
}

use crate::ecosystem::Ecosystem;
use cargo_config::CargoConfig;
use changelog::Section;
use config::{GithubConfig, NpmConfig};
use highlights::Highlight;
use http::{Http, HttpConfig};
use pip_config::PipConfig;
use serde::Serialize;
use sources::Repository;
use std::path::PathBuf;
use std::sync::Arc;

/// Which changed packages get notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    /// Direct dependencies, and packages named by a rule that fired.
    Direct,
    All,
}

/// A package whose notes are wanted.
#[derive(Clone, Debug)]
pub struct Request {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub from: Option<String>,
    pub to: String,
    /// The folder whose `node_modules` (or `.venv`) may hold the new version (the
    /// lockfile's folder in the work tree).
    pub install_dir: Option<PathBuf>,
    /// Where the lockfile says the package comes from: a Cargo.lock `source`
    /// (`registry+URL`, `sparse+URL`) or a Python package index URL.
    pub source: Option<String>,
}

/// The notes of one package, as the JSON report carries them.
#[derive(Clone, Debug, Serialize)]
pub struct PackageNotes {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub from: Option<String>,
    pub to: String,
    /// Where the notes came from (`node_modules`, `npm registry`, `GitHub releases`...).
    pub source: Option<String>,
    pub url: Option<String>,
    /// Newest first.
    pub versions: Vec<VersionNotes>,
    /// Why no notes were found, source by source.
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VersionNotes {
    pub version: String,
    pub title: String,
    pub body: String,
    /// The breaking changes and removals, as text.
    pub breaking: Vec<String>,
    /// Breaking changes, removals, deprecations and security fixes, with API names.
    pub highlights: Vec<Highlight>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub offline: bool,
    pub http: HttpConfig,
    pub cache_dir: Option<PathBuf>,
    /// Where the project's `.npmrc` and `.cargo/config.toml` are.
    pub project_dir: Option<PathBuf>,
    /// Show a progress bar on stderr when fetching takes a while.
    pub progress: bool,
    /// Registries and GitHub endpoints from `bumpcheck.toml`.
    pub endpoints: config::Endpoints,
}

impl Options {
    /// The cache: `cache_dir`, else the default folder.
    pub fn cache(&self) -> Option<cache::Cache> {
        self.cache_dir
            .clone()
            .or_else(cache::Cache::default_dir)
            .map(|d| cache::Cache::new(&d))
    }
}

/// What a run did, besides its notes (for tests and benchmarks).
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub requests: usize,
}

/// Collects notes for every request, concurrently.
pub fn collect(requests: Vec<Request>, opts: &Options) -> (Vec<PackageNotes>, Stats) {
    if requests.is_empty() {
        return (Vec::new(), Stats::default());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime starts");
    runtime.block_on(collect_async(requests, opts))
}

struct Shared {
    http: Http,
    npm: NpmConfig,
    cargo: CargoConfig,
    cargo_indexes: sources::cargo::IndexConfigs,
    pip: PipConfig,
    github: GithubConfig,
    offline: bool,
}

async fn collect_async(requests: Vec<Request>, opts: &Options) -> (Vec<PackageNotes>, Stats) {
    let cache = opts.cache();
    // Each ecosystem's configuration is read only when one of its packages is asked
    // for; offline too, since the configured registry names the cache entries.
    let wants = |e: Ecosystem| requests.iter().any(|r| r.ecosystem == e);
    let project_dir = opts.project_dir.as_deref();
    let registries::Registries {
        npm, cargo, pip, ..
    } = registries::Registries::discover(project_dir, &opts.endpoints, wants);
    let shared = Arc::new(Shared {
        http: Http::new(opts.http.clone(), cache),
        npm,
        cargo,
        cargo_indexes: sources::cargo::IndexConfigs::default(),
        pip,
        github: GithubConfig::from_env_with(&opts.endpoints),
        offline: opts.offline,
    });
    let bar = progress_bar(opts.progress, requests.len());
    let mut tasks = tokio::task::JoinSet::new();
    for (i, req) in requests.into_iter().enumerate() {
        let shared = shared.clone();
        let bar = bar.clone();
        tasks.spawn(async move {
            let notes = for_package(&shared, req).await;
            if let Some(b) = &bar {
                b.inc(1);
            }
            (i, notes)
        });
    }
    let mut out: Vec<(usize, PackageNotes)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Ok(pair) = done {
            out.push(pair);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out.sort_by_key(|(i, _)| *i);
    let stats = Stats {
        requests: shared.http.requests(),
    };
    (out.into_iter().map(|(_, n)| n).collect(), stats)
}

/// A bar that only appears when fetching takes more than half a second, and never on a
/// pipe.
fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("release notes {bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    });
    Some(bar)
}

/// How each ecosystem's registry is named in the report, and what its artifact is called.
fn registry_label(ecosystem: Ecosystem) -> Option<(&'static str, &'static str)> {
    match ecosystem {
        Ecosystem::Npm => Some(("npm registry", "tarball")),
        Ecosystem::Cargo => Some(("cargo registry", ".crate")),
        Ecosystem::Pypi => Some(("package index", "sdist")),
        _ => None,
    }
}

/// The package installed locally at the new version, if any.
fn installed(shared: &Shared, req: &Request) -> Option<sources::local::Installed> {
    match req.ecosystem {
        Ecosystem::Npm => sources::local::npm(req.install_dir.as_deref()?, &req.name, &req.to),
        Ecosystem::Cargo => {
            sources::local::cargo(shared.cargo.home.as_deref()?, &req.name, &req.to)
        }
        Ecosystem::Pypi => {
            let beside = req
                .install_dir
                .iter()
                .flat_map(|d| [d.join(".venv"), d.join("venv")]);
            beside
                .chain(shared.pip.virtual_env.clone())
                .find_map(|venv| sources::local::pypi(&venv, &req.name, &req.to))
        }
        _ => None,
    }
}

/// The cache keys under which the registry's artifact may already have been read.
fn published_keys(shared: &Shared, req: &Request) -> Vec<String> {
    match req.ecosystem {
        Ecosystem::Npm => shared
            .npm
            .registry_for(&req.name)
            .map(|r| sources::npm::cache_key(&r, &req.name, &req.to))
            .into_iter()
            .collect(),
        Ecosystem::Cargo => shared
            .cargo
            .index_for(req.source.as_deref())
            .map(|i| sources::cargo::cache_key(&i.url, &req.name, &req.to))
            .into_iter()
            .collect(),
        Ecosystem::Pypi => shared
            .pip
            .indexes(req.source.as_deref())
            .iter()
            .map(|i| sources::pypi::cache_key(i, &req.name, &req.to))
            .collect(),
        _ => Vec::new(),
    }
}

/// The registry's artifact of the new version, read (or from the cache).
async fn published(
    shared: &Shared,
    req: &Request,
) -> Result<sources::Published, sources::Unpublished> {
    match req.ecosystem {
        Ecosystem::Npm => {
            sources::npm::published(&shared.http, &shared.npm, &req.name, &req.to).await
        }
        Ecosystem::Cargo => {
            let index = shared.cargo.index_for(req.source.as_deref())?;
            let (http, github, configs) = (&shared.http, &shared.github, &shared.cargo_indexes);
            Ok(
                sources::cargo::published(http, github, configs, &index, &req.name, &req.to)
                    .await?,
            )
        }
        Ecosystem::Pypi => {
            let indexes = shared.pip.indexes(req.source.as_deref());
            if indexes.is_empty() {
                return Err("no Python package index is configured (set PIP_INDEX_URL, \
                            `index-url` in pip.conf or UV_DEFAULT_INDEX; the lockfile records none)"
                    .into());
            }
            // The first index that has the version.
            let mut errors = Vec::new();
            for index in &indexes {
                match sources::pypi::published(&shared.http, index, &req.name, &req.to).await {
                    Ok(p) => return Ok(p),
                    Err(e) => errors.push(e),
                }
            }
            Err(errors.join("; ").into())
        }
        other => Err(format!("release notes for {other} packages are not supported yet").into()),
    }
}

/// A package's notes, with every known secret masked in its reasons and URL: the one
/// place where they become report text.
async fn for_package(shared: &Shared, req: Request) -> PackageNotes {
    let mut notes = gather(shared, req).await;
    notes.error = notes.error.map(|e| crate::redact::redact(&e));
    notes.url = notes.url.map(|u| crate::redact::redact(&u));
    notes
}

async fn gather(shared: &Shared, req: Request) -> PackageNotes {
    let mut notes = PackageNotes {
        ecosystem: req.ecosystem,
        name: req.name.clone(),
        from: req.from.clone(),
        to: req.to.clone(),
        source: None,
        url: None,
        versions: Vec::new(),
        error: None,
    };
    let Some((label, artifact)) = registry_label(req.ecosystem) else {
        notes.error = Some(format!(
            "release notes for {} packages are not supported yet",
            req.ecosystem
        ));
        return notes;
    };
    let mut failures: Vec<String> = Vec::new();
    let mut repository: Option<Repository> = None;
    let slice = |text: &str| {
        changelog::slice(
            changelog::sections(text, &req.name),
            req.ecosystem,
            req.from.as_deref(),
            &req.to,
        )
    };

    // 1. Installed locally.
    if let Some(installed) = installed(shared, &req) {
        repository = installed.repository.clone();
        for (file, text) in &installed.changelogs {
            let sections = slice(text);
            if !sections.is_empty() {
                let url = format!("{}/{file}", installed.path);
                return finish(notes, installed.source, url, sections);
            }
        }
        if let Some((file, _)) = installed.changelogs.first() {
            failures.push(format!(
                "{}: {file} has no section in the range",
                installed.source
            ));
        }
    }
    // 2. The registry's published artifact (cached for good once read).
    if shared.offline {
        for key in published_keys(shared, &req) {
            let hit = sources::cached(shared.http.cache(), &key);
            if let Some((_, text)) = hit.as_ref().and_then(|p| p.changelog.as_ref()) {
                let sections = slice(text);
                if !sections.is_empty() {
                    let url = crate::redact::redact(&hit.map(|p| p.tarball).unwrap_or_default());
                    return finish(notes, &format!("{label} (cached)"), url, sections);
                }
            }
        }
        failures.push("offline: only installed packages and the cache are read".to_string());
        notes.error = Some(failures.join("; "));
        return notes;
    }
    // Whether the registry's metadata was read: when it was not, its failure says why no
    // repository is known, and "none is named" would be wrong.
    let mut metadata_read = true;
    match published(shared, &req).await {
        Ok(p) => {
            repository = repository.or(p.repository.clone());
            match &p.changelog {
                Some((file, text)) => {
                    let sections = slice(text);
                    if !sections.is_empty() {
                        let url = format!("{}#{file}", crate::redact::redact(&p.tarball));
                        return finish(notes, label, url, sections);
                    }
                    failures.push(format!(
                        "{label}: {file} in the {artifact} has no section in the range"
                    ));
                }
                None => failures.push(match &p.too_large {
                    Some((file, bytes)) => format!(
                        "{label}: {file} is in the {artifact} but too large to read ({bytes} bytes; \
                         bumpcheck reads files up to {} MiB)",
                        sources::MAX_FILE_BYTES >> 20
                    ),
                    None => format!("{label}: the {artifact} has no changelog file"),
                }),
            }
        }
        Err(e) => {
            metadata_read = e.repository.is_some();
            repository = repository.or(e.repository);
            failures.push(format!("{label}: {}", e.reason));
        }
    }
    // 3. GitHub releases, then the repository's changelog file.
    match repository {
        Some(repo) if sources::github::serves(&shared.github, &repo) => {
            match sources::github::releases(&shared.http, &shared.github, &repo, req.ecosystem, &req.name, req.from.as_deref(), &req.to).await {
                Ok(sections) if sections.iter().any(|s| !s.body.is_empty()) => {
                    return finish(notes, "GitHub releases", sources::github::releases_page(&repo), sections);
                }
                Ok(_) => failures.push("GitHub releases: none in the range".into()),
                Err(e) => failures.push(format!("GitHub releases: {e}")),
            }
            match sources::github::changelog_file(&shared.http, &shared.github, &repo).await {
                Ok((path, text)) => {
                    let sections = slice(&text);
                    if !sections.is_empty() {
                        return finish(notes, "GitHub changelog", sources::github::file_page(&repo, &path), sections);
                    }
                    failures.push(format!("GitHub changelog: {path} has no section in the range"));
                }
                Err(e) => failures.push(format!("GitHub changelog: {e}")),
            }
        }
        Some(repo) => failures.push(format!("repository on {} is not a GitHub host bumpcheck knows (set GITHUB_SERVER_URL and GITHUB_API_URL for GitHub Enterprise)", repo.host)),
        None if !metadata_read => {}
        None => failures.push("no repository is named in the package metadata".into()),
    }
    notes.error = Some(failures.join("; "));
    notes
}

fn finish(
    mut notes: PackageNotes,
    source: &str,
    url: String,
    sections: Vec<Section>,
) -> PackageNotes {
    notes.source = Some(source.to_string());
    notes.url = Some(url);
    notes.versions = sections
        .into_iter()
        .map(|s| {
            let highlights = highlights::extract(&s.body);
            VersionNotes {
                breaking: highlights
                    .iter()
                    .filter(|h| {
                        matches!(
                            h.kind,
                            highlights::Kind::Breaking | highlights::Kind::Removal
                        )
                    })
                    .map(|h| h.text.clone())
                    .collect(),
                highlights,
                version: s.version,
                title: s.heading,
                body: s.body,
            }
        })
        .collect();
    notes
}
