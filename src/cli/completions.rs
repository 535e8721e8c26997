//! `bumpcheck completions SHELL|man`: shell completions and the man page, generated from
//! the same clap definitions as the command line itself, so they never drift.

use super::{emit, Cli};
use clap::{Args, CommandFactory, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Target {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
    /// The man page (roff), with every subcommand.
    Man,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// What to print.
    #[arg(value_enum)]
    target: Target,
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<i32> {
    use clap_complete::Shell;
    let mut cmd = Cli::command();
    let mut out: Vec<u8> = Vec::new();
    let shell = match args.target {
        Target::Bash => Shell::Bash,
        Target::Zsh => Shell::Zsh,
        Target::Fish => Shell::Fish,
        Target::Elvish => Shell::Elvish,
        Target::Powershell => Shell::PowerShell,
        Target::Man => {
            clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
            // One page for all: each subcommand's own section follows the main one.
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let name = format!("bumpcheck-{}", sub.get_name());
                let page = sub.clone().bin_name(name.clone());
                clap_mangen::Man::new(page).title(name).render(&mut out)?;
            }
            emit(&String::from_utf8_lossy(&out), None)?;
            return Ok(0);
        }
    };
    clap_complete::generate(shell, &mut cmd, "bumpcheck", &mut out);
    emit(&String::from_utf8_lossy(&out), None)?;
    Ok(0)
}
