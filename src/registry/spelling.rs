//! Composer constraints written in the syntax `Range` reads (npm's, as node-semver reads
//! it): the operators mean the same there except Composer's tilde, which is rewritten.

/// A Composer constraint in the syntax of `Range`: `|` or `||` between alternatives,
/// blanks or commas between the parts of one, `~1.2` is `>=1.2 <2.0.0-0` and `~1.2.3`
/// `>=1.2.3 <1.3.0-0` (the last given segment may grow), `1.*` a wildcard, `A - B` a
/// hyphen range; stability flags (`@dev`) are refused.
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
                Some(rest) => composer_tilde(rest).ok_or_else(|| {
                    format!("`{token}` in `{raw}`: `~` takes a version of 1 to 3 numbers")
                })?,
                None => token.to_string(),
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

/// Composer's `~V`: at least V, below the next release of the segment before V's last
/// (`~1` and `~1.2` stop before 2, `~1.2.3` before 1.3).
fn composer_tilde(v: &str) -> Option<String> {
    let v = v.trim_start_matches('v');
    let release_end = v.find('-').unwrap_or(v.len());
    let numbers: Vec<u64> = v[..release_end]
        .split('.')
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let upper = match numbers[..] {
        [major] | [major, _] => format!("{}.0.0-0", major.checked_add(1)?),
        [major, minor, _] => format!("{major}.{}.0-0", minor.checked_add(1)?),
        _ => return None,
    };
    Some(format!(">={v} <{upper}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_range_reads_them() {
        assert_eq!(
            composer_as_npm("^10.0|~9.5, >=9.5.2 || 8.*").unwrap(),
            "^10.0 || >=9.5 <10.0.0-0 >=9.5.2 || 8.x"
        );
        assert!(composer_as_npm("^11@dev").is_err());
    }
}
