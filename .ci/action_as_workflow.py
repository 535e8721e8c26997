"""Writes action.yml's composite steps as a workflow, so actionlint (which lints
workflows, not action metadata) checks their expressions, contexts and, with shellcheck,
their run scripts. Usage: action_as_workflow.py action.yml OUT.yml"""
import sys

import yaml

action = yaml.safe_load(open(sys.argv[1]))
inputs = {
    name: {"type": "string", "required": False, "description": spec.get("description", "")}
    for name, spec in action["inputs"].items()
}
workflow = {
    "name": "action.yml as a workflow",
    "on": {"workflow_call": {"inputs": inputs}},
    "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
}


def block_literals(dumper, text):
    """Scripts as `|` blocks, so actionlint's positions read like the action's."""
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


yaml.add_representer(str, block_literals, Dumper=yaml.SafeDumper)
with open(sys.argv[2], "w") as out:
    yaml.safe_dump(workflow, out, sort_keys=False, width=1000)
