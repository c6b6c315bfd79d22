//! Data in and out: the demo generator, reading CSV files as municipalities write them, and
//! the import of a caseload through a profile.

pub mod csv_file;
pub mod demo;
pub mod import;
