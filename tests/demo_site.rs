//! The repository's own demo site: it builds cleanly, every internal link in the output
//! resolves (anchors included) under the base URL's sub-path, rebuilds are byte-identical,
//! and a failed build leaves the previous output untouched.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_demo(out: &Path) {
    let err = build(&repo(), out, &["--strict"]);
    assert!(!err.contains("warning"), "{err}");
}

/// The output file a root-relative link under `base` points to.
fn target_file(out: &Path, base: &str, href: &str) -> Option<(PathBuf, Option<String>)> {
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let rel = path.strip_prefix(base)?;
    let file = if rel.is_empty() || rel.ends_with('/') { out.join(rel).join("index.html") } else { out.join(rel) };
    Some((file, frag))
}

#[test]
fn demo_builds_and_every_internal_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_demo(&out);
    let base = "/schools/";
    let pages: Vec<String> = read_tree(&out).into_keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 60, "demo has {} pages", pages.len());
    let mut checked = 0;
    for page in &pages {
        let doc = html(&out.join(page));
        for el in select(&doc, "[href], [src]") {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            if let Some(frag) = url.strip_prefix('#') {
                assert!(!select(&doc, &format!("[id='{frag}']")).is_empty(), "{page}: no #{frag} on the page");
                continue;
            }
            assert!(url.starts_with(base), "{page}: link {url} ignores the base URL's sub-path");
            let (file, frag) = target_file(&out, base, url).unwrap();
            assert!(file.exists(), "{page}: broken link {url}");
            if let Some(f) = frag {
                let target = html(&file);
                assert!(!select(&target, &format!("[id='{f}']")).is_empty(), "{page}: {url} has no anchor #{f}");
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn every_page_is_reachable_from_the_home_page_and_in_the_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_demo(&out);
    let base = "/schools/";
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![out.join("index.html")];
    while let Some(file) = queue.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let doc = html(&file);
        // Links, and forms that fetch a page (the header's search box leads to /search/).
        let actions = select(&doc, "form[method=get][action]").into_iter().map(|f| f.value().attr("action").unwrap_or("").to_string());
        for href in hrefs(&doc, "a[href]").into_iter().chain(actions) {
            if let Some((target, _)) = target_file(&out, base, &href) {
                if target.extension().is_some_and(|e| e == "html") && target.exists() && !seen.contains(&target) {
                    queue.push(target);
                }
            }
        }
    }
    assert!(seen.len() > 100, "only {} pages reached", seen.len());
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let sitemap = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<String> = sitemap.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap().to_string()).collect();
    for page in read_tree(&out).keys().filter(|p| p.ends_with("index.html") && !p.starts_with("old-site/")) {
        assert!(seen.contains(&out.join(page)), "{page} cannot be reached by following links from the home page");
        let url = format!("https://www.example.org/schools/{}", page.trim_end_matches("index.html"));
        assert!(locs.contains(&url), "{url} missing from the sitemap");
    }
}

#[test]
fn rebuilds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build_demo(&a);
    build_demo(&b);
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn source_date_epoch_sets_now() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, site) = fixture("basic");
    let out = dir.path().join("p");
    // 2027-04-01T00:00:00Z: the spring conference is past.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_stave"))
        .args(["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1806451200")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = html(&out.join("cpd/archive/index.html"));
    assert!(hrefs(&doc, "main .card__title a").contains(&"/schools/cpd/spring-conference/".to_string()));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let (dir, site) = fixture("basic");
    let out = dir.path().join("public");
    build(&site, &out, &[]);
    let before = read_tree(&out);
    let event = site.join("content/cpd/spring-conference.md");
    let text = std::fs::read_to_string(&event).unwrap().replace("phases: [primary, secondary]", "phases: [primry]");
    std::fs::write(&event, text).unwrap();
    let o = stave(&["build", "--root", site.to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", NOW]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("content/cpd/spring-conference.md:8:10: error: unknown phase 'primry' (did you mean 'primary'?)"), "{err}");
    assert!(err.contains("was not changed"), "{err}");
    assert_eq!(read_tree(&out), before, "output changed after a failed build");
}

#[test]
fn init_makes_a_site_that_builds_and_new_adds_every_collection() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("hub");
    let o = stave(&["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    build(&site, &out, &["--strict"]);
    assert!(out.join("index.html").exists() && out.join("assets").is_dir());
    for (c, title, file) in [
        ("resources", "Rounds for KS2", "content/resources/rounds-for-ks2.md"),
        ("cpd", "Autumn network", "content/cpd/autumn-network.md"),
        ("toolkit", "Start here", "content/toolkit/01-start-here.md"),
        ("lead-schools", "Hill Primary", "content/lead-schools/hill-primary.md"),
        ("news", "Big sing", "content/news/big-sing.md"),
        ("publications", "Annual report", "content/publications/annual-report.md"),
        ("page", "Contact us", "content/contact-us.md"),
    ] {
        let o = stave(&["new", c, title, "--root", site.to_str().unwrap()]);
        assert!(o.status.success(), "new {c}: {}", stderr(&o));
        assert!(site.join(file).exists(), "new {c} should write {file}");
    }
    // New pages are drafts: none is published until `--drafts` (or its draft line goes).
    build(&site, &out, &[]);
    assert!(!out.join("cpd/autumn-network").exists(), "a new page starts as a draft");
    build(&site, &out, &["--drafts"]);
    for page in [
        "resources/rounds-for-ks2",
        "cpd/autumn-network",
        "toolkit/01-start-here",
        "lead-schools/hill-primary",
        "news/big-sing",
        "publications/annual-report",
        "contact-us",
    ] {
        assert!(out.join(page).join("index.html").exists(), "{page} not built");
    }
    let again = stave(&["new", "news", "Big sing", "--root", site.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1), "new must not overwrite a file");
}

/// `minify_html: true` changes nothing but the markup's spacing: each page of the demo built
/// with it is exactly the page built without it, run through minify-html.
#[test]
fn minify_html_minifies_every_page_and_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    build_demo(&plain);
    let site = dir.path().join("site");
    copy_dir(&repo().join("content"), &site.join("content"));
    std::fs::copy(repo().join("boundaries.geojson"), site.join("boundaries.geojson")).unwrap();
    let yaml = std::fs::read_to_string(repo().join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}\nminify_html: true\n")).unwrap();
    let minified = dir.path().join("minified");
    build(&site, &minified, &["--strict"]);
    let (plain, minified) = (read_tree(&plain), read_tree(&minified));
    assert_eq!(plain.keys().collect::<Vec<_>>(), minified.keys().collect::<Vec<_>>());
    let mut smaller = 0;
    for (path, bytes) in plain.iter().filter(|(p, _)| p.ends_with(".html")) {
        // Redirects for aliases are written as they are, minified or not.
        let redirect = String::from_utf8_lossy(bytes).contains("http-equiv=\"refresh\"");
        let expected = if redirect { bytes.clone() } else { stave::output::minify::minify_page(bytes) };
        if minified[path].len() < bytes.len() {
            smaller += 1;
        }
        assert_eq!(String::from_utf8_lossy(&minified[path]), String::from_utf8_lossy(&expected), "{path}");
    }
    assert!(smaller > 100, "only {smaller} pages came out smaller");
}
