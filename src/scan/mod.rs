//! Matching fired rules against the sources: which files, in which language, and the
//! structural match itself (ast-grep), in parallel.

pub mod files;
pub mod imports;
pub mod matcher;
pub mod suppress;
pub mod tree;
