//! `stave serve` as a client sees it, over raw HTTP: the site is built for
//! `http://127.0.0.1:PORT/` into a temporary folder (nothing in the site's own), pages and
//! files are served with their content types, folders without their final `/` redirect, only
//! GET and HEAD are answered, and no request reaches a file outside the built site — `..`
//! written plainly or encoded, encoded slashes, backslashes, or a link out of the tree.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A running `stave serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(self.folder());
    }
}

impl Served {
    fn start(site: &std::path::Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stave"))
            .args(["serve", "--port", "0", "--now", NOW, "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run stave serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("stave serve printed no address: {line:?}"));
        Served { child, port }
    }

    /// The temporary folder the site is built in (its `public/`), beside which the test puts
    /// a secret.
    fn folder(&self) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("stave-serve-{}", self.child.id()))
    }

    /// Sends `request` as written and returns the status, the headers (lower-case names) and
    /// the body.
    fn raw(&self, request: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = String::from_utf8_lossy(&response[..split]).to_string();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
        (status, headers, response[split + 4..].to_vec())
    }

    fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.raw(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

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
