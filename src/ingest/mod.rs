//! Data in and out: the demo generator and exports.

pub mod demo;
