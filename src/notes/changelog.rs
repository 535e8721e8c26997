//! Slicing a changelog into per-version sections, and keeping the versions an upgrade
//! crosses. Headings are found in Markdown (ATX `##` and setext underlines) and
//! reStructuredText (under- and overlined titles). As Renovate does, the version level is
//! the first heading level with two or more headings that name a version. Code fences
//! hide what looks like a heading, but a fence left open ends with its version's section,
//! as GitHub shows each release on its own: it never swallows the older releases.

use crate::ecosystem::Ecosystem;
use crate::version;

/// One version's section of a changelog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The version as the heading writes it, without a leading `v`.
    pub version: String,
    /// The heading line, as written (for dates and links).
    pub heading: String,
    /// The text under the heading, up to the next heading of the same or a higher level.
    pub body: String,
}

struct Heading {
    line: usize,
    /// Where the body starts (after an underline).
    body_start: usize,
    level: usize,
    text: String,
    kind: Kind,
    /// The reStructuredText adornment style that gives the level, if any.
    rst_style: Option<(char, bool)>,
}

/// How a heading is written. Only a heading of the same kind as a section's own ends a
/// fence left open in it: a YAML `---` in a code block is no release heading in a
/// changelog of `##` headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Atx,
    Underlined,
}

/// Splits a changelog into version sections, in document order. `package` filters
/// monorepo changelogs whose headings name the package (`pkg@1.2.3`, `pkg-v1.2.3`,
/// `pkg v1.2.3`): headings that name another package are skipped.
pub fn sections(text: &str, package: &str) -> Vec<Section> {
    let lines: Vec<&str> = text.lines().collect();
    let headings = headings(&lines, package);
    let versioned = |l: usize| {
        headings
            .iter()
            .filter(|h| h.level == l && version_in(&h.text, package).is_some())
            .count()
    };
    let mut levels: Vec<usize> = headings.iter().map(|h| h.level).collect();
    levels.sort_unstable();
    levels.dedup();
    // Levels with two or more versioned headings. The version level is the level of the
    // newest release among them; releases on a shallower such level count too, as in
    // changelogs whose style changed over the years (conventional-changelog wrote
    // `# [5.0.0]` before `## [9.0.0]`). Deeper ones stay inside their parent's section.
    let levels: Vec<usize> = levels.into_iter().filter(|&l| versioned(l) >= 2).collect();
    let newest = headings
        .iter()
        .find(|h| levels.contains(&h.level) && version_in(&h.text, package).is_some());
    // A changelog with a single release still has one section: its first versioned heading.
    let (level, most) = match newest {
        Some(h) => (h.level, usize::MAX),
        None => match headings
            .iter()
            .find(|h| version_in(&h.text, package).is_some())
        {
            Some(h) => (h.level, 1),
            None => return Vec::new(),
        },
    };
    let is_release = |h: &Heading| {
        (h.level == level || (h.level < level && levels.contains(&h.level)))
            && version_in(&h.text, package).is_some()
    };
    let mut out = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let Some(v) = version_in(&h.text, package).filter(|_| is_release(h)) else {
            continue;
        };
        let end = headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level || is_release(n))
            .map_or(lines.len(), |n| n.line);
        out.push(Section {
            version: v,
            heading: h.text.clone(),
            body: lines[h.body_start.min(end)..end]
                .join("\n")
                .trim()
                .to_string(),
        });
        if out.len() == most {
            break;
        }
    }
    out
}

/// The sections of versions in (from, to], newest first. Pre-releases are kept only
/// when they lie in the range, i.e. when the upgrade crosses them.
pub fn slice(
    sections: Vec<Section>,
    ecosystem: Ecosystem,
    from: Option<&str>,
    to: &str,
) -> Vec<Section> {
    let Some(to_v) = version::parse(ecosystem, to) else {
        return Vec::new();
    };
    let from_v = from.and_then(|f| version::parse(ecosystem, f));
    let mut kept: Vec<(semver::Version, Section)> = sections
        .into_iter()
        .filter_map(|s| version::parse(ecosystem, &s.version).map(|v| (v, s)))
        .filter(|(v, _)| *v <= to_v && from_v.as_ref().is_none_or(|f| v > f))
        .collect();
    kept.sort_by(|a, b| b.0.cmp(&a.0));
    kept.dedup_by(|a, b| a.0 == b.0);
    kept.into_iter().map(|(_, s)| s).collect()
}

fn headings(lines: &[&str], package: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    // reStructuredText levels are given by the order in which adornment styles appear.
    let mut rst_styles: Vec<(char, bool)> = Vec::new();
    let mut fence: Option<Fence> = None;
    // The kind and level of the last heading that named a version: the section a fence
    // left open is confined to.
    let mut section: Option<(Kind, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        if let Some(open) = &fence {
            if open.closed_by(lines[i]) {
                fence = None;
                i += 1;
                continue;
            }
            let ends_section = heading_at(lines, i, &rst_styles).is_some_and(|h| {
                ends_section(&h, section, package)
                    && fence_left_open(lines, h.body_start, &rst_styles, &h, package)
            });
            if !ends_section {
                i += 1;
                continue;
            }
            // The fence was never closed: as on GitHub, where each release is rendered
            // on its own, it ends with its section and this heading starts the next.
            fence = None;
        } else if let Some(open) = Fence::opened_by(lines[i]) {
            fence = Some(open);
            i += 1;
            continue;
        }
        match heading_at(lines, i, &rst_styles) {
            Some(h) => {
                if let Some(style) = h.rst_style {
                    rst_level(&mut rst_styles, style);
                }
                if version_in(&h.text, package).is_some() {
                    section = Some((h.kind, h.level));
                }
                i = h.body_start;
                out.push(h);
            }
            None => i += 1,
        }
    }
    out
}

/// Whether a heading met inside an open fence may end the section the fence opened in:
/// it names a version and is of the same kind, at the same or a higher level.
fn ends_section(h: &Heading, section: Option<(Kind, usize)>, package: &str) -> bool {
    version_in(&h.text, package).is_some()
        && section.is_none_or(|(kind, level)| h.kind == kind && h.level <= level)
}

/// Whether the fence open before `h` is really left open rather than closed further on
/// (a `# upgrade to 2.0.0` comment in a shell block is not a release heading): its
/// would-be section, from `from` to the next heading that could end a section, holds an
/// even number of fence lines, so none of them closes the fence.
fn fence_left_open(
    lines: &[&str],
    from: usize,
    rst_styles: &[(char, bool)],
    h: &Heading,
    package: &str,
) -> bool {
    let section = Some((h.kind, h.level));
    let mut markers = 0;
    let mut i = from;
    while i < lines.len() {
        if Fence::opened_by(lines[i]).is_some() {
            markers += 1;
            i += 1;
            continue;
        }
        match heading_at(lines, i, rst_styles) {
            Some(n) if ends_section(&n, section, package) => break,
            // Past its underline, which may look like a fence (`~~~~`).
            Some(n) => i = n.body_start,
            None => i += 1,
        }
    }
    markers % 2 == 0
}

/// A fenced code block's opening: its character and length. CommonMark closes it with a
/// line of at least as many of the same character and nothing else.
pub(crate) struct Fence {
    ch: char,
    len: usize,
}

impl Fence {
    pub(crate) fn opened_by(line: &str) -> Option<Fence> {
        let t = line.trim_start();
        let ch = t.chars().next().filter(|&c| c == '`' || c == '~')?;
        let len = t.len() - t.trim_start_matches(ch).len();
        // A backtick fence's info string has no backtick (that is inline code).
        let info = &t[len..];
        (len >= 3 && !(ch == '`' && info.contains('`'))).then_some(Fence { ch, len })
    }

    /// The line that closes it.
    pub(crate) fn closer(&self) -> String {
        self.ch.to_string().repeat(self.len)
    }

    pub(crate) fn closed_by(&self, line: &str) -> bool {
        let t = line.trim();
        let len = t.len() - t.trim_start_matches(self.ch).len();
        len >= self.len && len == t.len()
    }
}

/// The heading that starts at line `i`, if any, with its level given the reStructuredText
/// styles seen so far (a new style is returned in `rst_style`, not recorded).
fn heading_at(lines: &[&str], i: usize, rst_styles: &[(char, bool)]) -> Option<Heading> {
    let line = lines[i];
    // ATX: `## Title`
    if line.starts_with('#') {
        let level = line.chars().take_while(|&c| c == '#').count();
        let rest = &line[level..];
        if level <= 6 && (rest.is_empty() || rest.starts_with(' ')) {
            return Some(Heading {
                line: i,
                body_start: i + 1,
                level,
                text: rest.trim().trim_end_matches('#').trim().to_string(),
                kind: Kind::Atx,
                rst_style: None,
            });
        }
    }
    let rst = |style: (char, bool)| {
        // After Markdown's setext levels 1 and 2.
        let level = rst_styles
            .iter()
            .position(|s| *s == style)
            .unwrap_or(rst_styles.len());
        (level + 3, Some(style))
    };
    // Overlined RST title: `====` / `Title` / `====`.
    if let (Some(c), Some(title), Some(under)) =
        (adornment(line), lines.get(i + 1), lines.get(i + 2))
    {
        if !title.trim().is_empty() && adornment(under) == Some(c) {
            let (level, rst_style) = rst((c, true));
            return Some(Heading {
                line: i,
                body_start: i + 3,
                level,
                text: title.trim().to_string(),
                kind: Kind::Underlined,
                rst_style,
            });
        }
    }
    // Underlined title: Markdown setext (`===` 1, `---` 2) or RST (any adornment).
    let c = underline(lines.get(i + 1)?, line)?;
    if line.trim().is_empty() || adornment(line).is_some() || is_list_item(line) {
        return None;
    }
    let (level, rst_style) = match c {
        '=' if rst_styles.is_empty() => (1, None),
        '-' if rst_styles.is_empty() => (2, None),
        _ => rst((c, false)),
    };
    Some(Heading {
        line: i,
        body_start: i + 2,
        level,
        text: line.trim().to_string(),
        kind: Kind::Underlined,
        rst_style,
    })
}

/// The adornment character of `next` when it underlines `title`. A `~~~` line under a
/// longer line opens a Markdown code fence; reStructuredText wants an underline at least
/// as long as its title.
fn underline(next: &str, title: &str) -> Option<char> {
    adornment(next).filter(|&c| c != '~' || next.trim_end().len() >= title.trim().chars().count())
}

/// The adornment character of a line made of one repeated punctuation character.
fn adornment(line: &str) -> Option<char> {
    let t = line.trim_end();
    let c = t.chars().next()?;
    // Never a backtick: three of them open a code fence.
    (t.len() >= 3 && "=-~^*+#\"':._".contains(c) && t.chars().all(|x| x == c)).then_some(c)
}

fn rst_level(styles: &mut Vec<(char, bool)>, style: (char, bool)) -> usize {
    // After Markdown's setext levels 1 and 2.
    match styles.iter().position(|s| *s == style) {
        Some(p) => p + 3,
        None => {
            styles.push(style);
            styles.len() + 2
        }
    }
}

fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ")
}

/// The version a heading names, if any. Skips `Unreleased` and headings that name
/// another package of a monorepo.
pub fn version_in(heading: &str, package: &str) -> Option<String> {
    // Strip Markdown links: `[5.0.0](url)` -> `5.0.0`.
    let text = strip_links(heading);
    let lower = text.to_ascii_lowercase();
    if lower.contains("unreleased") {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at_boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.');
        let start = if (bytes[i] == b'v' || bytes[i] == b'V')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            i + 1
        } else {
            i
        };
        if at_boundary && bytes[start].is_ascii_digit() {
            let end = token_end(bytes, start);
            let candidate = &text[start..end];
            if candidate.contains('.') {
                if names_other_package(&text[..i], package) {
                    return None;
                }
                return Some(candidate.trim_end_matches(['.', '-']).to_string());
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    None
}

fn token_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-' | b'+'))
    {
        end += 1;
    }
    end
}

/// Whether the text glued to a version names a package other than ours: `router@2.0.0`,
/// `@scope/pkg@1.2.3`, `pkg-v1.2.3`. A blank before the version names nothing.
fn names_other_package(prefix: &str, package: &str) -> bool {
    let Some(sep) = prefix.chars().last() else {
        return false;
    };
    if !matches!(sep, '@' | '-' | '/' | '_') {
        return false;
    }
    let word = prefix[..prefix.len() - 1]
        .rsplit([' ', '[', '(', '`', '#'])
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    let short = package.rsplit('/').next().unwrap_or(package);
    !(word.eq_ignore_ascii_case(package) || word.eq_ignore_ascii_case(short))
}

fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(close) => {
                out.push_str(&after[..close]);
                let tail = &after[close + 2..];
                rest = tail.find(')').map_or("", |p| &tail[p + 1..]);
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions_in_heading_styles() {
        let cases = [
            ("5.0.0 / 2024-09-09", Some("5.0.0")),
            (
                "[5.0.0](https://example.invalid/compare/v4...v5) (2024-09-09)",
                Some("5.0.0"),
            ),
            ("v5.0.0", Some("5.0.0")),
            ("Version 5.0.0", Some("5.0.0")),
            ("[Unreleased]", None),
            ("5.0.0-beta.1 / 2024-01-01", Some("5.0.0-beta.1")),
            ("express@5.0.0", Some("5.0.0")),
            ("router@2.0.0", None),
            ("@scope/pkg@1.2.3", None),
            ("Bug fixes", None),
            ("2.0.0rc1 (2023-05-01)", Some("2.0.0rc1")),
            ("Release 10 notes", None),
        ];
        for (heading, want) in cases {
            assert_eq!(version_in(heading, "express").as_deref(), want, "{heading}");
        }
        assert_eq!(
            version_in("@scope/pkg@1.2.3", "@scope/pkg").as_deref(),
            Some("1.2.3")
        );
        assert_eq!(version_in("pkg-v1.2.3", "pkg").as_deref(), Some("1.2.3"));
    }

    #[test]
    fn slices_setext_history() {
        let text = "unreleased\n==========\n\n* wip\n\n5.1.0 / 2025-03-31\n==================\n\n* Add support for `Uint8Array`\n\n5.0.0 / 2024-09-09\n=========================\n\n* remove:\n  - `res.sendfile`\n\n5.0.0-beta.3 / 2024-03-25\n=========================\n\n* beta 3\n\n4.21.2 / 2024-11-06\n===================\n\n* deps: path-to-regexp@0.1.12\n";
        let all = sections(text, "express");
        let versions: Vec<&str> = all.iter().map(|s| s.version.as_str()).collect();
        assert_eq!(versions, ["5.1.0", "5.0.0", "5.0.0-beta.3", "4.21.2"]);
        assert_eq!(all[1].body, "* remove:\n  - `res.sendfile`");
        let crossed = slice(all.clone(), Ecosystem::Npm, Some("4.21.2"), "5.1.0");
        let v: Vec<&str> = crossed.iter().map(|s| s.version.as_str()).collect();
        assert_eq!(v, ["5.1.0", "5.0.0", "5.0.0-beta.3"]);
        // The beta is not crossed from 5.0.0.
        let v: Vec<String> = slice(all, Ecosystem::Npm, Some("5.0.0"), "5.1.0")
            .into_iter()
            .map(|s| s.version)
            .collect();
        assert_eq!(v, ["5.1.0"]);
    }

    #[test]
    fn keep_a_changelog_and_conventional_changelog() {
        let kac = "# Changelog\n\n## [Unreleased]\n\n### Added\n- x\n\n## [2.0.0] - 2024-01-01\n\n### Removed\n- `old()`\n\n## [1.1.0] - 2023-01-01\n\n### Added\n- y\n";
        let s = sections(kac, "x");
        assert_eq!(
            s.iter().map(|s| s.version.as_str()).collect::<Vec<_>>(),
            ["2.0.0", "1.1.0"]
        );
        assert_eq!(s[0].body, "### Removed\n- `old()`");

        let cc = "# Changelog\n\n# [3.0.0](https://example.invalid/compare/v2.1.0...v3.0.0) (2024-02-02)\n\n### ⚠ BREAKING CHANGES\n\n* drop node 16\n\n## [2.1.0](https://example.invalid) (2024-01-01)\n\n### Features\n\n* thing\n\n# [2.0.0](https://example.invalid) (2023-01-01)\n\n* init\n";
        let s = sections(cc, "x");
        // Level 1 has two version headings; 2.1.0 (level 2) stays inside 3.0.0's section.
        assert_eq!(
            s.iter().map(|s| s.version.as_str()).collect::<Vec<_>>(),
            ["3.0.0", "2.0.0"]
        );
        assert!(s[0].body.contains("drop node 16") && s[0].body.contains("2.1.0"));

        // Newer releases at level 2 under older ones at level 1: both are releases.
        let styles = "# Changelog\n\n## [9.0.0](x) (2020)\n\n### Bug Fixes\n\n* a\n\n### [8.0.1](x) (2020)\n\n* patch\n\n## [8.0.0](x) (2020)\n\n* b\n\n# [5.0.0](x) (2019)\n\n### Features\n\n* c\n\n# [4.0.0](x) (2018)\n\n* d\n";
        let s = sections(styles, "x");
        assert_eq!(
            s.iter().map(|s| s.version.as_str()).collect::<Vec<_>>(),
            ["9.0.0", "8.0.0", "5.0.0", "4.0.0"]
        );
        assert!(s[0].body.contains("8.0.1"), "a deeper release stays inside");
        assert_eq!(s[2].body, "### Features\n\n* c");
    }

    #[test]
    fn restructured_text_and_monorepo() {
        let rst = "Changelog\n=========\n\nVersion 3.0.0\n-------------\n\nReleased 2023-09-30\n\n-   Remove previously deprecated code.\n\nVersion 2.3.3\n-------------\n\n-   Fix.\n";
        let s = sections(rst, "flask");
        assert_eq!(
            s.iter().map(|s| s.version.as_str()).collect::<Vec<_>>(),
            ["3.0.0", "2.3.3"]
        );
        assert!(s[0].body.starts_with("Released 2023-09-30"));

        let over = "=====\n3.0.0\n=====\n\nbody three\n\n=====\n2.0.0\n=====\n\nbody two\n";
        let s = sections(over, "x");
        assert_eq!(
            s.iter().map(|s| s.body.as_str()).collect::<Vec<_>>(),
            ["body three", "body two"]
        );

        let mono = "## router@2.0.0\n\n- router change\n\n## express@5.0.0\n\n- express change\n\n## express@4.0.0\n\n- old\n";
        let s = sections(mono, "express");
        assert_eq!(
            s.iter().map(|s| s.version.as_str()).collect::<Vec<_>>(),
            ["5.0.0", "4.0.0"]
        );
        assert_eq!(s[0].body, "- express change");
    }

    /// Versions and the first line of each body.
    fn outline(text: &str) -> Vec<(String, String)> {
        sections(text, "express")
            .into_iter()
            .map(|s| (s.version, s.body.lines().next().unwrap_or("").to_string()))
            .collect()
    }

    #[test]
    fn a_fence_left_open_ends_with_its_section() {
        let history = "5.1.0 / 2025-03-31\n==================\n\n* Add `res.send(Uint8Array)`:\n\n```js\nres.send(bytes)\n\n5.0.1 / 2024-10-08\n==================\n\n* Security: update `cookie` for CVE-2024-47764\n\n5.0.0 / 2024-09-10\n==================\n\n* breaking:\n  * `res.status()` accepts only integers\n\n```js\nres.status(200)\n```\n\n4.21.2 / 2024-11-06\n===================\n\n* deps: path-to-regexp@0.1.12\n";
        let all = sections(history, "express");
        let versions: Vec<&str> = all.iter().map(|s| s.version.as_str()).collect();
        assert_eq!(versions, ["5.1.0", "5.0.1", "5.0.0", "4.21.2"]);
        assert!(all[0].body.ends_with("res.send(bytes)"), "{}", all[0].body);
        assert!(!all[0].body.contains("CVE"), "{}", all[0].body);
        assert_eq!(
            all[1].body,
            "* Security: update `cookie` for CVE-2024-47764"
        );
        assert!(all[2].body.contains("`res.status()` accepts only integers"));
        let crossed = slice(all, Ecosystem::Npm, Some("4.21.2"), "5.1.0");
        assert!(crossed.iter().all(|s| !s.body.contains("path-to-regexp")));

        // The same in `##` headings, and with a `~~~` fence.
        let atx =
            "## 2.0.0\n\n~~~~\nopen\n\n## 1.1.0\n\n- one\n\n```sh\nx\n```\n\n## 1.0.0\n\n- zero\n";
        assert_eq!(
            outline(atx),
            [
                ("2.0.0".into(), "~~~~".into()),
                ("1.1.0".into(), "- one".into()),
                ("1.0.0".into(), "- zero".into())
            ]
        );
        // reStructuredText has no fences, but a stray one must not swallow it either.
        let rst = "Version 3.0.0\n-------------\n\n- ```oops\n\nVersion 2.0.0\n-------------\n\n- Removed `x`.\n";
        assert_eq!(
            outline(rst),
            [
                ("3.0.0".into(), "- ```oops".into()),
                ("2.0.0".into(), "- Removed `x`.".into())
            ]
        );
    }

    #[test]
    fn closed_fences_still_hide_what_looks_like_headings() {
        // A comment naming a version inside a shell block closed further on, a YAML
        // document separator, and a line right above a fence, which no backticks underline.
        let text = "## 2.0.0\n\nUpgrade:\n```\n# upgrade to 2.0.0\nnpm i x@2\n```\n\n```yaml\nimage: x:1.5.0\n---\n```\n\n## 1.0.0\n\n- first\n";
        assert_eq!(
            outline(text),
            [
                ("2.0.0".into(), "Upgrade:".into()),
                ("1.0.0".into(), "- first".into())
            ]
        );
        let body = &sections(text, "x")[0].body;
        assert!(body.ends_with("image: x:1.5.0\n---\n```"), "{body}");
    }
}
