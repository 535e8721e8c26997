//! Runs the composite action in action.yml as a runner would: the steps in order, each
//! `run:` script with `bash --noprofile --norc -eo pipefail` in the step's working
//! directory, its `env:` evaluated (`${{ inputs.* }}`, `${{ steps.*.outputs.* }}`,
//! `${{ github.* }}`), a fresh GITHUB_OUTPUT file per step read back in both of its
//! syntaxes, `if:` conditions, a failing step ending the run, and the action's outputs
//! mapped from its steps. `uses:` steps (actions/cache) are JavaScript actions this
//! emulation does not run; they are recorded as skipped.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Runner {
    action: Value,
    action_path: PathBuf,
    pub inputs: BTreeMap<String, String>,
    /// The variables a runner sets for the job (GITHUB_*, RUNNER_*).
    pub env: BTreeMap<String, String>,
    pub workspace: PathBuf,
    temp: PathBuf,
    /// `github.token`: what the github-token input defaults to.
    pub token: String,
    /// `github.action_repository`.
    pub action_repository: String,
    /// Stop after the step with this id.
    pub until: Option<String>,
}

#[derive(Debug)]
pub struct StepRun {
    pub id: String,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub outputs: BTreeMap<String, String>,
}

#[derive(Debug)]
pub struct ActionRun {
    pub steps: Vec<StepRun>,
    pub outputs: BTreeMap<String, String>,
    /// 0, or the exit status of the step that failed.
    pub status: i32,
}

impl ActionRun {
    pub fn step(&self, id: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no step {id}: {self:#?}"))
    }
    pub fn stdout(&self) -> String {
        self.steps.iter().map(|s| s.stdout.as_str()).collect()
    }
}

impl Runner {
    pub fn new(action_yml: &Path, workspace: &Path, temp: &Path) -> Runner {
        let text = std::fs::read_to_string(action_yml).unwrap();
        let action: Value = serde_saphyr::from_str(&text).expect("action.yml is YAML");
        Runner {
            action,
            action_path: action_yml.parent().unwrap().to_path_buf(),
            inputs: BTreeMap::new(),
            env: BTreeMap::new(),
            workspace: workspace.to_path_buf(),
            temp: temp.to_path_buf(),
            token: String::new(),
            action_repository: String::new(),
            until: None,
        }
    }

    pub fn action(&self) -> &Value {
        &self.action
    }

    pub fn run(&self) -> ActionRun {
        let mut steps: Vec<StepRun> = Vec::new();
        let mut failed: Option<i32> = None;
        for (i, step) in self.action["runs"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let id = step["id"]
                .as_str()
                .map_or(format!("step{i}"), str::to_string);
            let condition = step["if"].as_str().unwrap_or("success()");
            let run = failed.is_none() && self.condition(condition, &steps);
            if !run || step.get("uses").is_some() {
                steps.push(StepRun {
                    id,
                    status: None,
                    stdout: String::new(),
                    stderr: String::new(),
                    outputs: BTreeMap::new(),
                });
                continue;
            }
            let done = self.run_step(&id, step, &steps);
            if done.status != Some(0) {
                failed = done.status.or(Some(1));
            }
            steps.push(done);
            if self.until.as_deref() == Some(id.as_str()) {
                break;
            }
        }
        let mut outputs = BTreeMap::new();
        if let Some(map) = self.action["outputs"].as_object() {
            for (k, v) in map {
                outputs.insert(k.clone(), self.expand(v["value"].as_str().unwrap(), &steps));
            }
        }
        ActionRun {
            steps,
            outputs,
            status: failed.unwrap_or(0),
        }
    }

    fn run_step(&self, id: &str, step: &Value, done: &[StepRun]) -> StepRun {
        assert_eq!(step["shell"], "bash", "every run step names its shell");
        let script = step["run"].as_str().unwrap();
        assert!(
            !script.contains("${{"),
            "step {id}: an expression inside a run script"
        );
        let dir = self.temp.join(format!("step-{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("script.sh");
        std::fs::write(&file, script).unwrap();
        let output_file = dir.join("output");
        std::fs::write(&output_file, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file);
        let cwd = match step["working-directory"].as_str() {
            Some(w) => self.workspace.join(self.expand(w, done)),
            None => self.workspace.clone(),
        };
        cmd.current_dir(cwd);
        for (k, _) in std::env::vars() {
            if k.starts_with("GITHUB_")
                || k.starts_with("RUNNER_")
                || k.starts_with("BUMPCHECK_")
                || k == "GH_TOKEN"
                || k.starts_with("INPUT_")
            {
                cmd.env_remove(k);
            }
        }
        cmd.envs(&self.env);
        cmd.env("GITHUB_OUTPUT", &output_file);
        cmd.env("GITHUB_ACTION_PATH", &self.action_path);
        if let Some(env) = step["env"].as_object() {
            for (k, v) in env {
                cmd.env(k, self.expand(v.as_str().unwrap_or(""), done));
            }
        }
        let out = cmd.output().unwrap();
        StepRun {
            id: id.to_string(),
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs: parse_outputs(&std::fs::read_to_string(&output_file).unwrap()),
        }
    }

    /// `success()`, or `X == 'literal'` / `X != 'literal'`.
    fn condition(&self, expr: &str, done: &[StepRun]) -> bool {
        let expr = expr
            .trim()
            .trim_start_matches("${{")
            .trim_end_matches("}}")
            .trim();
        if expr == "success()" {
            return true;
        }
        let (op, (left, right)) = if let Some(p) = expr.split_once("==") {
            ("==", p)
        } else {
            (
                "!=",
                expr.split_once("!=")
                    .unwrap_or_else(|| panic!("unsupported if: {expr}")),
            )
        };
        let left = self.value(left.trim(), done);
        let right = right.trim().trim_matches('\'');
        (left == right) == (op == "==")
    }

    /// A string with `${{ ... }}` expressions replaced.
    pub fn expand(&self, text: &str, done: &[StepRun]) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").unwrap() + start;
            out.push_str(&self.value(rest[start + 3..end].trim(), done));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn value(&self, expr: &str, done: &[StepRun]) -> String {
        let parts: Vec<&str> = expr.split('.').collect();
        match parts.as_slice() {
            ["inputs", name] => match self.inputs.get(*name) {
                Some(v) => v.clone(),
                None => {
                    let default = self.action["inputs"][*name]["default"].as_str();
                    let default = default.unwrap_or_else(|| panic!("no input {name}"));
                    self.expand(default, done)
                }
            },
            ["github", "action_path"] => self.action_path.display().to_string(),
            ["github", "action_repository"] => self.action_repository.clone(),
            ["github", "token"] => self.token.clone(),
            ["steps", id, "outputs", name] => done
                .iter()
                .find(|s| s.id == *id)
                .and_then(|s| s.outputs.get(*name).cloned())
                .unwrap_or_default(),
            _ => panic!("unsupported expression: {expr}"),
        }
    }
}

/// `name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT.
pub fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delimiter {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}
