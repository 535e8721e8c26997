//! A Python package index's project page (PEP 691 JSON or PEP 503 HTML): the versions
//! are those of its files, yanked files left out. Indexes are tried in the order pip
//! would use them, the first that lists the project wins.

use super::{Listing, Problem};
use crate::notes::http::{Caching, Http};
use crate::notes::pip_config::PipConfig;
use crate::notes::pypi_files;

pub(super) async fn versions(
    http: &Http,
    pip: &PipConfig,
    name: &str,
    lock_source: Option<&str>,
) -> Result<Listing, Problem> {
    let indexes = pip.indexes(lock_source);
    if indexes.is_empty() {
        return Err(Problem::NotConfigured(
            "no Python package index is configured (set PIP_INDEX_URL, `index-url` in \
             pip.conf or UV_DEFAULT_INDEX; the lockfile records none)"
                .into(),
        ));
    }
    let mut last = None;
    for index in &indexes {
        let url = format!(
            "{}/{}/",
            index.trim_end_matches('/'),
            crate::lockfile::pep508::normalize(name)
        );
        let page = match http
            .get(
                &url,
                &[("Accept", pypi_files::ACCEPT.to_string())],
                Caching::Revalidate,
            )
            .await
        {
            Ok(page) => page,
            Err(e) => {
                last = Some(Problem::Http(e));
                continue;
            }
        };
        let shown = crate::redact::redact(&url);
        let files =
            pypi_files::project_files(&page.body, &url).map_err(|message| Problem::Invalid {
                url: shown.clone(),
                message,
            })?;
        let mut versions: Vec<String> = Vec::new();
        for f in files.iter().filter(|f| !f.yanked) {
            if let Some((_, v)) = pypi_files::dist_name_version(&f.filename) {
                if !versions.iter().any(|known| known == v) {
                    versions.push(v.to_string());
                }
            }
        }
        return Ok(Listing {
            url: shown,
            versions,
            tags: Default::default(),
        });
    }
    Err(last.expect("at least one index was tried"))
}
