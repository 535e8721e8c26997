//! What `check` does for GitHub besides its report: more report files (JSON, SARIF), the
//! job summary (`GITHUB_STEP_SUMMARY`), the sticky PR comment and the step outputs. None
//! of it changes the exit status: a comment that cannot be posted is a notice.

use crate::github::{comment, Context};
use crate::notes::http::HttpConfig;
use crate::report::{json, markdown, sarif, Links, Report};
use anyhow::Context as _;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct GithubArgs {
    /// Also write the JSON report to this file.
    #[arg(long, value_name = "FILE")]
    json_file: Option<PathBuf>,
    /// Also write the SARIF report to this file (for code scanning's upload-sarif).
    #[arg(long, value_name = "FILE")]
    sarif_file: Option<PathBuf>,
    /// Create or update bumpcheck's one comment on the pull request (token from
    /// GITHUB_TOKEN or GH_TOKEN, repository from GITHUB_REPOSITORY, API from
    /// GITHUB_API_URL).
    #[arg(long)]
    comment: bool,
    /// The pull request to comment on (default: the one in GITHUB_EVENT_PATH).
    #[arg(long, value_name = "NUMBER")]
    pr: Option<u64>,
    /// Write the step outputs findings, changed-packages, report-json and comment-id to
    /// the file named by GITHUB_OUTPUT.
    #[arg(long)]
    github_output: bool,
}

/// The Markdown options for this run: links to the head commit when the repository is
/// known.
pub fn markdown_options(report: &Report) -> markdown::MarkdownOptions {
    markdown::MarkdownOptions {
        links: Links::from_env(report.head.commit.as_deref()),
        ..Default::default()
    }
}

pub fn after_check(report: &Report, args: &GithubArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.json_file {
        write_file(path, &json::render(report))?;
    }
    if let Some(path) = &args.sarif_file {
        write_file(path, &sarif::render(report))?;
    }
    let md = std::cell::OnceCell::new();
    let md = || md.get_or_init(|| markdown::render(report, &markdown_options(report)));
    if let Some(summary) = env("GITHUB_STEP_SUMMARY") {
        append(Path::new(&summary), &format!("{}\n", md()))
            .context("cannot append to GITHUB_STEP_SUMMARY")?;
    }
    let mut comment_id = None;
    if args.comment {
        comment_id = post_comment(md(), args.pr);
    }
    if args.github_output {
        let Some(out) = env("GITHUB_OUTPUT") else {
            anyhow::bail!("--github-output: GITHUB_OUTPUT is not set");
        };
        let report_json = args
            .json_file
            .as_deref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut text = String::new();
        for (key, value) in [
            ("findings", report.findings.len().to_string()),
            ("changed-packages", report.changes.len().to_string()),
            ("report-json", report_json),
            (
                "comment-id",
                comment_id.map(|i| i.to_string()).unwrap_or_default(),
            ),
        ] {
            text.push_str(&output_line(key, &value));
        }
        append(Path::new(&out), &text).context("cannot append to GITHUB_OUTPUT")?;
    }
    Ok(())
}

/// Posts the comment; the comment's id, or `None` after saying why there is none.
fn post_comment(body: &str, pr: Option<u64>) -> Option<u64> {
    let ctx = match Context::from_env(pr) {
        Ok(ctx) => ctx,
        Err(missing) => {
            notice(&format!("PR comment skipped: {missing}"));
            return None;
        }
    };
    match comment::upsert(&ctx, body, HttpConfig::from_env()) {
        Ok(outcome) => {
            match &outcome {
                comment::Outcome::Created { url, .. } => {
                    eprintln!("bumpcheck: created the PR comment {url}")
                }
                comment::Outcome::Updated { url, .. } => {
                    eprintln!("bumpcheck: updated the PR comment {url}")
                }
                comment::Outcome::Unchanged { url, .. } => {
                    eprintln!("bumpcheck: the PR comment is up to date {url}")
                }
                comment::Outcome::Skipped(why) => notice(&format!("PR comment skipped: {why}")),
            }
            outcome.id()
        }
        Err(e) => {
            notice(&format!("could not post the PR comment: {e}"));
            None
        }
    }
}

/// A notice on stderr; in GitHub Actions, as a workflow command.
fn notice(message: &str) {
    let message = &crate::redact::redact(message);
    if env("GITHUB_ACTIONS").as_deref() == Some("true") {
        eprintln!(
            "::notice title=bumpcheck::{}",
            crate::report::github::data(message)
        );
    } else {
        eprintln!("bumpcheck: {message}");
    }
}

/// `key<<DELIMITER` ... as GITHUB_OUTPUT reads a value that may hold anything.
fn output_line(key: &str, value: &str) -> String {
    let mut delimiter = format!("bumpcheck_{:016x}", fastrand::u64(..));
    while value.contains(&delimiter) {
        delimiter = format!("bumpcheck_{:016x}", fastrand::u64(..));
    }
    format!("{key}<<{delimiter}\n{value}\n{delimiter}\n")
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}
