use super::*;
use crate::notes::{PackageNotes, VersionNotes};
use crate::report::tests::{finding, report};

fn notes(body: &str, breaking: &[&str]) -> PackageNotes {
    PackageNotes {
        ecosystem: crate::ecosystem::Ecosystem::Npm,
        name: "express".into(),
        from: Some("4.21.2".into()),
        to: "5.1.0".into(),
        source: Some("npm registry".into()),
        url: Some("https://notes.example.invalid/express".into()),
        versions: vec![VersionNotes {
            version: "5.0.0".into(),
            title: "5.0.0 / 2024-09-10".into(),
            body: body.into(),
            breaking: breaking.iter().map(|s| s.to_string()).collect(),
            highlights: Vec::new(),
        }],
        error: None,
    }
}

#[test]
fn comment_has_marker_summary_table_findings_and_notes() {
    let mut f = finding(
        "express-5-req-param",
        "src/app.js",
        15,
        "  a.param('id');",
        3,
        17,
    );
    f.suggestion = Some("  a.params.id;".into());
    let mut r = report(vec![f]);
    r.notes = vec![notes(
        "* remove `app.del`\n* thanks @everyone <img src=x onerror=alert(1)>",
        &["`app.del` removed"],
    )];
    let links = Links {
        server: "https://github.example.invalid".into(),
        repo: "acme/shop".into(),
        sha: "2222222222222222222222222222222222222222".into(),
    };
    let md = render(
        &r,
        &MarkdownOptions {
            links: Some(links),
            ..Default::default()
        },
    );
    assert!(md.starts_with("<!-- bumpcheck -->\n"), "{md}");
    assert!(
        md.contains("**1 package changed** (1 direct), **1 finding** (1 error)"),
        "{md}"
    );
    assert!(
        md.contains("| `express` | 4.21.2 | 5.1.0 | **major** | direct | `package-lock.json` |"),
        "{md}"
    );
    assert!(md.contains("(https://github.example.invalid/acme/shop/blob/2222222222222222222222222222222222222222/src/app.js#L15)"), "{md}");
    assert!(
        md.contains("  ```suggestion\n    a.params.id;\n  ```\n"),
        "{md}"
    );
    assert!(md.contains("<details>\n<summary><b>express</b> <code>4.21.2</code> → <code>5.1.0</code>: 1 version, 1 breaking change</summary>"), "{md}");
    let breaking = md.find("**Breaking changes**").unwrap();
    assert!(
        breaking < md.find("##### 5.0.0").unwrap(),
        "breaking changes come first"
    );
    assert!(
        md.contains("@\u{200d}everyone") && md.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{md}"
    );
    assert!(!md.contains("Trimmed"), "{md}");
    let plain = render(&r, &MarkdownOptions::default());
    assert!(plain.contains("`src/app.js:15`"), "{plain}");
}

#[test]
fn version_sections_are_quoted_up_to_fifty_lines() {
    let body: String = (1..=80).map(|i| format!("* change {i}\n")).collect();
    let mut r = report(Vec::new());
    r.notes = vec![notes(&body, &[])];
    let md = render(&r, &MarkdownOptions::default());
    assert!(
        md.contains("* change 50\n") && !md.contains("* change 51\n"),
        "{md}"
    );
    assert!(md.contains("… 30 more lines in the full notes."), "{md}");
}

#[test]
fn trims_notes_first_then_findings_and_says_so() {
    let body: String = (1..=50)
        .map(|i| format!("* a long line of release notes, number {i}\n"))
        .collect();
    let findings: Vec<_> = (1..=400)
        .map(|i| {
            finding(
                "express-5-req-param",
                "src/app.js",
                i,
                "  a.param('id'); // padding padding padding",
                3,
                17,
            )
        })
        .collect();
    let mut r = report(findings);
    r.notes = (0..30)
        .map(|_| notes(&body, &["`app.del` removed"]))
        .collect();
    let untrimmed = render(
        &r,
        &MarkdownOptions {
            limit: usize::MAX,
            ..Default::default()
        },
    );
    assert!(length(&untrimmed) > COMMENT_LIMIT);
    let at = |limit: usize| {
        let md = render(
            &r,
            &MarkdownOptions {
                limit,
                ..Default::default()
            },
        );
        assert!(length(&md) <= limit, "{} > {limit}", length(&md));
        md
    };
    let md = at(COMMENT_LIMIT);
    assert!(md.contains("findings left out"), "{md}");

    // Just under the full length: only the note bodies go.
    let shortened = at(length(&untrimmed) - 1);
    assert!(shortened.contains("Trimmed to fit GitHub's 65,536-character comment limit: release notes shortened to their breaking changes. The whole report"), "{shortened}");
    assert!(!shortened.contains("##### 5.0.0") && shortened.contains("**Breaking changes**"));

    // Room for the findings and a few notes: whole notes go, no finding does.
    let mut no_notes = r.clone();
    no_notes.notes.clear();
    let findings_only = length(&render(
        &no_notes,
        &MarkdownOptions {
            limit: usize::MAX,
            ..Default::default()
        },
    ));
    let some_notes = at(findings_only + 1_500);
    assert!(
        some_notes.contains("packages left out") && !some_notes.contains("findings left out"),
        "{some_notes}"
    );

    // With a smaller limit, findings go too, with a note.
    let small = render(
        &r,
        &MarkdownOptions {
            limit: 20_000,
            ..Default::default()
        },
    );
    assert!(length(&small) <= 20_000);
    assert!(
        small.contains("release notes of 30 packages left out"),
        "{small}"
    );
    assert!(small.contains("findings left out"), "{small}");
    assert!(small.contains("more (cut to fit the comment)"), "{small}");
    assert!(small.ends_with("</sub>\n"));
}

#[test]
fn inline_code_survives_backticks_and_pipes() {
    assert_eq!(code("a|b"), "`a\\|b`");
    assert_eq!(code("x`y"), "`` x`y ``");
    assert_eq!(most(10, |n| n <= 7), 7);
    assert_eq!(most(10, |_| false), 0);
}

/// Where a lockfile held several copies of a package, the table lists them all, as the
/// text and JSON reports do: an old nested copy that went away is visible.
#[test]
fn table_lists_every_version_where_several_were_present() {
    let mut r = report(Vec::new());
    let mut c = r.changes[0].clone();
    c.name = "encodeurl".into();
    c.from = Some("2.0.3".into());
    c.to = Some("2.0.3".into());
    c.from_all = vec!["1.0.4".into(), "2.0.3".into()];
    c.to_all = vec!["2.0.3".into()];
    r.changes.push(c);
    let md = render(&r, &MarkdownOptions::default());
    assert!(
        md.contains("| `encodeurl` | 1.0.4, 2.0.3 | 2.0.3 | **major** |"),
        "{md}"
    );
    assert!(md.contains("| `express` | 4.21.2 | 5.1.0 |"), "{md}");
}
