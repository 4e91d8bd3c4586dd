//! Answering the preview's requests: GET and HEAD only, each with the file [`files::resolve`]
//! allows (pages with the live script, see [`live`]), the site's `404.html` for anything else,
//! and nothing outside the built site; `/__stave/` holds the live script, the errors and the
//! reload events.

use super::files::{resolve, Answer};
use super::live::{self, Live};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// How often an idle events stream is sent a comment, so a closed page is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

const HTML: &str = "text/html; charset=utf-8";

/// Answers every request until the server stops: each events stream on a thread of its own,
/// the rest one after another.
pub fn answer_all(server: &Server, site: &Path, live: &Arc<Live>) {
    for request in server.incoming_requests() {
        if request.url().split('?').next() == Some("/__stave/events") && *request.method() == Method::Get {
            let (live, site) = (live.clone(), site.to_path_buf());
            std::thread::spawn(move || events(request, &site, &live));
        } else {
            answer(request, site, live);
        }
    }
}

/// A header; None if `value` cannot be one (a redirect to such a path is then not sent).
fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn answer(request: Request, site: &Path, live: &Live) {
    let head = *request.method() == Method::Head;
    if !head && *request.method() != Method::Get {
        let mut response = Response::from_string("Only GET and HEAD are answered here.\n").with_status_code(StatusCode(405));
        header("Allow", "GET, HEAD").into_iter().for_each(|h| response.add_header(h));
        let _ = request.respond(response);
        return;
    }
    let (status, body, kind, location) = match request.url().split('?').next().unwrap_or("") {
        "/__stave/live.js" => (200, live::SCRIPT.as_bytes().to_vec(), "text/javascript; charset=utf-8", None),
        "/__stave/errors.json" => (200, live.errors_json().into_bytes(), "application/json", None),
        _ if !live.built() => (503, live::inject(NOT_BUILT.as_bytes(), None), HTML, None),
        _ => match resolve(site, request.url()) {
            Answer::File(path, kind) => match std::fs::read(&path) {
                Ok(bytes) if kind == HTML => {
                    let note = output_path(site, &path).and_then(|p| live.note(&p));
                    (200, live::inject(&bytes, note.as_deref()), kind, None)
                }
                Ok(bytes) => (200, bytes, kind, None),
                Err(_) => not_found(site),
            },
            Answer::Redirect(to) => (301, Vec::new(), "text/plain; charset=utf-8", Some(to)),
            Answer::NotFound => not_found(site),
        },
    };
    let mut response = Response::from_data(if head { Vec::new() } else { body }).with_status_code(StatusCode(status));
    let headers = [header("Content-Type", kind), header("Cache-Control", "no-store"), location.and_then(|to| header("Location", &to))];
    headers.into_iter().flatten().for_each(|h| response.add_header(h));
    let _ = request.respond(response);
}

/// The page shown while no build of the site has succeeded: the overlay lists why.
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Not built yet</title></head>\
    <body><main><h1>The site has not built yet</h1><p>Stave will show it as soon as the problems listed \
    below are fixed.</p></main></body></html>";

/// The site's own 404 page (with the live script), or a line of text when it has none.
fn not_found(site: &Path) -> (u16, Vec<u8>, &'static str, Option<String>) {
    match std::fs::read(site.join(crate::routes::NOT_FOUND)) {
        Ok(page) => (404, live::inject(&page, None), HTML, None),
        Err(_) => (404, b"Not found\n".to_vec(), "text/plain; charset=utf-8", None),
    }
}

/// The output path (`cpd/autumn/index.html`) of a file of the site.
fn output_path(site: &Path, file: &Path) -> Option<String> {
    let site = site.canonicalize().ok()?;
    Some(file.strip_prefix(site).ok()?.to_string_lossy().replace('\\', "/"))
}

/// A stream of server-sent events for the page named in the request's `?page=`: "reload"
/// whenever a rebuild changes that page (or the errors), a comment now and then otherwise.
fn events(request: Request, site: &Path, live: &Live) {
    let page = request
        .url()
        .split_once("?page=")
        .map(|(_, p)| p.split('&').next().unwrap_or(""))
        .and_then(|p| percent_encoding::percent_decode_str(p).decode_utf8().ok().map(|p| p.into_owned()));
    let file = page.as_deref().and_then(|p| match resolve(site, p) {
        Answer::File(path, _) => output_path(site, &path),
        _ => None,
    });
    let mut seen = live.generation();
    let mut out = request.into_writer();
    let start = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if out.write_all(start.as_bytes()).and_then(|()| out.flush()).is_err() {
        return;
    }
    loop {
        let (generation, reload) = live.next(seen, file.as_deref(), KEEP_ALIVE);
        seen = generation;
        let message: &[u8] = if reload { b"data: reload\n\n" } else { b": still here\n\n" };
        if out.write_all(message).and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}
