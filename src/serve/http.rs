//! Answering the preview's requests: GET and HEAD only, each with the file [`files::resolve`]
//! allows, the site's `404.html` for anything else, and nothing outside the built site.

use super::files::{resolve, Answer};
use std::path::Path;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Answers every request, one after another, until the server stops.
pub fn answer_all(server: &Server, site: &Path) {
    for request in server.incoming_requests() {
        answer(request, site);
    }
}

/// A header; None if `value` cannot be one (a redirect to such a path is then not sent).
fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn answer(request: Request, site: &Path) {
    let head = *request.method() == Method::Head;
    if !head && *request.method() != Method::Get {
        let mut response = Response::from_string("Only GET and HEAD are answered here.\n").with_status_code(StatusCode(405));
        header("Allow", "GET, HEAD").into_iter().for_each(|h| response.add_header(h));
        let _ = request.respond(response);
        return;
    }
    let (status, body, kind, location) = match resolve(site, request.url()) {
        Answer::File(path, kind) => match std::fs::read(&path) {
            Ok(bytes) => (200, bytes, kind, None),
            Err(_) => not_found(site),
        },
        Answer::Redirect(to) => (301, Vec::new(), "text/plain; charset=utf-8", Some(to)),
        Answer::NotFound => not_found(site),
    };
    let mut response = Response::from_data(if head { Vec::new() } else { body }).with_status_code(StatusCode(status));
    let headers = [header("Content-Type", kind), header("Cache-Control", "no-store"), location.and_then(|to| header("Location", &to))];
    headers.into_iter().flatten().for_each(|h| response.add_header(h));
    let _ = request.respond(response);
}

/// The site's own 404 page, or a line of text when it has none.
fn not_found(site: &Path) -> (u16, Vec<u8>, &'static str, Option<String>) {
    match std::fs::read(site.join(crate::routes::NOT_FOUND)) {
        Ok(page) => (404, page, "text/html; charset=utf-8", None),
        Err(_) => (404, b"Not found\n".to_vec(), "text/plain; charset=utf-8", None),
    }
}
