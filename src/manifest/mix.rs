//! mix.exs: the dependency names of its `deps` function, read without running Elixir.
//!
//! mix.exs is a program, so only the plain shape is read: inside `defp deps do` (or
//! `def deps do`) up to its `end`, every tuple that opens a line as `{:name,` names a
//! dependency (`{:plug, "~> 1.0", optional: true}`, `{:finch, github: "..."}`). Names built
//! at run time, or deps listed elsewhere, are not seen; those packages read as transitive.

use crate::lockfile::ParseError;

pub fn direct_dependencies(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let text = crate::lockfile::text(bytes)?;
    let mut names = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if !(t == "defp deps do" || t == "def deps do") {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        for line in lines.by_ref() {
            let t = line.trim();
            if t == "end" && line.len() - line.trim_start().len() == indent {
                break;
            }
            let Some(rest) = t.trim_start_matches('[').trim_start().strip_prefix("{:") else {
                continue;
            };
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if len > 0 && rest[len..].starts_with(',') {
                names.push(rest[..len].to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_deps_function() {
        let m = br#"defmodule Acme.MixProject do
  use Mix.Project

  def project do
    [app: :acme, deps: deps(), aliases: [setup: ["deps.get"]]]
  end

  defp deps do
    [{:phoenix, "~> 1.7"},
      {:plug, "~> 1.0", [optional: true] ++ plug_opts()},
      {:finch, github: "sneako/finch"},
      # {:commented, "~> 1.0"},
      {:ex_doc, ">= 0.0.0", only: :docs, runtime: false}
    ]
  end

  defp plug_opts do
    [{:not_a_dep, 1}]
  end
end
"#;
        assert_eq!(
            direct_dependencies(m).unwrap(),
            ["ex_doc", "finch", "phoenix", "plug"]
        );
        assert!(direct_dependencies(b"defmodule X do\nend\n")
            .unwrap()
            .is_empty());
    }
}
