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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| Header::from_bytes("X-Stave", "1").expect("a valid header"))
}

fn answer(request: Request, site: &Path) {
    let head = *request.method() == Method::Head;
    if !head && *request.method() != Method::Get {
        let response = Response::from_string("Only GET and HEAD are answered here.\n")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"));
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
    let mut response = Response::from_data(if head { Vec::new() } else { body })
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"));
    if let Some(to) = location {
        response = response.with_header(header("Location", &to));
    }
    let _ = request.respond(response);
}

/// The site's own 404 page, or a line of text when it has none.
fn not_found(site: &Path) -> (u16, Vec<u8>, &'static str, Option<String>) {
    match std::fs::read(site.join(crate::routes::NOT_FOUND)) {
        Ok(page) => (404, page, "text/html; charset=utf-8", None),
        Err(_) => (404, b"Not found\n".to_vec(), "text/plain; charset=utf-8", None),
    }
}
