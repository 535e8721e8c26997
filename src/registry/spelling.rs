//! How preview's specs spell a range in each ecosystem, read with that package manager's
//! own semantics (`crate::version`). The one addition is the bare series: a version of
//! one or two numbers alone (`7`, `2.1`), which pip, RubyGems and Composer would read as
//! one exact version, means the newest release of that series, as it does for npm
//! (`preview gem:rails@7` asks for rails 7, whichever minor is newest).

use crate::version::{
    ComposerConstraint, ComposerConstraintError, GemRequirement, GemRequirementError,
    PythonSpecifiers, SpecifierError,
};

/// Whether `raw` is a version of one or two numbers alone (`7`, `2.1`).
fn bare_series(raw: &str) -> Option<&str> {
    let t = raw.trim();
    let numbers = t.split('.').count() < 3
        && t.split('.')
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    numbers.then_some(t)
}

/// PEP 440 specifiers; a bare series is `==2.*`.
pub(super) fn python_specifiers(raw: &str) -> Result<PythonSpecifiers, SpecifierError> {
    match bare_series(raw) {
        Some(series) => PythonSpecifiers::parse(&format!("=={series}.*")),
        None => PythonSpecifiers::parse(raw),
    }
}

/// A gem requirement; a bare series is `~> 7.0` (`~> 7.1.0` for `7.1`).
pub(super) fn gem_requirement(raw: &str) -> Result<GemRequirement, GemRequirementError> {
    match bare_series(raw) {
        Some(series) => GemRequirement::parse(&format!("~> {series}.0")),
        None => GemRequirement::parse(raw),
    }
}

/// A Composer constraint; a bare series is `11.*`.
pub(super) fn composer_constraint(
    raw: &str,
) -> Result<ComposerConstraint, ComposerConstraintError> {
    match bare_series(raw) {
        Some(series) => ComposerConstraint::parse(&format!("{series}.*")),
        None => ComposerConstraint::parse(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_series_only_for_one_or_two_numbers() {
        assert_eq!(bare_series(" 7 "), Some("7"));
        assert_eq!(bare_series("2.1"), Some("2.1"));
        assert_eq!(bare_series("2.1.0"), None);
        assert_eq!(bare_series("~> 7"), None);
        assert_eq!(bare_series(""), None);
    }
}
