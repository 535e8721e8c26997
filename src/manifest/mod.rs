//! Manifests (package.json, ...): which dependencies the project declares itself.

pub mod npm;
