//! Release notes for cargo crates and Python packages: the cargo registry cache and a
//! virtualenv's site-packages made in temp folders, and a sparse cargo index and a PEP 691
//! package index served from 127.0.0.1, with .crate files and sdists built by the tests.
//! Configuration comes from temp CARGO_HOME, .cargo/config.toml and PIP_CONFIG_FILE.

use crate::http_server::{targz, Reply, Server};
use crate::notes::{check_online, notes_json};
use crate::support::{run_json, TestRepo};
use serde_json::{json, Value};
use std::path::Path;

const ANYHOW_CHANGELOG: &str = "# Changelog\n\n## 1.0.86\n\n- Fix `Error::downcast` on wrapped errors\n\n## 1.0.85\n\n- Deprecate `Error::root_cause_ref`\n\n## 1.0.80\n\n- Older\n";

fn anyhow_crate() -> Vec<u8> {
    targz(
        "anyhow-1.0.86",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"anyhow\"\nversion = \"1.0.86\"\nrepository = \"https://github.com/acme/anyhow\"\n",
            ),
            ("CHANGELOG.md", ANYHOW_CHANGELOG),
            ("src/lib.rs", ""),
        ],
    )
}

/// The cargo fixture (anyhow 1.0.80 -> 1.0.86, recorded from the default registry),
/// committed twice.
fn cargo_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.copy_fixture("cargo/v3/before", "");
    repo.commit("before");
    repo.replace_with_fixture("cargo/v3/after");
    repo.commit("after");
    repo
}

/// `bumpcheck check --notes all --format json` on the last commit, offline, with the
/// cargo home given.
fn check_offline(repo: &TestRepo, cargo_home: &Path) -> Value {
    let args = [
        "check",
        "--base",
        "HEAD~1",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--notes",
        "all",
    ];
    run_json(repo.bumpcheck(&args).env("CARGO_HOME", cargo_home)).1
}

fn notes_of<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("no notes for {name}: {report:#}"))
}

pub fn versions(notes: &Value) -> Vec<String> {
    notes["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap().to_string())
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn cargo_notes_from_a_sparse_mirror_named_by_source_replacement() {
    let server = Server::start();
    server.route(
        "/index/config.json",
        vec![Reply::ok(
            json!({"dl": format!("{}/dl", server.url)}).to_string(),
        )],
    );
    server.route(
        "/dl/anyhow/1.0.86/download",
        vec![Reply::ok(anyhow_crate())],
    );
    let repo = cargo_repo();
    let home = tempfile::tempdir().unwrap();
    write(
        &home.path().join("config.toml"),
        &format!(
            "[source.crates-io]\nreplace-with = \"mirror\"\n\n[source.mirror]\nregistry = \"sparse+{}/index/\"\n",
            server.url
        ),
    );
    let cargo_home = home.path().to_str().unwrap();
    let report = check_online(&repo, &server, &[("CARGO_HOME", cargo_home)]);
    let notes = notes_of(&report, "anyhow");
    assert_eq!(notes["source"], "cargo registry", "{notes:#}");
    assert_eq!(versions(notes), ["1.0.86", "1.0.85"]);
    assert_eq!(
        notes["url"],
        format!("{}/dl/anyhow/1.0.86/download#CHANGELOG.md", server.url)
    );
    assert_eq!(notes["versions"][1]["highlights"][0]["kind"], "deprecation");
    assert_eq!(
        notes["versions"][1]["highlights"][0]["apis"],
        json!(["Error::root_cause_ref"])
    );
    // once_cell, added, is direct too (its .crate is not served): config.json is read
    // once for both.
    assert_eq!(server.count("/index/config.json"), 1);
    assert_eq!(server.requests().len(), 3, "{:?}", server.requests());
    assert!(notes_of(&report, "once_cell")["error"]
        .as_str()
        .unwrap()
        .contains("HTTP 404"));

    // Warm: the .crate is never fetched twice.
    server.clear_requests();
    let again = check_online(&repo, &server, &[("CARGO_HOME", cargo_home)]);
    assert_eq!(notes_of(&again, "anyhow")["versions"], notes["versions"]);
    assert_eq!(server.count("/dl/anyhow/1.0.86/download"), 0);
    // Offline, from the cache.
    let offline = check_offline(&repo, Path::new(cargo_home));
    assert_eq!(
        notes_of(&offline, "anyhow")["source"],
        "cargo registry (cached)"
    );

    // Without configuration, the lockfile's own source is tried: here a git index that
    // is not on a GitHub host, which is said plainly.
    let fresh = cargo_repo();
    let report = check_online(&fresh, &server, &[]);
    let error = notes_of(&report, "anyhow")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("cargo registry: the git index https://registry.example.invalid/index"),
        "{error}"
    );
}

#[test]
fn cargo_lockfile_sparse_source_with_a_named_registry_token_and_dl_template() {
    let server = Server::start();
    let index = format!("sparse+{}/corp/", server.url);
    server.route(
        "/corp/config.json",
        vec![Reply::ok(
            json!({
                "dl": format!("{}/files/{{lowerprefix}}/{{crate}}-{{version}}.crate?sum={{sha256-checksum}}", server.url),
                "auth-required": true
            })
            .to_string(),
        )],
    );
    server.route(
        "/corp/wi/dg/widget",
        vec![Reply::ok(
            "{\"name\":\"widget\",\"vers\":\"2.0.0\",\"cksum\":\"aa\"}\n{\"name\":\"widget\",\"vers\":\"2.1.0\",\"cksum\":\"bb\"}\n",
        )],
    );
    // No changelog in the .crate: its repository's GitHub releases are read.
    server.route(
        "/files/wi/dg/widget-2.1.0.crate?sum=bb",
        vec![Reply::ok(targz(
            "widget-2.1.0",
            &[(
                "Cargo.toml",
                "[package]\nname = \"widget\"\nversion = \"2.1.0\"\nrepository = \"https://github.com/acme/widget\"\n",
            )],
        ))],
    );
    server.route(
        "/repos/acme/widget/releases?per_page=100",
        vec![Reply::ok(
            json!([
                {"tag_name": "v2.1.0", "name": "v2.1.0", "body": "- BREAKING: `Widget::spin` takes a speed", "draft": false},
                {"tag_name": "v2.0.0", "name": "v2.0.0", "body": "- old", "draft": false}
            ])
            .to_string(),
        )],
    );
    let lock = |v: &str| {
        format!("version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"widget\"]\n\n[[package]]\nname = \"widget\"\nversion = \"{v}\"\nsource = \"{index}\"\n")
    };
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nwidget = { version = \"2\", registry = \"corp\" }\n",
    );
    repo.write(
        ".cargo/config.toml",
        &format!("[registries.corp]\nindex = \"{index}\"\n"),
    );
    repo.write("Cargo.lock", &lock("2.0.0"));
    repo.commit("2.0");
    repo.write("Cargo.lock", &lock("2.1.0"));
    repo.commit("2.1");
    let report = check_online(
        &repo,
        &server,
        &[("CARGO_REGISTRIES_CORP_TOKEN", "corp-secret")],
    );
    let notes = notes_of(&report, "widget");
    assert_eq!(notes["source"], "GitHub releases", "{notes:#}");
    assert_eq!(versions(notes), ["2.1.0"]);
    assert_eq!(
        notes["versions"][0]["breaking"],
        json!(["BREAKING: `Widget::spin` takes a speed"])
    );
    let download = server
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/files/"))
        .expect("the .crate was downloaded");
    assert_eq!(download.header("Authorization"), Some("corp-secret"));
    let release = server
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/repos/"))
        .unwrap();
    assert_eq!(
        release.header("Authorization"),
        None,
        "no registry token to GitHub"
    );
}

#[test]
fn cargo_registry_cache_is_read_first_offline() {
    let repo = cargo_repo();
    let home = tempfile::tempdir().unwrap();
    // The unpacked source, as `cargo fetch` leaves it.
    let src = home
        .path()
        .join("registry/src/index.example.invalid-0123456789abcdef/anyhow-1.0.86");
    write(
        &src.join("Cargo.toml"),
        "[package]\nname = \"anyhow\"\nversion = \"1.0.86\"\n",
    );
    write(&src.join("CHANGELOG.md"), ANYHOW_CHANGELOG);
    // Only the downloaded .crate for once_cell.
    let cache = home
        .path()
        .join("registry/cache/index.example.invalid-0123456789abcdef/once_cell-1.21.4.crate");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(
        &cache,
        targz(
            "once_cell-1.21.4",
            &[(
                "CHANGELOG.md",
                "# Changelog\n\n## 1.21.4\n\n- Fix\n\n## 1.21.3\n\n- Other\n",
            )],
        ),
    )
    .unwrap();
    let (_, report) =
        repo.check_json(&["--base", "HEAD~1", "--fail-on", "never", "--notes", "all"]);
    // check_json runs offline; CARGO_HOME is set below instead.
    assert!(notes_of(&report, "anyhow")["error"]
        .as_str()
        .unwrap()
        .contains("offline"));
    let report = check_offline(&repo, home.path());
    let anyhow = notes_of(&report, "anyhow");
    assert_eq!(anyhow["source"], "cargo registry cache", "{anyhow:#}");
    assert_eq!(versions(anyhow), ["1.0.86", "1.0.85"]);
    assert!(anyhow["url"]
        .as_str()
        .unwrap()
        .ends_with("anyhow-1.0.86/CHANGELOG.md"));
    let once_cell = notes_of(&report, "once_cell");
    assert_eq!(once_cell["source"], "cargo registry cache", "{once_cell:#}");
    assert_eq!(
        versions(once_cell),
        ["1.21.4", "1.21.3"],
        "added: every version"
    );
    assert!(once_cell["url"]
        .as_str()
        .unwrap()
        .ends_with("once_cell-1.21.4.crate/CHANGELOG.md"));
}

const FLASK_CHANGES: &str = "Version 3.1.1\n-------------\n\nReleased 2025-05-13\n\n-   Fix signing key selection order.\n\nVersion 3.1.0\n-------------\n\n-   Drop support for Python 3.8.\n-   ``Flask.json_provider_class`` is deprecated.\n\nVersion 3.0.0\n-------------\n\n-   Remove previously deprecated code.\n\nVersion 2.3.3\n-------------\n\n-   Older.\n";

const FLASK_PKG_INFO: &str = "Metadata-Version: 2.1\nName: Flask\nVersion: 3.1.1\nProject-URL: Documentation, https://docs.example.invalid/\nProject-URL: Source, https://github.com/pallets/flask/\n\nFlask is a framework.\n";

fn serve_flask(server: &Server, prefix: &str) {
    server.route(
        &format!("{prefix}/flask/"),
        vec![Reply::ok(
            json!({
                "meta": {"api-version": "1.1"},
                "name": "flask",
                "files": [
                    {"filename": "flask-3.1.1-py3-none-any.whl", "url": "/files/flask-3.1.1-py3-none-any.whl", "hashes": {}},
                    {"filename": "flask-3.1.1.tar.gz", "url": "../../files/flask-3.1.1.tar.gz#sha256=00", "hashes": {}},
                    {"filename": "flask-3.0.0.tar.gz", "url": "/files/flask-3.0.0.tar.gz", "hashes": {}}
                ]
            })
            .to_string(),
        )
        .header("Content-Type", "application/vnd.pypi.simple.v1+json")],
    );
    server.route(
        "/files/flask-3.1.1.tar.gz",
        vec![Reply::ok(targz(
            "flask-3.1.1",
            &[("PKG-INFO", FLASK_PKG_INFO), ("CHANGES.rst", FLASK_CHANGES)],
        ))],
    );
}

/// The uv fixture (flask 2.3.3 -> 3.1.1), with the index its lockfile records pointed at
/// `index`.
fn uv_repo(index: &str) -> TestRepo {
    let repo = TestRepo::new();
    let point = |repo: &TestRepo| {
        let lock = repo.path().join("uv.lock");
        let text = std::fs::read_to_string(&lock)
            .unwrap()
            .replace("https://registry.example.invalid/simple", index);
        std::fs::write(lock, text).unwrap();
    };
    repo.copy_fixture("pypi/uv-workspace/before", "");
    point(&repo);
    repo.commit("before");
    repo.replace_with_fixture("pypi/uv-workspace/after");
    point(&repo);
    repo.commit("after");
    repo
}

#[test]
fn pypi_notes_from_the_index_the_lockfile_records() {
    let server = Server::start();
    serve_flask(&server, "/simple");
    let repo = uv_repo(&format!("{}/simple", server.url));
    let report = check_online(&repo, &server, &[]);
    let notes = notes_of(&report, "flask");
    assert_eq!(notes["source"], "package index", "{notes:#}");
    assert_eq!(versions(notes), ["3.1.1", "3.1.0", "3.0.0"]);
    assert_eq!(
        notes["url"],
        format!(
            "{}/files/flask-3.1.1.tar.gz#sha256=00#CHANGES.rst",
            server.url
        )
    );
    let kinds: Vec<&str> = notes["versions"][1]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["removal", "deprecation"]);
    let page = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/simple/flask/")
        .unwrap();
    assert!(page
        .header("Accept")
        .unwrap()
        .starts_with("application/vnd.pypi.simple.v1+json"));
    server.clear_requests();
    check_online(&repo, &server, &[]);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.starts_with("/files/")),
        "the sdist is read once: {:?}",
        server.requests()
    );
}

#[test]
fn pypi_index_from_pip_conf_wheel_metadata_and_github_fallback() {
    let server = Server::start();
    // The configured index comes before the lockfile's (which is unreachable here).
    serve_flask(&server, "/pip");
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("pip.conf");
    write(
        &conf,
        &format!("[global]\nindex-url = {}/pip/\n", server.url),
    );
    let conf_path = conf.to_str().unwrap();
    let notes_cmd = |args: &[&str], env: &[(&str, &str)]| {
        let mut args = args.to_vec();
        args.extend(["--ecosystem", "pypi"]);
        let mut all_env = vec![("PIP_CONFIG_FILE", conf_path)];
        all_env.extend_from_slice(env);
        notes_json(dir.path(), &server, &args, &all_env)
    };
    let (code, notes) = notes_cmd(&["Flask", "3.0.0..3.1.1"], &[]);
    assert_eq!(code, Some(0), "{notes:#}");
    assert_eq!(versions(&notes), ["3.1.1", "3.1.0"]);

    // A wheel-only release: its PEP 658 metadata has no changelog, so the repository
    // its Project-URLs name is asked.
    server.route(
        "/pip/tiny/",
        vec![Reply::ok(
            json!({"files": [{"filename": "tiny-1.1.0-py3-none-any.whl", "url": "/files/tiny-1.1.0-py3-none-any.whl", "core-metadata": true}]})
                .to_string(),
        )],
    );
    server.route(
        "/files/tiny-1.1.0-py3-none-any.whl.metadata",
        vec![Reply::ok(
            "Metadata-Version: 2.1\nName: tiny\nVersion: 1.1.0\nProject-URL: Repository, https://github.com/acme/tiny\n\nTiny.\n",
        )],
    );
    server.route(
        "/repos/acme/tiny/releases?per_page=100",
        vec![Reply::ok(
            json!([{"tag_name": "1.1.0", "name": "1.1.0", "body": "- Removed `tiny.old()`", "draft": false}]).to_string(),
        )],
    );
    let (code, notes) = notes_cmd(&["tiny", "1.0.0..1.1.0"], &[]);
    assert_eq!(code, Some(0), "{notes:#}");
    assert_eq!(notes["source"], "GitHub releases");
    assert_eq!(
        notes["versions"][0]["highlights"][0]["apis"],
        json!(["tiny.old()"])
    );

    // Nothing configured and no lockfile: said plainly.
    let (code, notes) = notes_cmd(
        &["tiny", "1.0.0..1.1.0"],
        &[("PIP_CONFIG_FILE", "/dev/null")],
    );
    assert_eq!(code, Some(2));
    let error = notes["error"].as_str().unwrap();
    assert!(
        error.contains("no Python package index is configured"),
        "{error}"
    );
}

#[test]
fn site_packages_of_the_project_venv_and_virtual_env() {
    let repo = uv_repo("https://registry.example.invalid/simple");
    repo.write(".gitignore", ".venv/\n");
    repo.commit("ignore the venv");
    let site = ".venv/lib/python3.12/site-packages";
    repo.write(
        &format!("{site}/flask-3.1.1.dist-info/METADATA"),
        FLASK_PKG_INFO,
    );
    repo.write(
        &format!("{site}/flask-3.1.1.dist-info/RECORD"),
        "flask/__init__.py,sha256=x,1\nflask/CHANGES.rst,sha256=y,2\nflask-3.1.1.dist-info/METADATA,,\n",
    );
    repo.write(&format!("{site}/flask/CHANGES.rst"), FLASK_CHANGES);
    // The work tree is the head: `.venv` beside the lockfile is read, offline.
    let (_, report) = repo.check_json(&["--base", "HEAD~2", "--worktree", "--fail-on", "never"]);
    let notes = notes_of(&report, "flask");
    assert_eq!(notes["source"], "site-packages", "{notes:#}");
    assert_eq!(versions(notes), ["3.1.1", "3.1.0", "3.0.0"]);
    assert!(notes["url"]
        .as_str()
        .unwrap()
        .ends_with("flask/CHANGES.rst"));

    // VIRTUAL_ENV, with the changelog in the METADATA description.
    let venv = tempfile::tempdir().unwrap();
    let described = format!("{}\n{}", FLASK_PKG_INFO, FLASK_CHANGES);
    write(
        &venv
            .path()
            .join("lib/python3.11/site-packages/Flask-3.1.1.dist-info/METADATA"),
        &described,
    );
    let out = repo
        .bumpcheck(&[
            "notes",
            "flask",
            "3.1.0..3.1.1",
            "--ecosystem",
            "pypi",
            "--format",
            "json",
        ])
        .current_dir(std::env::temp_dir())
        .env("VIRTUAL_ENV", venv.path())
        .output()
        .unwrap();
    let notes: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(notes["source"], "site-packages", "{notes:#}");
    assert_eq!(versions(&notes), ["3.1.1"]);
    assert!(notes["url"].as_str().unwrap().ends_with("METADATA"));
}
