//! `stave serve`, the preview for comms staff: builds the site into a temporary folder (never
//! into the site's own) for `http://127.0.0.1:PORT/` and serves it to this computer only.
//!
//! Built up in pieces; so far: [`files`], which file a request may have (never one outside the
//! built site), and [`http`], answering requests. Watching and live reload are to come.

pub mod files;
pub mod http;

use crate::error::{Diagnostic, Diagnostics};
use crate::pipeline::{build_site, BuildOptions, Now};
use std::path::PathBuf;

/// The port tried when none is asked for; if it is taken, the system chooses one.
pub const DEFAULT_PORT: u16 = 1400;

/// What to preview.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// None: [`DEFAULT_PORT`] if free, else any; Some(0): any free port.
    pub port: Option<u16>,
    pub now: Now,
    pub drafts: bool,
}

/// Builds the site and serves it until the process is stopped. `ready` is called with the
/// address once the site is being served.
pub fn serve(opts: &ServeOptions, ready: impl FnOnce(&str)) -> Result<(), Diagnostics> {
    let server = bind(opts.port)?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(0);
    let url = format!("http://127.0.0.1:{port}/");
    let out = std::env::temp_dir().join(format!("stave-serve-{}", std::process::id())).join("public");
    let build = BuildOptions {
        root: opts.root.clone(),
        out: Some(out.clone()),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        now: opts.now,
        strict: false,
        write: true,
    };
    // The temporary copy goes when the preview stops, whether by Ctrl-C or by an error.
    let folder = out.parent().map(PathBuf::from).unwrap_or_else(|| out.clone());
    let on_stop = folder.clone();
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&on_stop);
        std::process::exit(0);
    });
    let report = build_site(&build);
    if report.failed(false) {
        let _ = std::fs::remove_dir_all(&folder);
        return Err(report.diagnostics);
    }
    ready(&url);
    http::answer_all(&server, &out);
    Ok(())
}

/// Listens on 127.0.0.1 only: nothing but this computer can connect.
fn bind(port: Option<u16>) -> Result<tiny_http::Server, Diagnostics> {
    let listen = |p: u16| tiny_http::Server::http(("127.0.0.1", p));
    let server = match port {
        Some(p) => listen(p),
        None => listen(DEFAULT_PORT).or_else(|_| listen(0)),
    };
    server.map_err(|e| {
        let port = port.unwrap_or(DEFAULT_PORT);
        Diagnostics::from(Diagnostic::file_error("--port", format!("cannot listen on 127.0.0.1:{port}: {e}; choose another --port")))
    })
}
