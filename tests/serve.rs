//! `stave serve` as a client sees it, over raw HTTP: the site is built for
//! `http://127.0.0.1:PORT/` into a temporary folder (nothing in the site's own), pages and
//! files are served with their content types, folders without their final `/` redirect, only
//! GET and HEAD are answered, and no request reaches a file outside the built site — `..`
//! written plainly or encoded, encoded slashes, backslashes, or a link out of the tree.

mod common;
use common::*;

#[test]
fn serves_the_site_and_nothing_else() {
    let (_dir, site) = fixture("basic");
    let served = Served::start(&site);
    let (status, headers, body) = served.get("/");
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    let home = String::from_utf8(body).unwrap();
    assert!(home.contains(&format!("http://127.0.0.1:{}/", served.port)), "the base URL is the preview's");
    assert!(!home.contains("https://hub.example.org/schools/"), "site.yaml's base URL is replaced");
    assert!(!site.join("public").exists(), "nothing is written into the site's own folder");

    let (status, headers, _) = served.get("/cpd");
    assert_eq!((status, header(&headers, "location")), (301, "/cpd/"));
    let (status, headers, _) = served.get("/cpd.ics");
    assert_eq!((status, header(&headers, "content-type")), (200, "text/calendar; charset=utf-8"));
    let (status, _, body) = served.get("/no-such-page/");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("<html"), "the site's 404 page");

    let (status, headers, body) = served.raw("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 200);
    assert!(body.is_empty() && header(&headers, "content-type").starts_with("text/html"));
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let (status, headers, _) =
            served.raw(&format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        assert_eq!((status, header(&headers, "allow")), (405, "GET, HEAD"), "{method}");
    }

    // A secret beside the built site, and a link to it from inside.
    let secret = served.folder().join("secret.txt");
    std::fs::write(&secret, "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, served.folder().join("public/leak.txt")).unwrap();
    for path in [
        "/../secret.txt",
        "/cpd/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/leak.txt",
        "/../../../../../../etc/passwd",
    ] {
        let (status, _, body) = served.get(path);
        let body = String::from_utf8_lossy(&body);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(!body.contains("SECRET") && !body.contains("root:"), "{path} leaked a file outside the site");
    }
}
