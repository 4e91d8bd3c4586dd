//! Stave: a static-site generator for the schools' area of a Music Education Hub.
//!
//! The library is the product; `main.rs` only parses arguments and prints diagnostics.
//! Phases, in the order data flows through them: [`config`], [`content`], [`collections`],
//! [`library`] and its [`routes`], the [`markdown`] check, [`render`], [`output`];
//! [`pipeline`] strings them together.

pub mod audit;
pub mod cms;
pub mod collections;
pub mod config;
pub mod content;
pub mod dates;
pub mod email;
pub mod engagement;
pub mod error;
pub mod library;
pub mod markdown;
pub mod output;
pub mod pieces;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text_file;
pub mod urls;
pub mod yaml;
