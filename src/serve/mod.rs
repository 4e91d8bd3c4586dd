//! `stave serve`, the preview for comms staff: builds the site into a temporary folder (never
//! into the site's own) for `http://127.0.0.1:PORT/`, serves it to this computer only, and
//! rebuilds what an edit changed as soon as a file is saved; open pages reload themselves and
//! show any errors over the last good version.
//!
//! [`watch`] turns saved files into [`preview::Changes`]; [`preview`] makes the site again
//! from them; [`http`] answers requests with the files [`files`] allows; [`live`] tells open
//! pages to reload.

pub mod files;
pub mod http;
pub mod live;
pub mod preview;
pub mod watch;

use crate::error::{Diagnostic, Diagnostics};
use crate::pipeline::BuildOptions;
use live::Live;
use preview::{Changes, Outcome, Preview};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The port tried when none is asked for; if it is taken, the system chooses one.
pub const DEFAULT_PORT: u16 = 1400;

/// Builds the site `opts` names and serves it on `port` (None: [`DEFAULT_PORT`] if free, else
/// any; Some(0): any free port), rebuilding after every change, until the process is stopped.
/// The preview decides the output folder and the base URL itself. `ready` is called with the
/// address once the first build is done (whether or not it succeeded: its errors show in the
/// page); `report` after every build, with its time.
pub fn serve(
    opts: &BuildOptions,
    port: Option<u16>,
    ready: impl FnOnce(&str),
    mut report: impl FnMut(&Outcome, Duration) + Send + 'static,
) -> Result<(), Diagnostics> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Diagnostics::from(Diagnostic::file_error(&opts.root, format!("cannot open the site's folder: {e}; check --root"))))?;
    let server = bind(port)?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(0);
    let url = format!("http://127.0.0.1:{port}/");
    let out = std::env::temp_dir().join(format!("stave-serve-{}", std::process::id())).join("public");
    // The temporary copy goes when the preview stops, whether by Ctrl-C or by an error.
    let folder = out.parent().map(PathBuf::from).unwrap_or_else(|| out.clone());
    let on_stop = folder.clone();
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&on_stop);
        std::process::exit(0);
    });
    let live = Arc::new(Live::default());
    let opts = BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: Some(url.clone()),
        strict: false,
        write: true,
        ..opts.clone()
    };
    let mut preview = Preview::new(opts);
    let watching = watch::Watching::start(&root, preview.records_folder().as_deref())?;
    let (first, took) = rebuild(&mut preview, &Changes::default(), &live);
    ready(&url);
    report(&first, took);
    let told = live.clone();
    let watcher = std::thread::spawn(move || {
        watching.run(|changes| {
            let (outcome, took) = rebuild(&mut preview, &changes, &told);
            report(&outcome, took);
            preview.records_folder()
        })
    });
    http::answer_all(&server, &out, &live);
    let _ = std::fs::remove_dir_all(&folder);
    let _ = watcher.join();
    Ok(())
}

/// One update of the preview, told to the open pages; what it did, and how long it took.
fn rebuild(preview: &mut Preview, changes: &Changes, live: &Live) -> (Outcome, Duration) {
    let start = Instant::now();
    let outcome = preview.update(changes, &mut |pages, notes| live.succeeded(pages, notes));
    if outcome.failed() {
        live.failed(&outcome.diagnostics.sorted());
    }
    (outcome, start.elapsed())
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
