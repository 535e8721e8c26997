//! Other ecosystems' range syntaxes written in the one `Range` reads (npm's, with
//! RubyGems' `~>`): gem requirements and Composer constraints.

/// A gem requirement in the syntax of `Range` (which reads `~>`): comma-separated parts
/// joined by blanks, prerelease tags as semver writes them (`7.2.0.beta1` ->
/// `7.2.0-beta1`).
pub(super) fn gem_as_npm(raw: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part.starts_with("!=") {
            return Err(format!(
                "`{part}` in `{raw}`: preview reads `~>`, `=`, `>=`, `<=`, `>` and `<`"
            ));
        }
        let op_len = part
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | ' '))
            .unwrap_or(part.len());
        let (op, version) = part.split_at(op_len);
        let version = match version.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) if i > 0 && version[..i].ends_with('.') => {
                format!("{}-{}", &version[..i - 1], &version[i..])
            }
            _ => version.to_string(),
        };
        out.push(format!("{}{version}", op.replace(' ', "")));
    }
    Ok(out.join(" "))
}

/// A Composer constraint in the syntax of `Range`: `|` or `||` between alternatives,
/// blanks or commas between the parts of one, `~1.2` is `>=1.2 <2` (Ruby's `~>`), `1.*`
/// a wildcard, `A - B` a hyphen range; stability flags (`@dev`) are not read.
pub(super) fn composer_as_npm(raw: &str) -> Result<String, String> {
    let mut alternatives = Vec::new();
    for alternative in raw.replace("||", "|").split('|') {
        let mut parts = Vec::new();
        for token in alternative.replace(',', " ").split_whitespace() {
            if token.starts_with("!=") || token.contains('@') {
                return Err(format!(
                    "`{token}` in `{raw}`: preview reads `^`, `~`, `*`, `-` ranges and \
                     `>=`, `<=`, `>`, `<`, `=`"
                ));
            }
            let token = match token.strip_prefix('~') {
                Some(rest) if !rest.starts_with('>') => format!("~>{rest}"),
                _ => token.to_string(),
            };
            parts.push(if token == "*" {
                token
            } else {
                token.replace(".*", ".x")
            });
        }
        alternatives.push(parts.join(" "));
    }
    Ok(alternatives.join(" || "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_range_reads_them() {
        assert_eq!(gem_as_npm("~> 7.2.0.rc1, < 8").unwrap(), "~>7.2.0-rc1 <8");
        assert_eq!(
            composer_as_npm("^10.0|~9.5, >=9.5.2 || 8.*").unwrap(),
            "^10.0 || ~>9.5 >=9.5.2 || 8.x"
        );
        assert!(composer_as_npm("^11@dev").is_err());
    }
}
