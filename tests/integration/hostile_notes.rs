//! The hostile-notes matrix: one changelog holding every construct that could rewrite a
//! terminal, disguise text, run a workflow command from a log or break out of the PR
//! comment, served from 127.0.0.1 and run through every output format of `check --notes`
//! and `bumpcheck notes`. Each output must carry none of them, and must still carry the
//! legitimate text around them (an output that dropped everything would fail).

use crate::http_server::{Reply, Server};
use crate::notes::tarball;
use crate::support::TestRepo;
use serde_json::{json, Value};

/// The 5.1.0 highlight, hostile: every piece of text between two words is an escape
/// sequence (SGR, OSC 8 hyperlink, OSC 52 clipboard, BEL, C1 CSI and DCS), a bidi
/// control, a NUL or a byte that is not UTF-8.
const HOSTILE_ITEM: &[u8] = b"- Security: alpha \x1b[31mbravo\x1b[0m charlie \x1b]8;;http://evil.example.invalid/x\x07delta\x1b]8;;\x07 echo \x1b]52;c;Y3VybCBldmls\x07foxtrot \x07golf \xc2\x9b2Jhotel \xc2\x901$qm\xc2\x9cindia \xe2\x80\xaejuliet\xe2\x80\xac kilo \xe2\x81\xa6lima\xe2\x81\xa9 mike\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c november\x00oscar \xff papa\n";

/// What is left of it: the words, the replacement character for the bad byte.
const CLEAN_ITEM: &str = "Security: alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike novemberoscar \u{fffd} papa";

/// Text that must not survive anywhere: the hyperlink's target, the clipboard payload,
/// the DCS payload, and the section of a version the upgrade does not cross.
const GONE: [&str; 4] = [
    "evil.example.invalid",
    "Y3VybCBldmls",
    "1$qm",
    "CVE-2000-0001",
];

/// Characters of the 5.0.0 line that is one 10 MB run.
const HUGE: usize = 10 * 1024 * 1024;

fn changelog() -> Vec<u8> {
    let mut text =
        b"# Changelog\n\n## 5.1.0 (2025-03-31)\n\n- Add support for `Uint8Array` in `res.send()`\n"
            .to_vec();
    text.extend_from_slice(HOSTILE_ITEM);
    text.extend_from_slice(
        b"\n::error::pwned by notes\n   ::add-mask::hidden-secret-value\n\t::stop-commands::tok\n\n\
- Works with <script>alert(1)</script> and <!-- swallow the rest\n\n</details>\n\n\
| a | b |\n| --- | --- |\n| </details><details open><summary>fake</summary> | x |\n\n\
after the table\n\n```js\nres.send(bytes)\n\n\
## 5.0.1 (2024-10-08)\n\n- Security: update `cookie` for CVE-2024-47764\n\n\
## 5.0.0 (2024-09-10)\n\n### Breaking changes\n\n- `res.status()` accepts only integers\n\n",
    );
    text.extend(std::iter::repeat_n(b'A', HUGE));
    text.extend_from_slice(
        b"\n\n## 4.21.2 (2024-11-06)\n\n- Security: out of range, CVE-2000-0001\n",
    );
    text
}

/// express's packument and a tarball without a changelog, so the notes come from the
/// repository's CHANGELOG.md through the GitHub API (which also reads bytes that are not
/// UTF-8).
fn serve(server: &Server) {
    let packument = json!({
        "name": "express",
        "versions": {"5.1.0": {
            "name": "express",
            "version": "5.1.0",
            "dist": {"tarball": format!("{}/express/-/express-5.1.0.tgz", server.url)},
            "repository": {"type": "git", "url": "git+https://github.com/expressjs/express.git"}
        }}
    });
    server.route("/express", vec![Reply::ok(packument.to_string())]);
    server.route(
        "/express/-/express-5.1.0.tgz",
        vec![Reply::ok(tarball(&[(
            "package.json",
            "{\"name\":\"express\",\"version\":\"5.1.0\"}",
        )]))],
    );
    server.route(
        "/repos/expressjs/express/releases?per_page=100",
        vec![Reply::ok("[]")],
    );
    server.route(
        "/repos/expressjs/express/contents/",
        vec![Reply::ok(
            json!([{"name": "CHANGELOG.md", "type": "file"}]).to_string(),
        )],
    );
    server.route(
        "/repos/expressjs/express/contents/CHANGELOG.md",
        vec![Reply::ok(changelog())],
    );
}

/// `bumpcheck ARGS` in the repository, online against `server`: stdout, which must be
/// UTF-8.
fn run(repo: &TestRepo, server: &Server, args: &[&str]) -> String {
    let out = repo
        .bumpcheck(args)
        .env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &server.url)
        .env("GITHUB_API_URL", &server.url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        around(&stderr, 0)
    );
    String::from_utf8(out.stdout).expect("the output is UTF-8")
}

/// At most 300 characters of `text` from byte `at`, for failure messages (the outputs
/// hold a 10 MB line).
fn around(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(100);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    text[start..].chars().take(300).collect()
}

/// Control characters (but newline and tab), C1 included, and bidi controls.
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// No dangerous character, no line that starts a workflow command (unless the format's
/// own lines are commands), none of the texts that must be gone.
fn assert_inert(what: &str, text: &str, own_commands: bool) {
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| dangerous(c)) {
        panic!("{what}: {c:?} survives: {:?}", around(text, at));
    }
    if !own_commands {
        for line in text.lines() {
            assert!(
                !line.trim_start().starts_with("::"),
                "{what}: a workflow command: {:?}",
                around(line, 0)
            );
        }
    }
    for gone in GONE {
        if let Some(at) = text.find(gone) {
            panic!("{what}: {gone} survives: {:?}", around(text, at));
        }
    }
}

/// Every string of a JSON document is inert, and the raw text too.
fn assert_json_inert(what: &str, raw: &str) -> Value {
    assert_inert(what, raw, false);
    for escaped in ["\\u001b", "\\u0007", "\\u0000", "\\u009b"] {
        assert!(!raw.contains(escaped), "{what}: {escaped} survives");
    }
    let doc: Value = serde_json::from_str(raw).unwrap();
    fn walk(what: &str, v: &Value) {
        match v {
            Value::String(s) => assert_inert(what, s, false),
            Value::Array(a) => a.iter().for_each(|v| walk(what, v)),
            Value::Object(o) => o.iter().for_each(|(k, v)| {
                assert_inert(what, k, false);
                walk(what, v)
            }),
            _ => {}
        }
    }
    walk(what, &doc);
    doc
}

/// The notes of the JSON formats: the crossed versions, each with its own text.
fn assert_notes_json(what: &str, notes: &Value) {
    let versions: Vec<&str> = notes["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["5.1.0", "5.0.1", "5.0.0"], "{what}");
    let body = |i: usize| notes["versions"][i]["body"].as_str().unwrap();
    for legit in [
        "Add support for `Uint8Array` in `res.send()`",
        CLEAN_ITEM,
        "\\::error::pwned by notes",
        "   \\::add-mask::hidden-secret-value",
        "<script>alert(1)</script> and <!-- swallow the rest",
        "after the table",
        "```js\nres.send(bytes)",
    ] {
        assert!(
            body(0).contains(legit),
            "{what}: {legit:?} in {:?}",
            body(0)
        );
    }
    assert!(!body(0).contains("CVE-2024-47764"), "{what}: {:?}", body(0));
    assert_eq!(notes["versions"][0]["highlights"][0]["text"], CLEAN_ITEM);
    assert_eq!(
        notes["versions"][1]["highlights"][0]["text"],
        "Security: update `cookie` for CVE-2024-47764",
        "{what}"
    );
    assert_eq!(
        notes["versions"][2]["breaking"],
        json!(["`res.status()` accepts only integers"]),
        "{what}"
    );
    assert!(body(2).ends_with(&"A".repeat(HUGE)), "{what}");
}

#[test]
fn hostile_release_notes_are_inert_in_every_format() {
    let server = Server::start();
    serve(&server);
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("5");
    let check = |format: &str| {
        let args = [
            "check",
            "--base",
            "HEAD~1",
            "--notes",
            "all",
            "--fail-on",
            "never",
            "--format",
            format,
        ];
        run(&repo, &server, &args)
    };

    let text = check("text");
    assert_inert("check text", &text, false);
    for legit in [
        &format!("security: [5.1.0] {CLEAN_ITEM}"),
        "security: [5.0.1] Security: update `cookie` for CVE-2024-47764",
        "breaking: [5.0.0] `res.status()` accepts only integers",
    ] {
        assert!(text.contains(legit), "check text: {legit:?} in {text}");
    }

    let raw = check("json");
    let report = assert_json_inert("check json", &raw);
    let notes = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "express")
        .unwrap();
    assert_notes_json("check json", notes);

    let md = check("markdown");
    assert_inert("check markdown", &md, false);
    assert!(md.encode_utf16().count() <= 65_536, "fits a comment");
    for legit in [
        "**Breaking changes**\n\n- `5.0.0`: `res.status()` accepts only integers",
        CLEAN_ITEM,
        "\\::error::pwned by notes",
        "Works with &lt;script&gt;alert(1)&lt;/script&gt; and &lt;!-- swallow the rest",
        "&lt;/details&gt;&lt;details open&gt;&lt;summary&gt;fake&lt;/summary&gt;",
        "after the table",
        "##### 5.0.1 (2024-10-08)\n\n- Security: update `cookie` for CVE-2024-47764",
    ] {
        assert!(md.contains(legit), "check markdown: {legit:?} in {md}");
    }
    assert!(!md.contains("<script"), "{md}");
    assert_eq!(md.matches("<!--").count(), 1, "only the marker: {md}");
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count(),
        "{md}"
    );
    assert!(
        md.trim_end().ends_with("</sub>"),
        "nothing swallowed the end: {md}"
    );

    let sarif = check("sarif");
    assert_json_inert("check sarif", &sarif);
    let github = check("github");
    assert_inert("check github", &github, true);
    for line in github.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "check github: only annotations: {line}"
        );
    }

    let notes_text = run(&repo, &server, &["notes", "express", "4.21.2..5.1.0"]);
    assert_inert("notes text", &notes_text, false);
    for legit in [
        CLEAN_ITEM,
        "\n\\::error::pwned by notes\n   \\::add-mask::hidden-secret-value\n\t\\::stop-commands::tok\n",
        "## 5.0.1 (2024-10-08)\n\n  ! security: Security: update `cookie` for CVE-2024-47764",
        "## 5.0.0 (2024-09-10)\n\n  ! breaking: `res.status()` accepts only integers",
    ] {
        assert!(
            notes_text.contains(legit),
            "notes text: {legit:?} in {:?}",
            around(&notes_text, 0)
        );
    }
    let raw = run(
        &repo,
        &server,
        &["notes", "express", "4.21.2..5.1.0", "--format", "json"],
    );
    let notes = assert_json_inert("notes json", &raw);
    assert_notes_json("notes json", &notes);
}
