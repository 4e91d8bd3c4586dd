//! `stave serve`, the live preview for comms staff. Built up in pieces; so far:
//! [`files`], which file of the built site a request may have — never one outside it.

pub mod files;
