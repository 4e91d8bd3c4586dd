//! `stave cms` and `stave init --cms`: the web editor's page, its Decap CMS configuration
//! read back with serde_json and compared with the schema table and with each fixture's own
//! site.yaml (read here with serde_yaml, not with Stave's loader); `stave check`'s warning
//! when site.yaml changes and the page is not made again; what a build publishes.

mod common;

use common::{build, fixture, stave, stderr};
use serde_json::Value;
use stave::collections::table::{FieldSpec, Kind, Need, COMMON};
use stave::collections::Collection;
use std::path::Path;

/// The Decap configuration inside the admin page of `site`.
fn read_config(site: &Path) -> Value {
    let page = std::fs::read_to_string(site.join("content/admin/index.html")).expect("content/admin/index.html was written");
    let start = page.find("id=\"stave-cms-config\">").expect("the config's script element") + "id=\"stave-cms-config\">".len();
    let end = start + page[start..].find("</script>").expect("the end of the config's script element");
    serde_json::from_str(&page[start..end]).unwrap_or_else(|e| panic!("the config is not JSON: {e}"))
}

/// `(id, label)` of a vocabulary written in site.yaml, or None when the site leaves it out.
fn site_terms(site: &Path, key: &str) -> Option<Vec<(String, String)>> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(site.join("site.yaml")).unwrap()).unwrap();
    let list = yaml.get(key)?.as_sequence()?;
    Some(list.iter().map(|t| (t["id"].as_str().unwrap().to_string(), t["label"].as_str().unwrap().to_string())).collect())
}

fn options(field: &Value) -> Vec<(String, String)> {
    field["options"]
        .as_array()
        .unwrap_or_else(|| panic!("no options in {field}"))
        .iter()
        .map(|o| (o["value"].as_str().unwrap().to_string(), o["label"].as_str().unwrap().to_string()))
        .collect()
}

fn run_cms(site: &Path) {
    let o = stave(&["cms", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "stave cms failed:\n{}", stderr(&o));
}

fn check_config(site: &Path) {
    run_cms(site);
    let config = read_config(site);
    assert_eq!(config["load_config_file"], false);
    assert_eq!(config["local_backend"], true);
    assert_eq!(config["backend"]["name"], "git-gateway");
    assert_eq!(config["slug"]["encoding"], "ascii");
    assert_eq!(config["slug"]["clean_accents"], true);
    let collections = config["collections"].as_array().unwrap();
    let expected = ["resources", "cpd", "toolkit", "lead-schools", "news", "publications"];
    for (c, folder) in Collection::ALL.into_iter().zip(expected) {
        let col = collections.iter().find(|x| x["name"] == folder).unwrap_or_else(|| panic!("no collection {folder}"));
        assert_eq!(col["folder"], format!("content/{folder}"));
        assert_eq!(
            (col["create"].clone(), col["extension"].clone(), col["format"].clone()),
            (true.into(), "md".into(), "frontmatter".into())
        );
        assert_eq!(col["slug"], "{{slug}}");
        check_fields(site, folder, col, c.fields());
    }
    let pages = collections.iter().find(|x| x["name"] == "pages").expect("a collection of plain pages");
    assert_eq!(pages["folder"], "content");
    assert_eq!(collections.len(), 7);
    // Decap's preview pane is off everywhere: the site's own preview is `stave serve`.
    for col in collections {
        assert_eq!(col["editor"], serde_json::json!({"preview": false}), "{}: Decap's preview pane", col["name"]);
    }
}

/// Every field of the table and every common one, in that order, then the body; each with the
/// widget its kind calls for.
fn check_fields(site: &Path, folder: &str, col: &Value, own: &[FieldSpec]) {
    let fields = col["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let mut expected: Vec<&FieldSpec> = own.iter().collect();
    expected.extend(COMMON.iter().filter(|f| !own.iter().any(|o| o.key == f.key)));
    let mut expected_names: Vec<&str> = expected.iter().map(|f| f.key).collect();
    expected_names.push("body");
    assert_eq!(names, expected_names, "{folder}: fields");
    for (spec, f) in expected.iter().zip(fields) {
        let what = format!("{folder}.{}", spec.key);
        assert_eq!(f["required"], spec.need == Need::Required, "{what}: required");
        assert!(f["hint"].as_str().is_some_and(|h| h.len() > 5), "{what}: a hint");
        let widget = f["widget"].as_str().unwrap();
        match spec.kind {
            Kind::Title | Kind::Text => assert!(widget == "string" || widget == "text", "{what}: {widget}"),
            Kind::Date => {
                assert_eq!((widget, f["format"].as_str()), ("datetime", Some("YYYY-MM-DD")), "{what}");
                assert_eq!(f["time_format"], false, "{what}");
                let today = (spec.need == Need::Required).then_some("{{now}}");
                assert_eq!(f["default"].as_str(), today, "{what}: a required date starts as today");
            }
            Kind::DateTime => assert_eq!((widget, f["format"].as_str()), ("datetime", Some("YYYY-MM-DDTHH:mm")), "{what}"),
            Kind::WholeNumber => assert_eq!((widget, f["value_type"].as_str()), ("number", Some("int")), "{what}"),
            Kind::Bool => assert_eq!(widget, "boolean", "{what}"),
            Kind::Id(v) | Kind::Ids(v) => {
                assert_eq!(widget, "select", "{what}");
                assert_eq!(f["multiple"] == true, matches!(spec.kind, Kind::Ids(_)), "{what}: multiple");
                // The site's own words when site.yaml lists them, else Stave's defaults.
                let want = site_terms(site, v.key()).unwrap_or_else(|| {
                    let config = stave::config::load_config(site, &stave::config::Overrides::default()).unwrap();
                    v.of(&config.vocab).terms.iter().map(|t| (t.id.clone(), t.label.clone())).collect()
                });
                assert!(!want.is_empty());
                assert_eq!(options(f), want, "{what}: options");
            }
            Kind::Choice(words) => {
                assert_eq!(widget, "select", "{what}");
                assert_eq!(options(f).into_iter().map(|(v, _)| v).collect::<Vec<_>>(), words, "{what}");
            }
            Kind::Url | Kind::Email => assert!(widget == "string" && f["pattern"].is_array(), "{what}"),
            Kind::File => assert_eq!(widget, "file", "{what}"),
            Kind::Image => assert_eq!(widget, "image", "{what}"),
            Kind::Paths => assert_eq!(widget, "list", "{what}"),
            Kind::Downloads => {
                assert_eq!(widget, "list", "{what}");
                let sub: Vec<(&str, &str)> =
                    f["fields"].as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap(), s["widget"].as_str().unwrap())).collect();
                assert_eq!(sub, [("title", "string"), ("file", "file"), ("url", "string")], "{what}");
            }
        }
    }
    assert_eq!(fields.last().unwrap()["widget"], "markdown");
}

#[test]
fn the_cms_config_follows_the_schemas_and_each_sites_words() {
    for name in ["basic", "search"] {
        let (_tmp, site) = fixture(name);
        check_config(&site);
    }
}

#[test]
fn the_cms_config_spot_checks() {
    let (_tmp, site) = fixture("basic");
    run_cms(&site);
    let config = read_config(&site);
    let cpd = config["collections"].as_array().unwrap().iter().find(|c| c["name"] == "cpd").unwrap().clone();
    let field = |name: &str| cpd["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone();
    assert_eq!(
        options(&field("area")),
        [("east".to_string(), "East Testvale".to_string()), ("west".to_string(), "West Testvale".to_string())]
    );
    assert_eq!(options(&field("format")).iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>(), ["online", "hybrid", "face-to-face"]);
    assert_eq!(field("phases")["min"], 1);
    assert_eq!(field("venue")["hint"], "Where it takes place. Needed unless `format` is online.");
    assert_eq!(field("booking_url")["label"], "Booking URL");
    // A date left alone is not written; a page is in the search unless the box is unticked.
    assert!(field("publish_date").get("default").is_none());
    assert_eq!(field("search")["default"], true);
    assert_eq!(field("draft")["default"], false);
    let lead = config["collections"].as_array().unwrap().iter().find(|c| c["name"] == "lead-schools").unwrap().clone();
    assert_eq!(lead["identifier_field"], "name");
}

/// The body's hint shows its link example as code, not as a link (Decap reads hints as Markdown).
#[test]
fn the_page_text_hint_shows_the_link_syntax() {
    let (_tmp, site) = fixture("basic");
    run_cms(&site);
    for col in read_config(&site)["collections"].as_array().unwrap() {
        let body = col["fields"].as_array().unwrap().last().unwrap();
        assert_eq!(body["name"], "body");
        let hint = body["hint"].as_str().unwrap_or_default();
        assert!(hint.contains("`[About us](../about.md)`"), "{}: the example is not in a code span: {hint}", col["name"]);
    }
}

/// The page's `integrity` is the hash of the file unpkg serves for DECAP_VERSION, which is the
/// npm package's file: tests/browser installs that version and the hash is taken from it.
#[test]
fn the_decap_script_integrity_matches_the_npm_package() {
    use base64::Engine;
    use sha2::Digest;
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let version = |file: &Path, pointer: &str| -> String {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
            panic!("{}: {e} (install the browser tests' packages: cd tests/browser && npm ci --no-audit --no-fund)", file.display())
        });
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        json.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("{}: no {pointer}", file.display())).to_string()
    };
    let pinned = version(&browser.join("package.json"), "/devDependencies/decap-cms");
    assert_eq!(
        pinned,
        stave::cms::DECAP_VERSION,
        "tests/browser/package.json pins decap-cms {pinned}, src/cms.rs DECAP_VERSION says otherwise"
    );
    let installed = version(&browser.join("node_modules/decap-cms/package.json"), "/version");
    assert_eq!(installed, pinned, "tests/browser/node_modules has decap-cms {installed}, package.json pins {pinned}: run npm ci there");

    let js = browser.join("node_modules/decap-cms/dist/decap-cms.js");
    let bytes = std::fs::read(&js).unwrap_or_else(|e| panic!("{}: {e}", js.display()));
    let want = format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&bytes)));
    let (_tmp, site) = fixture("basic");
    run_cms(&site);
    let page = std::fs::read_to_string(site.join("content/admin/index.html")).unwrap();
    let tag = format!("<script src=\"{}\" integrity=\"{want}\" crossorigin=\"anonymous\"></script>", stave::cms::decap_script_url());
    assert!(
        page.contains(&tag),
        "the admin page's integrity for decap-cms {installed} is not the npm file's hash: set DECAP_INTEGRITY in src/cms.rs to \
         \"{want}\" (now \"{}\"), or DECAP_VERSION to the release installed in tests/browser; expected the tag\n{tag}\nin\n{page}",
        stave::cms::DECAP_INTEGRITY
    );
}

#[test]
fn check_warns_when_site_yaml_changes_until_cms_is_run_again() {
    let (_tmp, site) = fixture("basic");
    let root = site.to_str().unwrap();
    let check = || stave(&["check", "--root", root, "--now", common::NOW]);
    let stale = "content/admin/index.html: warning: the web editor's settings are out of date";
    assert!(!stderr(&check()).contains(stale), "no warning before the page exists");
    run_cms(&site);
    let o = check();
    assert!(o.status.success() && !stderr(&o).contains(stale), "fresh page: {}", stderr(&o));

    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "  - {id: composition, label: Composition}\n",
        "  - {id: composition, label: Composition}\n  - {id: strings, label: Strings}\n",
    );
    std::fs::write(site.join("site.yaml"), &yaml).unwrap();
    let o = check();
    assert!(o.status.success(), "a warning does not fail the check: {}", stderr(&o));
    assert!(stderr(&o).contains(stale), "expected the out-of-date warning, got:\n{}", stderr(&o));
    let o = stave(&["check", "--root", root, "--now", common::NOW, "--strict"]);
    assert!(!o.status.success(), "--strict fails on it");

    run_cms(&site);
    let topics =
        read_config(&site)["collections"][0]["fields"].as_array().unwrap().iter().find(|f| f["name"] == "topics").cloned().unwrap();
    assert!(options(&topics).contains(&("strings".into(), "Strings".into())));
    assert!(!stderr(&check()).contains(stale), "the warning goes once `stave cms` has run again");
}

#[test]
fn a_page_of_the_sites_own_is_never_overwritten() {
    let (_tmp, site) = fixture("basic");
    std::fs::create_dir_all(site.join("content/admin")).unwrap();
    std::fs::write(site.join("content/admin/index.html"), "<p>our own</p>").unwrap();
    let o = stave(&["cms", "--root", site.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not made by `stave cms`"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(site.join("content/admin/index.html")).unwrap(), "<p>our own</p>");
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", common::NOW]);
    assert!(!stderr(&o).contains("out of date"), "{}", stderr(&o));
}

#[test]
fn a_build_publishes_the_admin_page_and_nothing_private() {
    let (tmp, site) = fixture("engagement");
    run_cms(&site);
    let out = tmp.path().join("out");
    build(&site, &out, &[]);
    let page = std::fs::read_to_string(out.join("admin/index.html")).expect("admin/index.html published");
    assert_eq!(page, std::fs::read_to_string(site.join("content/admin/index.html")).unwrap());
    assert!(page.contains(&stave::cms::decap_script_url()));
    let published: Vec<String> = common::read_tree(&out).into_keys().filter(|k| k.starts_with("admin/")).collect();
    assert_eq!(published, ["admin/index.html"]);
    // Nothing of the engagement records is in the page.
    for f in walkdir::WalkDir::new(site.join("content/engagement")).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(f.path()).unwrap_or_default();
        for line in text.lines().filter_map(|l| l.trim().strip_prefix("name:")) {
            let name = line.trim().trim_matches('"');
            assert!(name.len() < 4 || !page.contains(name), "the admin page holds '{name}' from the engagement data");
        }
    }
}

#[test]
fn init_with_cms_makes_a_site_whose_editor_is_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let o = stave(&["init", site.to_str().unwrap(), "--cms"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("content/admin/index.html"));
    check_config(&site);
    let o = stave(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success() && !stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn the_backend_comes_from_site_yaml() {
    let (_tmp, site) = fixture("basic");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}cms:\n  backend: github\n")).unwrap();
    let o = stave(&["cms", "--root", site.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("site.yaml:") && stderr(&o).contains("needs the repository"), "{}", stderr(&o));
    std::fs::write(site.join("site.yaml"), format!("{yaml}cms:\n  backend: github\n  repo: testvale/schools\n  branch: live\n")).unwrap();
    run_cms(&site);
    let config = read_config(&site);
    assert_eq!(config["backend"], serde_json::json!({"name": "github", "repo": "testvale/schools", "branch": "live"}));
    std::fs::write(site.join("site.yaml"), format!("{yaml}cms:\n  backend: githb\n")).unwrap();
    let o = stave(&["cms", "--root", site.to_str().unwrap()]);
    assert!(stderr(&o).contains("did you mean 'github'"), "{}", stderr(&o));

    // Logging in on the published site: an OAuth service for GitHub, an application for GitLab.
    let github = "cms:\n  backend: github\n  repo: testvale/schools\n  auth_url: https://cms-auth.example.org\n";
    std::fs::write(site.join("site.yaml"), format!("{yaml}{github}")).unwrap();
    run_cms(&site);
    assert_eq!(read_config(&site)["backend"]["base_url"], "https://cms-auth.example.org");
    let gitlab = "cms:\n  backend: gitlab\n  repo: testvale/schools\n  app_id: 4f2a9c\n";
    std::fs::write(site.join("site.yaml"), format!("{yaml}{gitlab}")).unwrap();
    run_cms(&site);
    let backend = &read_config(&site)["backend"];
    assert_eq!((&backend["auth_type"], &backend["app_id"]), (&"pkce".into(), &"4f2a9c".into()));
    assert!(backend.get("base_url").is_none());
    for (wrong, message) in [
        ("  backend: gitlab\n  repo: a/b\n  auth_url: https://x.example.org\n", "auth_url is for the github back end"),
        ("  backend: github\n  repo: a/b\n  app_id: 4f2a9c\n", "app_id is for the gitlab back end"),
        ("  backend: github\n  repo: a/b\n  auth_url: http://x.example.org\n", "must be the https:// address"),
    ] {
        std::fs::write(site.join("site.yaml"), format!("{yaml}cms:\n{wrong}")).unwrap();
        let o = stave(&["cms", "--root", site.to_str().unwrap()]);
        assert!(!o.status.success() && stderr(&o).contains(message), "{wrong}: {}", stderr(&o));
        assert!(stderr(&o).contains("site.yaml:"), "{}", stderr(&o));
    }
}

/// Decap writes `""` for an optional field that was cleared: that counts as not given, while
/// a blank required field is reported where it stands.
#[test]
fn cleared_fields_as_the_editor_writes_them() {
    let (_dir, site) = fixture("basic");
    let event = "---\ntitle: Cleared fields\nsummary: \"Fields left blank in the web editor.\"\nstart: 2026-12-10T16:00\n\
                 end: 2026-12-10T17:00\nformat: online\nphases: [primary]\nvenue: \"\"\ncapacity: \"\"\nbooking_url: \"\"\n\
                 publish_date: \"\"\n---\n\nText.\n";
    std::fs::write(site.join("content/cpd/cleared.md"), event).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", common::NOW]);
    assert!(o.status.success(), "blank optional fields must count as not given:\n{}", stderr(&o));
    let news = "---\ntitle: \"\"\ndate: 2026-09-01\nsummary: A bulletin.\n---\n\nText.\n";
    std::fs::write(site.join("content/news/blank-title.md"), news).unwrap();
    let o = stave(&["check", "--root", site.to_str().unwrap(), "--now", common::NOW]);
    let err = stderr(&o);
    assert!(!o.status.success(), "a blank required field is an error");
    assert!(err.contains("content/news/blank-title.md:2:8: error: `title` is empty: give it a value such as"), "{err}");
}
